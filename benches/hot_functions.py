#!/usr/bin/env python3
"""The functions a small build runs, for the linker to lay out together
(`benches/hot-functions.txt`, issue 17; docs/performance.md, "The code a
build runs, laid out together").

    python3 benches/hot_functions.py [--prefectc BIN]            # write the list
    python3 benches/hot_functions.py --check [--prefectc BIN]    # judge a binary

Most of a small build's memory, and a seventh of its time, was the
binary's own code paged in: the kernel maps the code around each page a
build first runs, 64 KiB at a time, and the functions one build runs lay
all over the 6 MB of code (docs/performance.md). `build.rs` hands this list to the linker (lld's
`--symbol-ordering-file`) when it links the shipped binary (`cargo
release-static`), which then places these functions first, in this order.

Writing: each workload below runs once under callgrind (`--demangle=no`, so
that the names are the binary's own), and the functions it ran are listed,
those of the earlier workloads first: the ones every build runs, then the
production example's, then the rest. The names are Rust's mangled names,
whose hash changes with the toolchain and the build's settings, so the list
is made from the binary it is for, `cargo release-static`'s (the default).
A name the binary no longer has is skipped by the linker, and a function
missing from the list is placed after the listed ones: a stale list costs
speed, never correctness.

Checking (`.ci/run`): how many listed names the binary has, and whether
those lie together at the start of its code, as they do when the linker
took the list (they are spread over all of it when it did not). Fails if
they do not lie together; a list whose names the binary mostly lacks (a
new toolchain) is reported, and fails under `--min-coverage`.
"""

import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import scale  # noqa: E402  (the sites of benches/scale.py)

LIST = os.path.join(HERE, "hot-functions.txt")
DEFAULT_BIN = os.path.join(REPO, "target", "x86_64-unknown-linux-gnu", "release", "prefectc")

HEADER = """\
# The functions a small build runs, in the order the linker lays them out
# first (lld --symbol-ordering-file; build.rs passes it when linking
# `cargo release-static`). Made by `python3 benches/hot_functions.py` from
# the binary it is for; see that script and docs/performance.md.
"""


def workloads(tmp):
    """(name, argv after the binary) of each run, most common first."""
    one = os.path.join(tmp, "one.pfk")
    with open(one, "w") as f:
        f.write(scale.ONE_LINE)
    written = os.path.join(tmp, "w100.pfk")
    with open(written, "w") as f:
        f.write(scale.written_out(100))
    looped = os.path.join(tmp, "l100.pfk")
    with open(looped, "w") as f:
        f.write(scale.looped(100))
    production = os.path.join(REPO, "examples", "production.pfk")
    runs = [
        ("--version", ["--version"]),
        ("one-line site", ["build", one]),
        ("production example", ["build", production]),
        ("production example, -o", ["build", production, "-o", os.path.join(tmp, "out")]),
        ("production example, check", ["check", production]),
    ]
    examples = sorted(glob.glob(os.path.join(REPO, "examples", "*.pfk"))
                      + glob.glob(os.path.join(REPO, "examples", "*", "site.pfk")))
    runs += [(os.path.relpath(e, REPO), ["build", e]) for e in examples if e != production]
    runs += [("100 workers written out", ["build", written]),
             ("100 workers in a loop", ["build", looped])]
    # Diagnostics and policy findings: every eighth fixture, in name order.
    for kind in ("diagnostics", "policy"):
        fixtures = sorted(glob.glob(os.path.join(REPO, "tests", "fixtures", kind, "*.pfk")))
        runs += [(os.path.relpath(f, REPO), ["build", f]) for f in fixtures[::8]]
    return runs


def functions_run(binary, argv, tmp):
    """The names of the functions one run executed, as callgrind lists them."""
    out = os.path.join(tmp, "callgrind.out")
    # Not `check=True`: the fixtures with errors or findings exit 1, and
    # the functions that report them are the ones wanted.
    subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no",
                    f"--callgrind-out-file={out}", binary, *argv],
                   cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    names = []
    with open(out) as f:
        for line in f:
            m = re.match(r"c?fn=\(\d+\) (\S.*)$", line.rstrip("\n"))
            if m:
                names.append(m.group(1))
    os.unlink(out)
    return names


def symbols(binary):
    """{name: (address, size)} of the binary's functions."""
    out = subprocess.run(["nm", "-S", "--defined-only", binary],
                         capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tTwW":
            found[parts[3]] = (int(parts[0], 16), int(parts[1], 16))
    return found


def text_start(binary):
    out = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        m = re.search(r"\]\s+\.text\s+PROGBITS\s+([0-9a-f]+)", line)
        if m:
            return int(m.group(1), 16)
    sys.exit(f"{binary} has no .text section")


def write(binary):
    known = symbols(binary)
    listed, seen = [], set()
    with tempfile.TemporaryDirectory() as tmp:
        for name, argv in workloads(tmp):
            new = [n for n in functions_run(binary, argv, tmp) if n in known and n not in seen]
            seen.update(new)
            listed += new
            print(f"{name}: {len(new)} more functions", file=sys.stderr)
    with open(LIST, "w") as f:
        f.write(HEADER)
        f.write("\n".join(listed) + "\n")
    size = sum(known[n][1] for n in listed)
    print(f"{len(listed)} functions, {size / 1024:.0f} KiB of code, written to "
          f"{os.path.relpath(LIST, REPO)}", file=sys.stderr)


def check(binary, min_coverage):
    with open(LIST) as f:
        listed = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    known = symbols(binary)
    present = [known[n] for n in listed if n in known]
    coverage = len(present) / len(listed) if listed else 0.0
    if not present:
        sys.exit(f"hot functions: none of the {len(listed)} listed names is in {binary}; "
                 "make the list again: python3 benches/hot_functions.py")
    size = sum(s for _, s in present)
    end = max(a + s for a, s in present)
    span = end - text_start(binary)
    print(f"hot functions: {len(present)} of {len(listed)} listed names in the binary "
          f"({coverage:.0%}), {size / 1024:.0f} KiB of code within the first "
          f"{span / 1024:.0f} KiB of .text")
    # Laid out together, the listed functions fill the start of the code but
    # for alignment padding; not laid out, they reach to its end.
    if span > 1.25 * size + 64 * 1024:
        sys.exit(f"hot functions: the listed functions are spread over {span / 1024:.0f} KiB: "
                 "the linker did not take benches/hot-functions.txt (build.rs)")
    if coverage < min_coverage:
        sys.exit(f"hot functions: only {coverage:.0%} of the listed names are in the binary "
                 f"(at least {min_coverage:.0%} asked); make the list again: "
                 "python3 benches/hot_functions.py")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prefectc", default=DEFAULT_BIN,
                    help="the binary (default: cargo release-static's)")
    ap.add_argument("--check", action="store_true",
                    help="judge the binary's layout instead of writing the list")
    ap.add_argument("--min-coverage", type=float, default=0.0,
                    help="with --check: the least share of listed names the binary must have")
    args = ap.parse_args()
    if args.check:
        check(args.prefectc, args.min_coverage)
    else:
        write(args.prefectc)


if __name__ == "__main__":
    main()
