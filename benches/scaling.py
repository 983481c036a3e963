"""Whether each stage's cost grows linearly with a site (issue 17).

    python3 benches/scaling.py [--prefectc target/release/prefectc] [--n 250]
                               [--site teams|findings|warnings|errors] [--max-ratio 4.5]

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
    ("parse", "prefectc::syntax::parse_with"),
    ("resolve", "prefectc::resolve::resolve"),
    ("check", "prefectc::check::check_with"),
    ("typed site", "prefectc::check::typed_site"),
    ("lower", "prefectc::lower::lower_observed"),
    ("policy", "prefectc::policy::run"),
    ("emit", "prefectc::emit::write_yaml_by"),
]


# The same growth where every team has findings the policy stage must
# place: the `default` namespace (each object a finding, placed at the
# worker's job namespace or the site's), a ServiceAccount token mounted
# (the rule looks for a RoleBinding that uses it), a waived AppArmor
# annotation and `default` ServiceAccount (placed at what the component
# wrote), and (every other team) an exporter of two replicas, waived.
FINDINGS_HEAD = HEAD.replace('"prefect"\n  prefect', '"default"\n  prefect', 1)

FINDINGS_TEAM = """
/// The worker of team {t}.
worker team-{t} {{
  pool = pool-{t}
  api  = prefect
  automount-service-account-token = true
  @allow("pss/apparmor", reason = "tested; OPS-7")
  pod-annotations = {{ "container.apparmor.security.beta.kubernetes.io/prefect-worker" = "unconfined" }}
}}

pool pool-{t} {{
  type        = kubernetes
  concurrency = 10
}}

"""

# An exporter for every other team: three components a team would cross
# `cores::screen_beside`'s threshold between the two sizes, moving the
# credential screen out of the policy stage at one size only.
FINDINGS_EXPORTER = """
exporter metrics-{t} {{
  api = prefect
  @allow("prefect/exporter-replicas", reason = "tested; OPS-7")
  replicas = 2
  @allow("sa/default", reason = "tested; OPS-7")
  service-account = "default"
}}
"""

# A warning on every worker whose report also points far above it: a job
# namespace the cluster creates, with the site's `create-namespace` (W0516,
# labelled at the site's header and at the worker's list). Rendering it read
# the file from the top for each worker.
WARNINGS_HEAD = HEAD.replace("policy    = restricted", "policy    = restricted\n  create-namespace = true", 1)

WARNINGS_TEAM = """
worker team-{t} {{
  pool           = pool-{t}
  api            = prefect
  job-namespaces = ["default"]
}}

pool pool-{t} {{
  type        = kubernetes
  concurrency = 10
}}
"""

# An error on every component, each a name that is none or of the wrong
# kind: a misspelt pool (E0201), member access to a misspelt component
# (E0201), a misspelt template (E0207), a string naming no pool (E0402) and
# a worker where a pool is meant (E0302). Each was compared with every name
# of the site, and E0302 listed every pool: quadratic (2,000 teams 1.9 s).
ERRORS_HEAD = HEAD.replace("  policy    = restricted\n", "", 1)

ERRORS_TEAM = """
pool pool-{t} {{
  type = kubernetes
}}

template worker tmpl-{t} {{
  api = prefect
}}

worker extending-{t} extends tmpl-x{t} {{
  pool = pool-{t}
}}

worker team-{t} {{
  pool     = pool-x{t}
  api      = prefect
  replicas = teem-{t}.replicas
}}

worker quoted-{t} {{
  pool = "pool-y{t}"
  api  = prefect
}}

worker wrong-{t} {{
  pool = quoted-{t}
  api  = prefect
}}
"""

SITES = {
    "errors": lambda t: ERRORS_TEAM.format(t=t),
    "teams": lambda t: TEAM.format(t=t),
    "warnings": lambda t: WARNINGS_TEAM.format(t=t),
    "findings": lambda t: FINDINGS_TEAM.format(t=t) + (FINDINGS_EXPORTER.format(t=t) if t % 2 == 0 else ""),
}
HEADS = {"teams": HEAD, "findings": FINDINGS_HEAD, "warnings": WARNINGS_HEAD, "errors": ERRORS_HEAD}
# How each site's build ends: the errors site fails, as it should.
EXITS = {"errors": 1}


def site(shape, n):
    return HEADS[shape] + "".join(SITES[shape](t) for t in range(n))


def instructions(exe, path, tmp):
    """Total instructions, and each stage's (inclusive), of one build."""
    out = os.path.join(tmp, "callgrind.out")
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", exe, "build", path],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    ap.add_argument("--site", choices=sorted(SITES), action="append",
                    help="the sites to grow (default: all)")
    ap.add_argument("--max-ratio", type=float,
                    help="exit 1 when the process or a stage grows by more than this")
    args = ap.parse_args()
    exe = os.path.abspath(args.prefectc)
    sizes = (args.n, 4 * args.n)
    over = []
    for shape in args.site or list(SITES):
        results = []
        with tempfile.TemporaryDirectory() as tmp:
            for n in sizes:
                path = os.path.join(tmp, f"{shape}{n}.pfk")
                with open(path, "w") as f:
                    f.write(site(shape, n))
                check = subprocess.run([exe, "build", path], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True)
                if check.returncode != EXITS.get(shape, 0):
                    sys.exit(f"the {n}-team {shape} site exits {check.returncode}:\n{check.stderr[-2000:]}")
                results.append(instructions(exe, path, tmp))
        (small_total, small), (large_total, large) = results
        rows = [("process", small_total, large_total)]
        rows += [(name, small[name], large[name]) for name, _ in STAGES
                 if name in small and name in large]
        print(f"{shape:<12}{sizes[0]:>14}{sizes[1]:>16}  ratio (4.0 is linear)")
        for name, a, b in rows:
            print(f"{name:<12}{a:>14,}{b:>16,}  {b / a:.2f}")
            if args.max_ratio is not None and b / a > args.max_ratio:
                over.append(f"{shape}: {name} grew {b / a:.2f}x for 4x the teams")
        print()
    if over:
        sys.exit("\n".join(over))


if __name__ == "__main__":
    main()
