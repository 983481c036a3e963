#!/usr/bin/env python3
"""The Kubernetes work pool's default base job template, per Prefect release
line: `stdlib/prefect/kubernetes-job-template/<line>.json`.

prefectc gives each declared kubernetes work pool the default base job
template of the pinned Prefect's kubernetes worker, with only the namespace
default changed; these files are that default, taken from the real packages.
Shares its helpers (release lines, venvs, clean re-exec) with
prefect_settings.py beside it.

Modes:

  dump
      Run with the python of a venv where prefect and prefect-kubernetes are
      installed. Prints `KubernetesWorker.get_default_base_job_template()` as
      the committed files hold it: `json.dumps(t, indent=2,
      ensure_ascii=False)` and a newline, keys in Prefect's order. Re-executes
      itself in a clean environment (no PREFECT_* variables, a scratch HOME and
      working directory) like prefect_settings.py's dump.

  check [--dir DIR] [--negative-control]
      Run with such a venv's python (e.g. one `generate` made). Dumps the
      installed template and compares it with DIR/<line>.json (DIR defaults
      to stdlib/prefect/kubernetes-job-template). Exit 1 with a unified diff
      on any difference, 0 when equal. With --negative-control it also checks
      a copy of DIR whose file has one value changed, which must fail: exit 0
      only when the real file passes and the modified copy fails.

  generate [--out DIR] [--lines 3.8,3.9]
      For every release line (PATCHES of prefect_settings.py): makes (or
      reuses) the venv
      ${PREFECTC_CACHE:-$HOME/.cache/prefectc-ci}/prefect-versions/<version>-python3.12-kubernetes
      with the newest patch installed as the official image
      prefecthq/prefect:<version>-python3.12-kubernetes installs it
      (`prefect[<IMAGE_EXTRAS>]==<version>` on python 3.12), resolved by uv with
      --exclude-newer set to the upload time of that prefect release on the
      package index plus one day, dumps it to DIR/<line>.json and prints the
      provenance table of stdlib/prefect/README.md (line, prefect,
      prefect-kubernetes, exclude-newer) and the namespace findings.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prefect_settings as ps  # noqa: E402  (stdlib-only at import time)

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DIR = ROOT / "stdlib/prefect/kubernetes-job-template"

# The python of the image tag followed (prefecthq/prefect:<version>-python3.12-kubernetes).
IMAGE_PYTHON = "3.12"

# How the official `-kubernetes` image installs Prefect: the workflow
# .github/workflows/docker-images.yaml of PrefectHQ/prefect builds the
# Dockerfile with `PREFECT_EXTRAS=[kubernetes]` (2.x branch and 3.0.x; since
# "Use `kubernetes` extra when building Docker image", #15257, 2024-09) or
# `PREFECT_EXTRAS=[redis,kubernetes]` (3.1 and later, checked at the tags of
# 3.1.15, 3.2.15, 3.3.7, 3.4.25, 3.5.0, 3.6.29, 3.7.8, 3.8.3 and main of
# 2026-08), and the Dockerfile installs `prefect.tar.gz${PREFECT_EXTRAS}`. The
# `kubernetes` extra pins prefect-kubernetes: `<0.5.0` in 2.20, `>=0.4.0rc1` in
# 3.0, `>=0.4.0` from 3.1. The image is built when the release is published, so
# the resolution is cut at the release's upload time plus one day.
IMAGE_EXTRAS: dict[str, str] = {"2.20": "kubernetes", "3.0": "kubernetes"}
DEFAULT_IMAGE_EXTRAS = "redis,kubernetes"

# Extra requirements per line, with the reasons.
TEMPLATE_PINS: dict[str, tuple[list[str], str]] = {
    "2.20": (
        ["pydantic==2.9.2", "pydantic-core==2.23.4"],
        "the pair prefect 2.20 is known to work with (PINS of prefect_settings.py: "
        "with pydantic 2.14 its CLI fails). At 2.20.27's cutoff (2026-10-24) the "
        "resolver alone takes pydantic 2.12.5, with which `prefect version` works "
        "too and the template is byte-identical (2.20 builds it with pydantic's v1 "
        "API; checked 2026-11-30): the pin changes no byte of 2.20.json",
    ),
}

EXCLUDE_NEWER_MARGIN = datetime.timedelta(days=1)


# --------------------------------------------------------------------------
# dump (inside the venv)


def render(template) -> str:
    return json.dumps(template, indent=2, ensure_ascii=False) + "\n"


def installed() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for dist in ("prefect", "prefect-kubernetes", "pydantic"):
        try:
            out[dist] = md.version(dist)
        except md.PackageNotFoundError:
            out[dist] = "-"
    return out


def dump_template() -> str:
    import warnings

    warnings.simplefilter("ignore")
    from prefect_kubernetes.worker import KubernetesWorker

    return render(KubernetesWorker.get_default_base_job_template())


def cmd_dump(args) -> None:
    ps.clean_reexec(["dump"], __file__)
    sys.stdout.write(dump_template())


def cmd_versions(args) -> None:
    print(json.dumps(installed()))


def compare(committed: Path, got: str, label: str) -> bool:
    if not committed.exists():
        print(f"prefect_job_templates check: {committed} is missing")
        return False
    want = committed.read_text(encoding="utf-8")
    if want == got:
        print(f"prefect_job_templates check: {label} equals {committed}")
        return True
    sys.stdout.writelines(
        difflib.unified_diff(
            want.splitlines(keepends=True),
            got.splitlines(keepends=True),
            fromfile=str(committed),
            tofile=label,
        )
    )
    print(f"prefect_job_templates check: {label} differs from {committed}")
    return False


def modified_copy(text: str) -> str:
    """The template with one value changed: the namespace variable's default,
    else the first string value found."""
    t = json.loads(text)
    ns = t.get("variables", {}).get("properties", {}).get("namespace")
    if isinstance(ns, dict) and "default" in ns:
        ns["default"] = str(ns["default"]) + "-negative-control"
        return render(t)

    def first_str(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if isinstance(v, str):
                    o[k] = v + "-negative-control"
                    return True
                if first_str(v):
                    return True
        elif isinstance(o, list):
            return any(first_str(v) for v in o)
        return False

    if not first_str(t):
        raise SystemExit("negative control: no value to change")
    return render(t)


def cmd_check(args) -> None:
    d = Path(args.dir).resolve()
    argv = ["check", "--dir", str(d)] + (["--negative-control"] if args.negative_control else [])
    ps.clean_reexec(argv, __file__)
    v = installed()
    got = dump_template()
    line = ps.line_of(v["prefect"])
    label = f"prefect {v['prefect']} + prefect-kubernetes {v['prefect-kubernetes']} (installed)"
    print(f"prefect_job_templates check: {label}, line {line}")
    ok = compare(d / f"{line}.json", got, label)
    if not args.negative_control or not (d / f"{line}.json").exists():
        sys.exit(0 if ok else 1)
    with tempfile.TemporaryDirectory(prefix="job-template-negative-") as tmp:
        bad = Path(tmp) / f"{line}.json"
        src = d / f"{line}.json"
        bad.write_text(modified_copy(src.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"prefect_job_templates check: negative control, a modified copy of {src}:")
        caught = not compare(bad, got, label)
    print(
        f"prefect_job_templates check: committed file {'passes' if ok else 'FAILS'}, "
        f"modified copy {'fails (as it must)' if caught else 'PASSES (the check is broken)'}"
    )
    sys.exit(0 if ok and caught else 1)


# --------------------------------------------------------------------------
# generate


_PROJECT_JSON: dict | None = None


def upload_time(version: str) -> datetime.datetime:
    """When the prefect release `version` was uploaded to the package index:
    the newest `upload_time_iso_8601` of its files, from the JSON API
    (/pypi/prefect/<version>/json, else the project's /pypi/prefect/json
    `releases`, which some mirrors serve when they don't serve the former)."""
    global _PROJECT_JSON
    files = None
    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/prefect/{version}/json", timeout=60) as r:
            files = json.load(r)["urls"]
    except urllib.error.HTTPError as e:
        if e.code != 404:
            raise
        if _PROJECT_JSON is None:
            with urllib.request.urlopen("https://pypi.org/pypi/prefect/json", timeout=120) as r:
                _PROJECT_JSON = json.load(r)
        files = _PROJECT_JSON["releases"].get(version)
    if not files:
        raise SystemExit(f"prefect {version}: no files on the package index")
    times = [
        datetime.datetime.fromisoformat(f["upload_time_iso_8601"].replace("Z", "+00:00")) for f in files
    ]
    return max(times)


def iso(t: datetime.datetime) -> str:
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def image_python() -> str:
    """A working python IMAGE_PYTHON: `pythonX.Y` on PATH, else pyenv's (its
    shim on PATH fails when that version is not selected)."""
    cands = [shutil.which(f"python{IMAGE_PYTHON}")]
    cands += sorted(str(p) for p in Path.home().glob(f".pyenv/versions/{IMAGE_PYTHON}.*/bin/python{IMAGE_PYTHON}"))
    for c in cands:
        if not c:
            continue
        r = subprocess.run(
            [c, "-c", "import sys; print(sys.executable); print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
        )
        lines = r.stdout.split()
        if r.returncode == 0 and len(lines) == 2 and lines[1] == IMAGE_PYTHON:
            return lines[0]
    raise SystemExit(f"no working python{IMAGE_PYTHON} (tried {', '.join(c for c in cands if c)})")


def requirements(line: str, version: str) -> list[str]:
    extras = IMAGE_EXTRAS.get(line, DEFAULT_IMAGE_EXTRAS)
    pins = TEMPLATE_PINS.get(line, ([], ""))[0]
    return [f"prefect[{extras}]=={version}", *pins]


def namespace_findings(line: str, t: dict) -> list[str]:
    out = []
    props = t.get("variables", {}).get("properties", {})
    ns = props.get("namespace")
    if ns is None:
        out.append(f"{line}: variables.properties.namespace is missing")
    else:
        if ns.get("default") != "default":
            out.append(f"{line}: variables.properties.namespace.default is {ns.get('default')!r}")
        if ns.get("type") != "string":
            out.append(f"{line}: variables.properties.namespace.type is {ns.get('type')!r}")
    jc = t.get("job_configuration", {})
    if jc.get("namespace") != "{{ namespace }}":
        out.append(f"{line}: job_configuration.namespace is {jc.get('namespace')!r}")
    manifest_ns = jc.get("job_manifest", {}).get("metadata", {}).get("namespace")
    if manifest_ns != "{{ namespace }}":
        out.append(f"{line}: job_configuration.job_manifest.metadata.namespace is {manifest_ns!r}")
    return out


def generate_line(line: str, out: Path) -> dict:
    version = ps.PATCHES[line][-1]
    up = upload_time(version)
    cutoff = up + EXCLUDE_NEWER_MARGIN
    reqs = requirements(line, version)
    python = image_python()
    print(f"line {line}: prefect {version} uploaded {iso(up)}, --exclude-newer {iso(cutoff)}", file=sys.stderr)
    venv = ps.ensure_venv(
        f"{version}-python{IMAGE_PYTHON}-kubernetes", reqs, python, ["--exclude-newer", iso(cutoff)]
    )
    py = str(venv / "bin/python")
    v = json.loads(
        subprocess.run([py, os.path.abspath(__file__), "versions"], check=True, capture_output=True, text=True).stdout
    )
    if v["prefect"] != version:
        raise SystemExit(f"venv {venv} has prefect {v['prefect']}, not {version}")
    text = subprocess.run(
        [py, os.path.abspath(__file__), "dump"], check=True, capture_output=True, text=True
    ).stdout
    (out / f"{line}.json").write_text(text, encoding="utf-8")
    print(f"line {line}: wrote {out / f'{line}.json'} (prefect-kubernetes {v['prefect-kubernetes']})", file=sys.stderr)
    return {
        "line": line,
        "prefect": version,
        "prefect-kubernetes": v["prefect-kubernetes"],
        "pydantic": v["pydantic"],
        "exclude-newer": iso(cutoff),
        "findings": namespace_findings(line, json.loads(text)),
    }


def cmd_generate(args) -> None:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lines = args.lines.split(",") if args.lines else list(ps.PATCHES)
    rows = [generate_line(line, out) for line in lines]
    print("| line | prefect | prefect-kubernetes | pydantic | `--exclude-newer` |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['line']} | {r['prefect']} | {r['prefect-kubernetes']} | {r['pydantic']} | {r['exclude-newer']} |")
    findings = [f for r in rows for f in r["findings"]]
    for f in findings:
        print("namespace: " + f)
    if not findings:
        print(
            "namespace: every line has variables.properties.namespace.default \"default\" and "
            "job_configuration.namespace and job_manifest.metadata.namespace \"{{ namespace }}\""
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("dump")
    sub.add_parser("versions", help="the installed prefect, prefect-kubernetes and pydantic, as JSON")
    c = sub.add_parser("check")
    c.add_argument("--dir", default=str(DEFAULT_DIR))
    c.add_argument("--negative-control", action="store_true")
    g = sub.add_parser("generate")
    g.add_argument("--out", default=str(DEFAULT_DIR))
    g.add_argument("--lines", default="", help="comma-separated release lines (default: all)")
    args = ap.parse_args()
    {"dump": cmd_dump, "versions": cmd_versions, "check": cmd_check, "generate": cmd_generate}[args.cmd](args)


if __name__ == "__main__":
    main()
