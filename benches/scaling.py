"""Whether each stage's cost grows linearly with a site (issue 17).

    python3 benches/scaling.py [--prefectc target/release/prefectc] [--n 250]

Builds generated sites of N and 4N teams under callgrind (instruction
counts do not depend on the machine's load) and prints, for the whole
process and for each stage, the instructions at both sizes and their
ratio: 4.0 is linear, a stage above about 4.3 holds a scan that grows with
the site inside a loop that does too (a lookup by name that reads every
component, a dedup by `Vec::contains`). Sorting the objects is n log n, so
lowering sits a little above 4.

The sites are written to make such scans show. Each team has a work pool
declared after its worker (a lookup that scans from the start reads every
component before it), its own job namespace (a Namespace, a Role, and a
peer of the server's NetworkPolicy under `policy = restricted`), and a
flow-run image with a floating tag under a waiver (a finding and a waiver
per team, grouped and matched in the policy stage). `benches/scale.py`
measures time and memory; this measures growth. Needs valgrind.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

HEAD = """site scaling {
  namespace = "prefect"
  prefect   = "3.4.25"
  policy    = restricted
}

server prefect {
  database = postgres { url = secret("db", "url") }
}
"""

TEAM = """
/// The worker of team {t}.
worker team-{t} {{
  pool           = pool-{t}
  api            = prefect
  job-namespaces = ["flows-{t}"]
  env            = {{ "TEAM" = "team-{t}" }}
  pod-labels     = {{ team = "team-{t}" }}
}}

pool pool-{t} {{
  type        = kubernetes
  concurrency = 10
  flow-runs {{
    @allow("image/floating-tag", reason = "canary flows follow 3.x on purpose; OPS-7")
    image             = "prefecthq/prefect:3-latest"
    image-pull-policy = always
  }}
}}
"""

# The stages, by the function that runs each (src/lib.rs, src/main.rs).
STAGES = [
    ("parse", "prefectc::syntax::parse"),
    ("resolve", "prefectc::resolve::resolve"),
    ("check", "prefectc::check::check"),
    ("typed site", "prefectc::check::typed_site"),
    ("lower", "prefectc::lower::lower"),
    ("policy", "prefectc::policy::run"),
    ("emit", "prefectc::emit::write_yaml"),
]


def site(n):
    return HEAD + "".join(TEAM.format(t=t) for t in range(n))


def instructions(exe, path, tmp):
    """Total instructions, and each stage's (inclusive), of one build."""
    out = os.path.join(tmp, "callgrind.out")
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", exe, "build", path],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                          capture_output=True, text=True, check=True).stdout
    total = None
    stages = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)", line)
        if not m:
            continue
        count = int(m.group(1).replace(",", ""))
        what = m.group(2)
        if "PROGRAM TOTALS" in what:
            total = count
        for name, symbol in STAGES:
            # `file:function [binary]`; recursive calls are named `…'2`.
            if re.search(re.escape(symbol) + r"( |$)", what):
                stages[name] = max(stages.get(name, 0), count)
    return total, stages


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prefectc", default=os.path.join(REPO, "target", "release", "prefectc"))
    ap.add_argument("--n", type=int, default=250, help="the smaller size, in teams")
    args = ap.parse_args()
    exe = os.path.abspath(args.prefectc)
    sizes = (args.n, 4 * args.n)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = os.path.join(tmp, f"teams{n}.pfk")
            with open(path, "w") as f:
                f.write(site(n))
            check = subprocess.run([exe, "build", path], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True)
            if check.returncode != 0:
                sys.exit(f"the {n}-team site does not build:\n{check.stderr}")
            results.append(instructions(exe, path, tmp))
    (small_total, small), (large_total, large) = results
    print(f"{'':<12}{sizes[0]:>14}{sizes[1]:>16}  ratio (4.0 is linear)")
    print(f"{'process':<12}{small_total:>14,}{large_total:>16,}  {large_total / small_total:.2f}")
    for name, _ in STAGES:
        if name in small and name in large:
            print(f"{name:<12}{small[name]:>14,}{large[name]:>16,}  {large[name] / small[name]:.2f}")


if __name__ == "__main__":
    main()
