#!/usr/bin/env python3
"""Reads prefectc's output back as Kubernetes does: with a YAML 1.1 reader.

usage: readback.py PATH/TO/prefectc

Every build root under examples/, every parity program tests/parity/*.pfk
and tests/external/everything.pfk is built, and the YAML is read with
PyYAML's `safe_load_all` (YAML 1.1: `0x1F`, `1_000`, `1:20`, `on`,
`2001-12-14` are not strings there). Every field that Kubernetes types as a
string must come back as a `str`: env values, args, command, probe and
lifecycle commands, label and annotation keys and values (of objects and of
pod templates), and ConfigMap data. A negative control runs first: a
document with an unquoted `0x1F` env value must be caught, or the checker
itself is broken.
"""
import pathlib
import subprocess
import sys

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from validate import ROOT, inputs  # noqa: E402

CONTAINER_LISTS = ("containers", "initContainers")


def string_fields(doc):
    """(path, value) of every field of `doc` that Kubernetes types as a string."""
    out = []

    def meta(m, at):
        for part in ("labels", "annotations"):
            for k, v in ((m or {}).get(part) or {}).items():
                out.append((f"{at}.{part} key", k))
                out.append((f"{at}.{part}.{k}", v))

    def container(c, at):
        for e in c.get("env") or []:
            if "value" in e:
                out.append((f"{at}.env.{e.get('name')}", e["value"]))
        for field in ("args", "command"):
            for i, a in enumerate(c.get(field) or []):
                out.append((f"{at}.{field}[{i}]", a))
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            for i, a in enumerate(((c.get(probe) or {}).get("exec") or {}).get("command") or []):
                out.append((f"{at}.{probe}.exec[{i}]", a))

    def walk(node, at):
        if isinstance(node, dict):
            if "metadata" in node and isinstance(node["metadata"], dict):
                meta(node["metadata"], f"{at}.metadata")
            for key, value in node.items():
                if key in CONTAINER_LISTS and isinstance(value, list):
                    for c in value:
                        container(c, f"{at}.{key}[{c.get('name')}]")
                walk(value, f"{at}.{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{at}[{i}]")

    walk(doc, doc.get("kind", "?"))
    if doc.get("kind") == "ConfigMap":
        for k, v in (doc.get("data") or {}).items():
            out.append((f"ConfigMap.data.{k}", v))
    return out


def problems(text, source):
    found = []
    for doc in yaml.safe_load_all(text):
        if not doc:
            continue
        name = (doc.get("metadata") or {}).get("name")
        for path, value in string_fields(doc):
            if not isinstance(value, str):
                found.append(
                    f"{source}: {doc.get('kind')}/{name} {path} reads back as "
                    f"{type(value).__name__} {value!r}"
                )
    return found


NEGATIVE_CONTROL = """\
apiVersion: v1
kind: Pod
metadata:
  name: control
spec:
  containers:
  - name: c
    env:
    - name: X
      value: 0x1F
"""


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    prefectc = sys.argv[1]
    if not problems(NEGATIVE_CONTROL, "negative control"):
        print("readback: the negative control (an unquoted 0x1F) was not caught")
        return 1
    failures = []
    count = 0
    for source in inputs():
        run = subprocess.run([prefectc, "build", str(source)], capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"{source}: build failed\n{run.stderr}")
            continue
        count += 1
        failures += problems(run.stdout, source.relative_to(ROOT))
    for f in failures:
        print(f)
    print(f"readback: {count} builds read back with PyYAML {yaml.__version__}, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
