#!/usr/bin/env python3
"""Validates prefectc's output against the Kubernetes OpenAPI schemas.

usage: validate.py PATH/TO/prefectc --kubernetes-validate PATH [--versions 1.35,1.36,1.37]
                   [--crd-models NODE_MODULES_DIR]

Every build root under examples/ (a file no other example imports), every
parity program tests/parity/*.pfk and tests/external/everything.pfk (every
component with nearly every feature on) is built, and the YAML is checked with
kubernetes-validate in strict mode (unknown fields are errors) for each
Kubernetes version. Kinds defined by CRDs (ServiceMonitor, PrometheusRule,
Gateway, HTTPRoute) have no schema there; with --crd-models they are checked
by tests/external/crds.mjs against the schemas generated from their published
CRDs (npm @kubernetes-models/prometheus-operator and gateway-api).
"""
import argparse
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def inputs():
    examples = sorted((ROOT / "examples").rglob("*.pfk"))
    imported = set()
    for f in examples:
        for name in re.findall(r'^import\s+"([^"]+)"', f.read_text(), re.M):
            imported.add((f.parent / name).resolve())
    roots = [f for f in examples if f.resolve() not in imported]
    parity = sorted((ROOT / "tests" / "parity").glob("*.pfk"))
    return roots + parity + [ROOT / "tests" / "external" / "everything.pfk"]


CRD_KINDS = {"ServiceMonitor", "PrometheusRule", "Gateway", "HTTPRoute"}


def check_crds(files, models):
    """Validates the CRD-based objects of every build; returns 1 on failure."""
    import json

    import yaml

    items = []
    for source, out in files:
        for doc in yaml.safe_load_all(out.read_text()):
            if doc and doc.get("kind") in CRD_KINDS:
                items.append({"source": str(source.relative_to(ROOT)), "object": doc})
    run = subprocess.run(
        ["node", str(ROOT / "tests" / "external" / "crds.mjs"), models],
        input=json.dumps(items),
        capture_output=True,
        text=True,
    )
    lines = (run.stdout + run.stderr).splitlines()
    for line in lines:
        if not line.startswith("ok "):
            print(line)
    return 1 if run.returncode != 0 else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("prefectc")
    parser.add_argument("--kubernetes-validate", required=True)
    parser.add_argument("--versions", default="1.35,1.36,1.37")
    parser.add_argument("--crd-models")
    args = parser.parse_args()
    versions = args.versions.split(",")

    failures = 0
    checked = 0
    crd_kinds = set()
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for source in inputs():
            out = pathlib.Path(tmp) / (source.relative_to(ROOT).as_posix().replace("/", "__") + ".yaml")
            built = subprocess.run(
                [args.prefectc, "build", str(source), "--today", "2026-06-01"],
                capture_output=True,
                text=True,
            )
            if built.returncode != 0:
                print(f"FAIL {source.relative_to(ROOT)} does not build:\n{built.stderr}")
                failures += 1
                continue
            out.write_text(built.stdout)
            files.append((source, out))
        for version in versions:
            for source, out in files:
                run = subprocess.run(
                    [args.kubernetes_validate, "-k", f"{version}.0", "--strict", "--quiet", str(out)],
                    capture_output=True,
                    text=True,
                )
                text = run.stdout + run.stderr
                for kind in re.findall(r"Couldn't find schema for kind (\w+)", text):
                    crd_kinds.add(kind)
                errors = [l for l in text.splitlines() if l.startswith("ERROR")]
                checked += 1
                if run.returncode != 0 or errors:
                    failures += 1
                    print(f"FAIL {source.relative_to(ROOT)} against Kubernetes {version}:")
                    print(text)
        # A kind kubernetes-validate has no schema for passes it silently;
        # only the CRD kinds checked below may do that.
        unchecked = crd_kinds - CRD_KINDS
        if unchecked:
            failures += 1
            print(f"FAIL kinds without any schema: {', '.join(sorted(unchecked))}")
        if crd_kinds and not args.crd_models:
            failures += 1
            print("FAIL CRD kinds were emitted but --crd-models was not given")
        if args.crd_models:
            failures += check_crds(files, args.crd_models)
    print(
        f"kubernetes-validate --strict: {checked - failures} of {checked} builds valid "
        f"({len(files)} sites x {len(versions)} versions); "
        f"kinds without a built-in schema: {', '.join(sorted(crd_kinds)) or 'none'}"
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
