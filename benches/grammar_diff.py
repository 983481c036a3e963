#!/usr/bin/env python3
"""Two prefectc binaries on the same texts: do they read them alike?

    python3 benches/grammar_diff.py OLD NEW [--texts 4000] [--keep DIR]

A change to `grammar/prefectc.pest` made for speed must not change what a
user sees: the trees of texts that parse, and the syntax errors (their
positions and their "expected …" lists, which come from the rules pest
tried) of texts that do not. Snapshot tests hold a few hundred cases; this
runs many more. The texts are the examples, fixtures and spec cases, the
fuzz corpora, and copies of the examples and fixtures with one random edit
each (a token inserted, a few bytes deleted, or a piece of the text
repeated elsewhere), most of which no longer parse. Each text is built from
standard input (`build --format json -`) and formatted (`fmt -`, which
reads the parse tree token by token) by both binaries; the exit codes and
both outputs must be equal. The edits are seeded, so a run is repeatable.
Prints each text that differs (and keeps it in DIR with --keep) and the
number of texts; exits with 1 if any differ.
"""

import argparse
import glob
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = [
    "examples/*.pfk",
    "examples/*/*.pfk",
    "tests/fixtures/*/*.pfk",
    "tests/parity/*.pfk",
    "../shared/spec/errors/*.pfk",
    "../shared/spec/examples/*.pfk",
]
CORPORA = ["fuzz/corpus/build_site", "fuzz/corpus/fmt", "fuzz/corpus/lsp"]
TOKENS = [
    "{", "}", "[", "]", "(", ")", '"', "=", "+=", ",", ".", "!", "-", "@", "|",
    "&&", "==", '"""', "${", "/*", "//", "\n", " ", "true", "none", "if",
    "else", "for", "1", "5m", "x",
]


def texts(count):
    seeds = []
    for pattern in SEEDS:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            with open(path, encoding="utf-8", errors="replace") as f:
                seeds.append(f.read())
    found = list(seeds)
    for corpus in CORPORA:
        for path in sorted(glob.glob(os.path.join(ROOT, corpus, "*"))):
            with open(path, "rb") as f:
                try:
                    found.append(f.read().decode("utf-8"))
                except UnicodeDecodeError:
                    pass
    rng = random.Random(17)
    seeds = [s for s in seeds if s]
    while len(found) < count:
        s = rng.choice(seeds)
        i = rng.randrange(len(s) + 1)
        roll = rng.random()
        if roll < 0.4:
            s = s[:i] + rng.choice(TOKENS) + s[i:]
        elif roll < 0.8:
            s = s[:i] + s[i + rng.randint(1, 4):]
        else:
            j = rng.randrange(len(s) + 1)
            s = s[:i] + s[j:j + rng.randint(1, 20)] + s[i:]
        found.append(s)
    return found


def run(binary, args, text):
    p = subprocess.run(
        [binary] + args, input=text.encode(), capture_output=True, timeout=60
    )
    return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--texts", type=int, default=4000)
    ap.add_argument("--keep", help="a directory for the texts that differ")
    a = ap.parse_args()
    old, new = os.path.abspath(a.old), os.path.abspath(a.new)
    commands = (["build", "--today", "2026-06-01", "--format", "json", "-"], ["fmt", "-"])
    all_texts = texts(a.texts)
    differ = 0
    for n, text in enumerate(all_texts):
        for args in commands:
            if run(old, args, text) != run(new, args, text):
                differ += 1
                print(f"differs: text {n}, `{args[0]}`")
                if a.keep:
                    os.makedirs(a.keep, exist_ok=True)
                    with open(os.path.join(a.keep, f"{n}.pfk"), "w") as f:
                        f.write(text)
                break
    print(f"{len(all_texts)} texts, {differ} read differently")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
