#!/usr/bin/env python3
"""Cross-checks prefectc's policy output with real third-party tools.

usage: crosscheck.py PATH/TO/prefectc --checkov PATH --sarif-schema PATH

1. checkov: every example under examples/ that is a build root (no other
   example imports it) and carries no `@allow` waiver is built, and checkov scans the
   YAML. Any failed check whose id is not listed in docs/policy.md's table
   "Checkov checks we do not share" fails the run (the table may list at
   most three ids).
2. SARIF: the reports of two failing fixtures are validated against the SARIF
   2.1.0 JSON schema.
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]


def allowed_checkov_ids():
    text = (ROOT / "docs" / "policy.md").read_text()
    section = text.split("## Checkov checks we do not share", 1)[1].split("\n## ", 1)[0]
    ids = re.findall(r"^\|\s*`(CKV2?_K8S_\d+)`", section, re.M)
    if len(ids) > 3:
        sys.exit(f"docs/policy.md lists {len(ids)} checkov ids; at most three are allowed")
    return set(ids)


def site_roots():
    """The example files no other example imports, without waivers."""
    files = sorted((ROOT / "examples").rglob("*.pfk"))
    imported = set()
    for f in files:
        for name in re.findall(r'^import\s+"([^"]+)"', f.read_text(), re.M):
            imported.add((f.parent / name).resolve())
    for f in files:
        if f.resolve() not in imported and "@allow(" not in f.read_text():
            yield f


def checkov(prefectc, checkov_bin):
    allowed = allowed_checkov_ids()
    built = 0
    with tempfile.TemporaryDirectory() as out:
        for f in site_roots():
            built += 1
            yaml = subprocess.run([prefectc, "build", str(f)], capture_output=True, text=True)
            if yaml.returncode != 0:
                sys.exit(f"{f} does not build:\n{yaml.stderr}")
            name = str(f.relative_to(ROOT / "examples")).replace("/", "-")
            pathlib.Path(out, name.replace(".pfk", ".yaml")).write_text(yaml.stdout)
        scan = subprocess.run(
            [checkov_bin, "-d", out, "--framework", "kubernetes", "-o", "json", "--quiet"],
            capture_output=True, text=True,
        )
        reports = json.loads(scan.stdout)
    if isinstance(reports, dict):
        reports = [reports]
    failed = [c for r in reports for c in r.get("results", {}).get("failed_checks", [])]
    passed = sum(r.get("summary", {}).get("passed", 0) for r in reports)
    unexpected = [c for c in failed if c["check_id"] not in allowed]
    # checkov exits cleanly on a directory it could not read; a scan that
    # judged nothing, or fewer files than were built, proves nothing.
    scanned = {c["file_path"] for r in reports for kind in ("passed_checks", "failed_checks")
               for c in r.get("results", {}).get(kind, [])}
    if built == 0 or len(scanned) < built:
        print(f"checkov: scanned {len(scanned)} of {built} built files")
        return False
    print(f"checkov: {passed} passed, {len(failed)} failed, of which {len(failed) - len(unexpected)} "
          f"are the listed ids {sorted(allowed)}")
    for c in unexpected:
        print(f"  FAIL {c['check_id']} {c['check_name']}: {c['resource']} ({c['file_path']})")
    return not unexpected


def sarif(prefectc, schema_path):
    """The reports of two failing fixtures are valid SARIF 2.1.0: one with
    policy findings and waivers, one whose diagnostic carries a fix."""
    import jsonschema

    schema = json.loads(pathlib.Path(schema_path).read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    ok = True
    for name, needs in [("waivers.pfk", "results"), ("typo.pfk", "fixes")]:
        fixture = ROOT / "tests" / "fixtures" / "reports" / name
        run = subprocess.run(
            [prefectc, "check", str(fixture), "--format", "sarif", "--today", "2026-06-01"],
            capture_output=True, text=True,
        )
        if run.returncode != 1:
            print(f"sarif {name}: expected exit 1 from the failing fixture, got {run.returncode}")
            ok = False
            continue
        report = json.loads(run.stdout)
        results = report["runs"][0]["results"]
        fixes = sum(len(r.get("fixes", [])) for r in results)
        if needs == "fixes" and fixes == 0:
            print(f"sarif {name}: no result carries a fix")
            ok = False
        errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
        for e in errors:
            print(f"  SARIF {name} {'/'.join(map(str, e.path))}: {e.message}")
        print(f"sarif {name}: {len(results)} results, {fixes} fixes, {len(errors)} schema errors")
        ok = ok and not errors
    return ok


def main():
    p = argparse.ArgumentParser()
    p.add_argument("prefectc")
    p.add_argument("--checkov", required=True)
    p.add_argument("--sarif-schema", required=True)
    a = p.parse_args()
    prefectc = str(pathlib.Path(a.prefectc).resolve())
    ok = checkov(prefectc, a.checkov)
    ok = sarif(prefectc, a.sarif_schema) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
