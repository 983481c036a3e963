#!/usr/bin/env python3
"""Adversarial inputs for `prefectc check`: deep nesting of every kind,
100,000-long operator chains, doublings, generated and written-out workers,
50 MB files. Runs the release binary on each under /usr/bin/time -v and
prints a Markdown table (the one in docs/reliability.md, "Depth, size and
time"): every input must end within 10 s and 1 GiB, with a diagnostic.

    cargo build --release && python3 tests/adversarial.py [target/release/prefectc]
"""

import os
import re
import subprocess
import sys
import tempfile

SITE = 'site s { namespace = "p", prefect = "3.4.25" }\n'
READ = 'worker w {{ pool = "x", type = process, {field} = {value} }}\n'
N_DEEP = 1_000_000
N_CHAIN = 100_000


def deep(open_, close, inner="1"):
    return SITE + "let d = " + open_ * N_DEEP + inner + close * N_DEEP + "\n" + READ.format(field="replicas", value="d")


def chain(op, operand, field):
    return SITE + "let c = " + f" {op} ".join([operand] * N_CHAIN) + "\n" + READ.format(field=field, value="c")


def doublings(seed, join, n=40):
    lets = "".join(f"let d{i} = {join.replace('X', f'd{i - 1}')}\n" for i in range(1, n + 1))
    return SITE + f"let d0 = {seed}\n" + lets + READ.format(field="queues", value=f'["${{d{n}}}"]')


def generated(items, depth):
    values = ", ".join(f'"{i}"' for i in range(items))
    names = "".join("${v%d}" % k for k in range(depth))
    body = f'worker "w-{names}" {{ pool = "x", type = process }}\n'
    for k in reversed(range(depth)):
        body = f"for v{k} in l {{\n{body}}}\n"
    return SITE + f"let l = [{values}]\n" + body


def looped(n, name, body, pool="k8s", attribute=""):
    """A `for` loop over `n` items declaring a worker each: its problems,
    one a worker at the same places, built and rendered for a person (the
    list is one long line above the workers' snippets)."""
    items = ", ".join(f'"{i}"' for i in range(n))
    return (SITE + 'server prefect { database = sqlite {} }\npool k8s { type = kubernetes }\n'
            + f"for t in [{items}] {{\n  {attribute}{chr(10) + '  ' if attribute else ''}worker \"{name}\" {{\n    pool = {pool}\n    api = prefect\n    {body}\n  }}\n}}\n")


def written(n):
    return SITE + "".join(f'worker w{i} {{ pool = "x", type = process }}\n' for i in range(n))


FIFTY_MB = 50 * 1024 * 1024
BUILD = ["build"]

CASES = [
    ("10^6 nested blocks", lambda: SITE + "worker w { pool = \"x\", type = process, resources " + "{ limits " * N_DEEP + "}" * N_DEEP + " }\n"),
    ("10^6 nested lists", lambda: deep("[", "]")),
    ("10^6 nested parentheses", lambda: deep("(", ")")),
    ("10^6 nested `${…}`", lambda: deep('"${', '}"', "x")),
    ("10^6 nested calls", lambda: deep("secret(", ")", '"k"')),
    ("10^6 `!`", lambda: SITE + "let b = " + "!" * N_DEEP + "true\n" + READ.format(field="healthcheck", value="b")),
    ("10^5 `else if`", lambda: SITE + "let e = if false { 1 }" + " else if false { 2 }" * N_CHAIN + " else { 3 }\n" + READ.format(field="replicas", value="e")),
    ("10^5 `+` (numbers)", lambda: chain("+", "1", "replicas")),
    ("10^5 `+` (strings)", lambda: chain("+", '"a"', "name")),
    ("10^5 `+` (lists)", lambda: chain("+", '["q"]', "queues")),
    ("10^5 `||`", lambda: chain("||", "false", "healthcheck")),
    ("10^5 `&&`", lambda: chain("&&", "true", "healthcheck")),
    ("10^5 `==`", lambda: chain("==", "true", "healthcheck")),
    ("10^5 `<`", lambda: chain("<", "1", "healthcheck")),
    ("400,000 unused lets", lambda: SITE + "".join(f"let a{i} = {i}\n" for i in range(400_000))),
    ("40 string doublings", lambda: doublings('"x"', "X + X")),
    ("40 list doublings", lambda: doublings("[1]", "X + X")),
    ("40 nested-list doublings", lambda: doublings("[1]", "[X, X]")),
    ("40 unused doublings", lambda: SITE + 'let _d0 = "x"\n' + "".join(f"let _d{i} = _d{i-1} + _d{i-1}\n" for i in range(1, 41))),
    ("10^6 generated workers (3 loops × 100)", lambda: generated(100, 3)),
    ("10^6 generated workers (5 loops × 16)", lambda: generated(16, 5)),
    ("10,000 written-out workers", lambda: written(10_000)),
    ("10,000 looped workers, a bad name each (`build`)", lambda: looped(10_000, "Team_${t}", "replicas = 1"), BUILD),
    ("10,000 looped workers, an unknown pool each (`build`)", lambda: looped(10_000, "team-${t}", "replicas = 1", pool='"pool-${t}"'), BUILD),
    ("10,000 looped workers, a bad label each (`build`)", lambda: looped(10_000, "team-${t}", 'pod-labels = { team = "bad value ${t}!" }'), BUILD),
    ("10,000 looped workers, a floating image each (`build`)", lambda: looped(10_000, "team-${t}", 'image = "prefecthq/prefect:3-${t}"'), BUILD),
    ("10,000 looped workers, a floating image each, waived (`build`)", lambda: looped(10_000, "team-${t}", 'image = "prefecthq/prefect:3-${t}"', attribute='@allow("image/floating-tag", reason = "on purpose")'), BUILD),
    ("10,000 looped workers, a floating image each, the waiver expired (`build`)", lambda: looped(10_000, "team-${t}", 'image = "prefecthq/prefect:3-${t}"', attribute='@allow("image/floating-tag", reason = "old", until = "2020-01-01")'), BUILD),
    ("10,000 looped workers, two credentials each (`build`)", lambda: looped(10_000, "team-${t}", 'env = { DB_PASSWORD = "hunter2-${t}", TOKEN = "pnu_0123456789abcdefghijABCDEFGHIJ01${t}" }'), BUILD),
    ("100,000 written-out workers", lambda: written(100_000)),
    ("50 MB comment on one line", lambda: SITE + "// " + "x" * FIFTY_MB + "\n"),
    ("50 MB string literal", lambda: SITE + 'let s = "' + "x" * FIFTY_MB + '"\n' + READ.format(field="name", value="s")),
    ("50 MB one line of `1 + 1 + …`", lambda: SITE + "let c = " + " + ".join(["1"] * (FIFTY_MB // 4)) + "\n" + READ.format(field="replicas", value="c")),
    ("50 MB list `[1, 1, …]` on one line", lambda: SITE + "let c = [" + ", ".join(["1"] * (FIFTY_MB // 3)) + "]\n" + READ.format(field="queues", value="c")),
]


def measure(binary, text, command=("check", "--format", "json")):
    with tempfile.NamedTemporaryFile("w", suffix=".pfk", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        run = subprocess.run(
            ["/usr/bin/time", "-v", binary, *command, path],
            capture_output=True, text=True, timeout=120,
        )
    except subprocess.TimeoutExpired:
        return "timeout", "-", "-", "-"
    finally:
        os.unlink(path)
    err = run.stderr
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+(?:\.\d+)?)$", err, re.M)
    seconds = float(wall.group(2)) + 60 * float(wall.group(1) or 0) if wall else float("nan")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    mib = int(rss.group(1)) / 1024 if rss else float("nan")
    status = re.search(r"Command terminated by signal (\d+)", err)
    codes = sorted(set(re.findall(r'"code":"([EW]\d{4})"', run.stdout))
                   | set(re.findall(r"^([EW]\d{4}|[a-z]+/[a-z-]+)$", err, re.M)))
    outcome = f"signal {status.group(1)}" if status else f"exit {run.returncode}"
    return outcome, f"{seconds:.2f}", f"{mib:.0f}", ", ".join(codes[:4])


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/prefectc"
    print("| input | size | result | time (s) | max RSS (MiB) | codes |")
    print("|---|---:|---|---:|---:|---|")
    for name, make, *command in CASES:
        text = make()
        outcome, seconds, mib, codes = measure(binary, text, *command)
        size = f"{len(text.encode()) / 1e6:.1f} MB"
        print(f"| {name} | {size} | {outcome} | {seconds} | {mib} | {codes} |", flush=True)


if __name__ == "__main__":
    main()
