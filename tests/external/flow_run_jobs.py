#!/usr/bin/env python3
"""The flow-run Jobs of every kubernetes work pool prefectc emits, rendered by
the real Prefect kubernetes worker and judged.

usage: flow_run_jobs.py PATH/TO/prefectc [--negative-control] [FILES...]
           [--kubernetes-validate PATH] [--checkov PATH] [--versions 1.35,1.36,1.37]

A kubernetes worker creates each flow run as a Job from its work pool's base
job template. prefectc writes that template into the ConfigMap
`<worker>-base-job-template` (key `baseJobTemplate.json`, docs/work-pools.md).
For each such ConfigMap of each site this script:

1. finds the Prefect release of the worker that reads it: the version at the
   start of the image tag of the worker Deployment that mounts the ConfigMap
   (`prefecthq/prefect:3.4.25-python3.12-kubernetes` -> 3.4.25; prefectc
   writes the tag from the worker's `image` when it names one, else from
   `site.prefect`, docs/prefect-versions.md), else `prefect = "..."` of the
   site block in the .pfk;
2. finds the namespace the Job runs in (`variables.properties.namespace
   .default`, or a literal `job_configuration.namespace`) and its Pod
   Security level: the `pod-security.kubernetes.io/enforce` label of the
   Namespace object of that name when the site emits one, else the site's
   `policy` (`restricted` when unset, docs/policy.md);
3. renders the Job as the worker would, with the real prefect and
   prefect-kubernetes of that release, offline, in the cached venv
   ${PREFECTC_CACHE:-~/.cache/prefectc-ci}/prefect-versions/<version>-python3.12-kubernetes
   (the exact release when that venv exists, else the newest venv of the same
   major.minor line, else one made by prefect_job_templates.py's helpers: the
   only network use, before any check): `from_template_and_values(template,
   {})` then `prepare_for_flow_run(FlowRun(...))`, and takes `job_manifest`.
   The venv's python runs in a clean environment (no PREFECT_*, a scratch HOME
   and cwd), one process per venv, with a client stub that fails on any use:
   a template that needs the Prefect API (block or variable references) is an
   error, not a call;
4. judges the Job: kubernetes-validate --strict for each Kubernetes version
   (as validate.py calls it); the Pod Security Standards at the namespace's
   level, every violated control per container (the controls of
   https://kubernetes.io/docs/concepts/security/pod-security-standards/,
   written here from that page, not from prefectc's policy code); and checkov
   as crosscheck.py runs it, with the check ids docs/policy.md accepts, which
   must have judged every rendered Job. checkov sees the Job beside the
   site's NetworkPolicies of its namespace (CKV2_K8S_6 asks whether one
   selects the pod). Before both tools, the pod spec's `completions: 1` and
   `parallelism: 1` are removed: every worker refuses a template without
   them, and the API server drops them (they are not PodSpec fields); a
   `note:` line says so. The Job gets the name the API server would make
   from `generateName`.

What it proves: the Job the worker of that release would submit for a flow
run of a deployment with no job_variables is valid Kubernetes and admitted by
Pod Security at the namespace's level.

What it does not prove: anything about a deployment's `job_variables` (they
can change image, env, namespace, resources); the worker's own connection
settings (the real worker adds its PREFECT_API_URL etc. to `env`; here the
environment is empty); admission by anything but Pod Security (quotas,
OpenShift SCCs, other webhooks); whether the image runs as the user the Job
names; Pod Security of the worker's own pods (validate.py and prefectc's
policy checks do that).

--negative-control: renders Prefect's unmodified default template
(stdlib/prefect/kubernetes-job-template/3.9.json, the newest 3.x line) with
the 3.9 venv and judges it as if in a `restricted` namespace. It must fail
Pod Security; whether strict validation rejects it (completions and
parallelism kept) is reported. Two more guards of the judge itself: the same
template with a restricted securityContext must pass Pod Security, and a
self-test gives pss() one pod per control, which must be reported at its
level and not below. Exit 0 only when all of this holds.

Output: one line per (site, worker template), `ok` or `FAIL` followed by
the reasons; then a summary line. Exit 1 when any fails or a site cannot be
built or judged. What the worker does to a template (env, resources, labels,
required fields) is in docs/flow-run-rendering-notes.md.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent
CM_SUFFIX = "-base-job-template"
CM_KEY = "baseJobTemplate.json"
FLOW_RUN_ID = "1e1e1e1e-0000-4000-8000-000000000001"
FLOW_ID = "1e1e1e1e-0000-4000-8000-000000000002"
NEGATIVE_LINE = "3.9"


def cache_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("PREFECTC_CACHE") or pathlib.Path.home() / ".cache/prefectc-ci")


# --------------------------------------------------------------------------
# The renderer: runs inside a prefect venv (`--render-inner`). Reads
# {"jobs": {key: template}} on stdin, prints {"prefect": ..., "prefect-kubernetes":
# ..., "results": {key: {"manifest": ...} | {"error": ...}}} on stdout.


class _OfflineClient:
    """Stands for the Prefect client: any use of it is an error, so that a
    template needing the API (block documents, variables) is reported instead
    of reaching for a server."""

    def __bool__(self):
        return True

    def __getattr__(self, name):
        raise RuntimeError(f"the template needs the Prefect API (client.{name}); this check is offline")


def _render_one(template: dict, pool: str | None = None) -> dict:
    import asyncio
    import copy
    import uuid

    from prefect.client.schemas.objects import FlowRun
    from prefect_kubernetes.worker import KubernetesWorkerJobConfiguration as Config

    made = Config.from_template_and_values(copy.deepcopy(template), {}, client=_OfflineClient())
    config = asyncio.run(made) if inspect.isawaitable(made) else made
    flow_run = FlowRun(id=uuid.UUID(FLOW_RUN_ID), name="test-run", flow_id=uuid.UUID(FLOW_ID))
    params = inspect.signature(config.prepare_for_flow_run).parameters
    kwargs = {k: None for k in ("deployment", "flow", "work_pool", "worker_name", "worker_id") if k in params}
    # The worker passes its own pool (Prefect 3 labels the Job and its pod
    # with it) and name.
    if pool and "work_pool" in params:
        from prefect.client.schemas.objects import WorkPool

        kwargs["work_pool"] = WorkPool(name=pool, type="kubernetes")
    if "worker_name" in params:
        kwargs["worker_name"] = "flow-run-jobs"
    config.prepare_for_flow_run(flow_run=flow_run, **kwargs)
    return config.job_manifest


def render_inner() -> None:
    import importlib.metadata as md
    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    request = json.load(sys.stdin)
    results = {}
    # Prefect prints nothing on stdout but the JSON below.
    with contextlib.redirect_stdout(sys.stderr):
        pools = request.get("pools", {})
        for key, template in request["jobs"].items():
            try:
                results[key] = {"manifest": _render_one(template, pools.get(key))}
            except Exception as e:  # reported per template
                results[key] = {"error": f"{type(e).__name__}: {e}"}
    out = {"prefect": md.version("prefect"), "prefect-kubernetes": md.version("prefect-kubernetes"), "results": results}
    sys.stdout.write(json.dumps(out, sort_keys=True) + "\n")


# --------------------------------------------------------------------------
# Venvs


def vkey(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


# `--venv LINE=PATH`: the venv rendering every release of LINE (CI gives
# one per line it needs, made from tests/external/flow-runs/requirements-*.txt;
# a line without one is then an error, never a download).
GIVEN_VENVS: dict[str, pathlib.Path] = {}


def venv_for(version: str) -> pathlib.Path:
    """The venv rendering a worker of `version` (see the module docstring)."""
    if GIVEN_VENVS:
        line = ".".join(version.split(".")[:2])
        if line not in GIVEN_VENVS:
            raise SystemExit(f"no --venv for Prefect {line} (given: {', '.join(sorted(GIVEN_VENVS))})")
        return GIVEN_VENVS[line]
    base = cache_dir() / "prefect-versions"
    exact = base / f"{version}-python3.12-kubernetes"
    if (exact / "bin/python").exists():
        return exact
    line = ".".join(version.split(".")[:2])
    same = []
    for d in base.glob(f"{line}.*-python3.12-kubernetes"):
        v = d.name.split("-", 1)[0]
        if re.fullmatch(r"\d+\.\d+\.\d+", v) and (d / "bin/python").exists():
            same.append((vkey(v), d))
    if same:
        return max(same)[1]
    return make_venv(version)


def make_venv(version: str) -> pathlib.Path:
    """Installs `version` as the official -kubernetes image does, with the
    helpers of prefect_job_templates.py (network: set-up only)."""
    sys.path.insert(0, str(HERE))
    import prefect_job_templates as pjt  # noqa: E402
    import prefect_settings as ps  # noqa: E402

    line = ps.line_of(version)
    cutoff = pjt.upload_time(version) + pjt.EXCLUDE_NEWER_MARGIN
    print(f"set-up: making the venv of prefect {version} (--exclude-newer {pjt.iso(cutoff)})", file=sys.stderr)
    return ps.ensure_venv(
        f"{version}-python{pjt.IMAGE_PYTHON}-kubernetes",
        pjt.requirements(line, version),
        pjt.image_python(),
        ["--exclude-newer", pjt.iso(cutoff)],
    )


def render_all(venv: pathlib.Path, jobs: dict[str, dict], pools: dict[str, str] | None = None) -> dict:
    """Renders every template of `jobs` in one process of the venv's python,
    in a clean environment (like prefect_settings.py's clean_reexec)."""
    home = tempfile.mkdtemp(prefix="flow-run-jobs-home-")
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR")}
    env.update(HOME=home, PYTHONWARNINGS="ignore", PYTHONDONTWRITEBYTECODE="1")
    try:
        run = subprocess.run(
            [str(venv / "bin/python"), str(pathlib.Path(__file__).resolve()), "--render-inner"],
            input=json.dumps({"jobs": jobs, "pools": pools or {}}),
            capture_output=True,
            text=True,
            env=env,
            cwd=home,
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if run.returncode != 0:
        raise SystemExit(f"rendering in {venv} failed (exit {run.returncode}):\n{run.stderr[-4000:]}")
    return json.loads(run.stdout)


# --------------------------------------------------------------------------
# Sites


def site_roots(files: list[pathlib.Path]) -> list[pathlib.Path]:
    """The files no other given file imports (as validate.py and crosscheck.py
    pick build roots)."""
    imported = set()
    for f in files:
        for name in re.findall(r'^import\s+"([^"]+)"', f.read_text(), re.M):
            imported.add((f.parent / name).resolve())
    return [f for f in files if f.resolve() not in imported]


def default_files() -> list[pathlib.Path]:
    files = sorted((ROOT / "examples").glob("*.pfk"))
    files += sorted((ROOT / "../shared/spec/examples").resolve().glob("*.pfk"))
    teams = ROOT / "examples/teams/site.pfk"
    if teams.exists():
        files.append(teams)
    # every flow-runs setting, on the release lines the examples do not pin
    files += sorted((HERE / "flow-runs").glob("*.pfk"))
    return files


def label(f: pathlib.Path) -> str:
    f = f.resolve()
    for base, name in ((ROOT, ""), ((ROOT / "../shared").resolve(), "../shared/")):
        try:
            return name + str(f.relative_to(base))
        except ValueError:
            pass
    return str(f)


def strip_comments(text: str) -> str:
    """The .pfk without `//` and `/* */` comments (strings kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def site_block(f: pathlib.Path, seen=None) -> str | None:
    """The body of the `site NAME { ... }` block of f or of a file it imports."""
    seen = seen or set()
    if f.resolve() in seen:
        return None
    seen.add(f.resolve())
    text = strip_comments(f.read_text())
    m = re.search(r"^\s*site\s+[\w\"-]+\s*\{", text, re.M)
    if m:
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        return text[m.end() : i - 1]
    for name in re.findall(r'^import\s+"([^"]+)"', text, re.M):
        body = site_block(f.parent / name, seen)
        if body is not None:
            return body
    return None


def site_field(body: str | None, name: str) -> str | None:
    """A top-level field of the site block: its literal value, `?` when the
    value is not a literal."""
    if body is None:
        return None
    depth = 0
    for line in body.splitlines():
        if depth == 0:
            m = re.match(rf"\s*{re.escape(name)}\s*=\s*(.*?)\s*,?\s*$", line)
            if m:
                v = m.group(1)
                if re.fullmatch(r'"[^"]*"', v):
                    return v[1:-1]
                if re.fullmatch(r"[\w.-]+", v):
                    return v
                return "?"
        depth += line.count("{") - line.count("}")
    return None


def build(prefectc: str, f: pathlib.Path) -> tuple[list[dict] | None, str]:
    import yaml

    run = subprocess.run([prefectc, "build", str(f), "--today", "2026-06-01"], capture_output=True, text=True)
    if run.returncode != 0:
        return None, run.stderr
    return [d for d in yaml.safe_load_all(run.stdout) if d], ""


class Target:
    """One (site, worker template) to render and judge."""

    def __init__(self, site: str, worker: str, template: dict, version: str, namespace: str, level: str, how: str):
        self.site, self.worker, self.template = site, worker, template
        self.version, self.namespace, self.level, self.how = version, namespace, level, how
        self.netpols: list[dict] = []  # the site's NetworkPolicies in `namespace`
        self.pool: str | None = None  # the worker's pool (`--pool`), as the worker passes it
        # checkov ids accepted for this site beyond docs/policy.md's table
        self.accepted: set[str] = set()
        self.manifest: dict | None = None
        self.rendered_by = ""
        self.reasons: list[str] = []

    @property
    def key(self) -> str:
        return f"{self.site} :: {self.worker}"


def job_namespace(t: dict) -> str:
    """Where Prefect creates the Job: job_configuration.namespace, a literal
    or a whole `{{ var }}` read from the variable's default, else `default`
    (KubernetesWorkerJobConfiguration.namespace)."""
    ns = t.get("job_configuration", {}).get("namespace")
    if isinstance(ns, str):
        m = re.fullmatch(r"\{\{\s*(\w+)\s*\}\}", ns)
        if not m:
            return ns
        ns = t.get("variables", {}).get("properties", {}).get(m.group(1), {}).get("default")
    return ns if isinstance(ns, str) and ns else "default"


def targets_of(f: pathlib.Path, docs: list[dict]) -> tuple[list[Target], list[str]]:
    body = site_block(f)
    policy = site_field(body, "policy") or "restricted"
    site_prefect = site_field(body, "prefect")
    namespaces = {
        d["metadata"]["name"]: d["metadata"].get("labels", {}) for d in docs if d.get("kind") == "Namespace"
    }
    out, errors = [], []
    for d in docs:
        name = d.get("metadata", {}).get("name", "")
        if d.get("kind") != "ConfigMap" or not name.endswith(CM_SUFFIX) or CM_KEY not in (d.get("data") or {}):
            continue
        worker = name[: -len(CM_SUFFIX)]
        template = json.loads(d["data"][CM_KEY])
        version, how, pool = None, "", None
        for dep in docs:
            if dep.get("kind") != "Deployment":
                continue
            pod = dep["spec"]["template"]["spec"]
            if any((v.get("configMap") or {}).get("name") == name for v in pod.get("volumes", [])):
                image = pod["containers"][0]["image"]
                args = pod["containers"][0].get("args") or []
                if "--pool" in args[:-1]:
                    pool = args[args.index("--pool") + 1]
                tag = image.split("@")[0].rsplit(":", 1)[1] if ":" in image.split("@")[0].split("/")[-1] else ""
                m = re.match(r"(\d+\.\d+\.\d+)(?![\w.])", tag)
                if m:
                    version, how = m.group(1), f"image {image}"
        if version is None and site_prefect and re.fullmatch(r"\d+\.\d+\.\d+", site_prefect):
            version, how = site_prefect, 'site.prefect = "' + site_prefect + '"'
        if version is None:
            errors.append(f"{label(f)} :: {worker}: cannot tell the worker's Prefect release")
            continue
        ns = job_namespace(template)
        level = namespaces.get(ns, {}).get("pod-security.kubernetes.io/enforce")
        lhow = f"Namespace {ns} label" if level else f"site policy {policy}"
        level = level or policy
        if level not in ("privileged", "baseline", "restricted"):
            errors.append(f"{label(f)} :: {worker}: cannot tell the Pod Security level ({lhow})")
            continue
        t = Target(label(f), worker, template, version, ns, level, f"{how}; {lhow}")
        t.pool = pool
        t.netpols = [
            d for d in docs if d.get("kind") == "NetworkPolicy" and d["metadata"].get("namespace") == ns
        ]
        if site_field(body, "platform") == "openshift":
            # The restricted-v2 SCC assigns the user (docs/policy.md, "What
            # the compiler emits"): no runAsUser is written, and checkov's
            # high-UID check cannot see the SCC's.
            t.accepted.add("CKV_K8S_40")
        out.append(t)
    return out, errors


# --------------------------------------------------------------------------
# Pod Security Standards, from
# https://kubernetes.io/docs/concepts/security/pod-security-standards/
# (the policy table of the page; a control's "restricted fields"/"allowed
# values" are quoted in the comments).

BASELINE_CAPS = {
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
    "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}
SELINUX_TYPES = {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}
SAFE_SYSCTLS = {
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
}
RESTRICTED_VOLUMES = {
    "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
}


def containers(pod: dict):
    for kind in ("initContainers", "containers", "ephemeralContainers"):
        for c in pod.get(kind) or []:
            yield f"{kind}[{c.get('name')}]", c


def pss(pod_meta: dict, pod: dict, level: str) -> list[str]:
    """Every violated control of `level` in a pod template, per container."""
    if level == "privileged":
        return []
    v: list[str] = []
    psc = pod.get("securityContext") or {}
    # baseline -----------------------------------------------------------
    # HostProcess: windowsOptions.hostProcess undefined/false
    if (psc.get("windowsOptions") or {}).get("hostProcess"):
        v.append("HostProcess: pod windowsOptions.hostProcess")
    # Host Namespaces: hostNetwork, hostPID, hostIPC undefined/false
    for f in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(f):
            v.append(f"Host Namespaces: spec.{f} is true")
    # HostPath Volumes: undefined
    for vol in pod.get("volumes") or []:
        if "hostPath" in vol:
            v.append(f"HostPath Volumes: volume {vol.get('name')}")
    # AppArmor: pod appArmorProfile.type undefined/RuntimeDefault/Localhost; the annotations
    if (psc.get("appArmorProfile") or {}).get("type") not in (None, "RuntimeDefault", "Localhost"):
        v.append(f"AppArmor: pod appArmorProfile.type {psc['appArmorProfile']['type']}")
    for k, val in (pod_meta.get("annotations") or {}).items():
        if k.startswith("container.apparmor.security.beta.kubernetes.io/") and not (
            val == "runtime/default" or val.startswith("localhost/")
        ):
            v.append(f"AppArmor: annotation {k}={val}")
    # SELinux: type in the allowed list, user and role undefined/""
    def selinux(where: str, o: dict | None):
        o = o or {}
        if o.get("type") not in (None, *SELINUX_TYPES):
            v.append(f"SELinux: {where} seLinuxOptions.type {o['type']}")
        for f in ("user", "role"):
            if o.get(f) not in (None, ""):
                v.append(f"SELinux: {where} seLinuxOptions.{f} is set")
    selinux("pod", psc.get("seLinuxOptions"))
    # Seccomp (baseline): not Unconfined
    pod_seccomp = (psc.get("seccompProfile") or {}).get("type")
    if pod_seccomp == "Unconfined":
        v.append("Seccomp: pod seccompProfile.type Unconfined")
    # Sysctls: the safe set
    for s in psc.get("sysctls") or []:
        if s.get("name") not in SAFE_SYSCTLS:
            v.append(f"Sysctls: {s.get('name')}")
    for where, c in containers(pod):
        sc = c.get("securityContext") or {}
        if (sc.get("windowsOptions") or {}).get("hostProcess"):
            v.append(f"HostProcess: {where}")
        if sc.get("privileged"):
            v.append(f"Privileged Containers: {where} privileged")
        add = set((sc.get("capabilities") or {}).get("add") or []) - {""}
        if add - BASELINE_CAPS:
            v.append(f"Capabilities (baseline): {where} adds {', '.join(sorted(add - BASELINE_CAPS))}")
        for p in c.get("ports") or []:
            if p.get("hostPort"):
                v.append(f"Host Ports: {where} hostPort {p['hostPort']}")
        # Host Probes / Lifecycle Hooks (1.34+): host undefined or ""
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            for h in ("httpGet", "tcpSocket"):
                if ((c.get(probe) or {}).get(h) or {}).get("host"):
                    v.append(f"Host Probes: {where} {probe}.{h}.host")
        for hook in ("postStart", "preStop"):
            for h in ("httpGet", "tcpSocket"):
                if (((c.get("lifecycle") or {}).get(hook) or {}).get(h) or {}).get("host"):
                    v.append(f"Host Probes: {where} lifecycle.{hook}.{h}.host")
        if (sc.get("appArmorProfile") or {}).get("type") not in (None, "RuntimeDefault", "Localhost"):
            v.append(f"AppArmor: {where} appArmorProfile.type {sc['appArmorProfile']['type']}")
        selinux(where, sc.get("seLinuxOptions"))
        if sc.get("procMount") not in (None, "Default"):
            v.append(f"/proc Mount Type: {where} procMount {sc['procMount']}")
        if (sc.get("seccompProfile") or {}).get("type") == "Unconfined":
            v.append(f"Seccomp: {where} seccompProfile.type Unconfined")
    if level == "baseline":
        return v
    # restricted ---------------------------------------------------------
    # Volume Types: only the listed sources
    for vol in pod.get("volumes") or []:
        kinds = set(vol) - {"name"}
        if kinds - RESTRICTED_VOLUMES:
            v.append(f"Volume Types: volume {vol.get('name')} is {', '.join(sorted(kinds - RESTRICTED_VOLUMES))}")
    pod_nonroot = psc.get("runAsNonRoot")
    if psc.get("runAsUser") == 0:
        v.append("Running as Non-root user: pod runAsUser 0")
    if pod_seccomp not in (None, "RuntimeDefault", "Localhost"):
        v.append(f"Seccomp (restricted): pod seccompProfile.type {pod_seccomp}")
    if pod_nonroot is False:
        v.append("Running as Non-root: pod runAsNonRoot is false")
    for where, c in containers(pod):
        sc = c.get("securityContext") or {}
        # Privilege Escalation: allowPrivilegeEscalation false
        if sc.get("allowPrivilegeEscalation") is not False:
            v.append(f"Privilege Escalation: {where} allowPrivilegeEscalation is not false")
        # Running as Non-root: pod true and container undefined/true, or container true
        c_nonroot = sc.get("runAsNonRoot")
        if c_nonroot is False or (c_nonroot is None and pod_nonroot is not True):
            v.append(f"Running as Non-root: {where} runAsNonRoot is not true (nor the pod's)")
        # Running as Non-root user: runAsUser not 0
        if sc.get("runAsUser") == 0:
            v.append(f"Running as Non-root user: {where} runAsUser 0")
        # Seccomp: RuntimeDefault or Localhost, container or pod
        c_sec = (sc.get("seccompProfile") or {}).get("type")
        if c_sec not in ("RuntimeDefault", "Localhost") and not (
            c_sec is None and pod_seccomp in ("RuntimeDefault", "Localhost")
        ):
            v.append(f"Seccomp (restricted): {where} seccompProfile.type is {c_sec or 'unset'} (pod: {pod_seccomp or 'unset'})")
        # Capabilities: drop ALL; add only NET_BIND_SERVICE
        caps = sc.get("capabilities") or {}
        if "ALL" not in (caps.get("drop") or []):
            v.append(f"Capabilities (restricted): {where} does not drop ALL")
        extra = set(caps.get("add") or []) - {"NET_BIND_SERVICE", ""}
        if extra:
            v.append(f"Capabilities (restricted): {where} adds {', '.join(sorted(extra))}")
    return v


# --------------------------------------------------------------------------
# kubernetes-validate and checkov


def kubernetes_validate(tool: str, versions: list[str], files: dict[str, pathlib.Path]) -> dict[str, list[str]]:
    """{key: [errors]} of `kubernetes-validate --strict` (validate.py's call),
    all files of one version in one call."""
    by_path = {str(p): k for k, p in files.items()}
    errors: dict[str, list[str]] = {k: [] for k in files}
    for version in versions:
        run = subprocess.run(
            [tool, "-k", f"{version}.0", "--strict", "--quiet", *by_path],
            capture_output=True,
            text=True,
        )
        text = run.stdout + run.stderr
        seen = False
        for line in text.splitlines():
            if line.startswith("ERROR") or "Couldn't find schema" in line:
                for path, key in by_path.items():
                    if path in line:
                        errors[key].append(f"{version}: {line.replace(path + ' ', '').replace('ERROR ', '')}")
                        seen = True
        if run.returncode != 0 and not seen:
            for key in files:
                errors[key].append(f"{version}: kubernetes-validate exit {run.returncode}: {text.strip()[-500:]}")
    return errors


def checkov(tool: str, directory: pathlib.Path, files: dict[str, pathlib.Path]) -> dict[str, list[str]]:
    """{key: [failed check ids outside docs/policy.md's table]}, as
    crosscheck.py scans, but without --quiet (which leaves the passed checks
    out, and with them the proof that a Job was judged at all): a Job checkov
    judged no check of is a failure. Only the Job's results count, not the
    NetworkPolicies' scanned beside it."""
    sys.path.insert(0, str(HERE))
    import crosscheck  # noqa: E402

    allowed = crosscheck.allowed_checkov_ids()
    scan = subprocess.run(
        [tool, "-d", str(directory), "--framework", "kubernetes", "-o", "json"],
        capture_output=True,
        text=True,
    )
    try:
        reports = json.loads(scan.stdout)
    except json.JSONDecodeError:
        return {k: [f"checkov printed no JSON (exit {scan.returncode}): {scan.stderr.strip()[-300:]}"] for k in files}
    if isinstance(reports, dict):
        reports = [reports]
    by_name = {p.name: k for k, p in files.items()}
    out: dict[str, list[str]] = {k: [] for k in files}
    scanned: set[str] = set()
    for r in reports:
        for kind in ("passed_checks", "failed_checks"):
            for c in r.get("results", {}).get(kind, []):
                name = pathlib.Path(c["file_path"]).name
                # the Job's results: `Job.<ns>.<name>`, and `Pod.<ns>.<name>...`
                # of the graph checks (CKV2_*), which judge its pod template
                if not c.get("resource", "").startswith(("Job.", "Pod.")):
                    continue
                scanned.add(name)
                if kind == "failed_checks" and c["check_id"] not in allowed and name in by_name:
                    out[by_name[name]].append(f"{c['check_id']} {c['check_name']}")
    for key in out:
        out[key].sort()
    for name, key in by_name.items():
        if name not in scanned:
            out[key].append("checkov judged no check of the rendered Job")
    return out


# Fields of the pod spec every Prefect worker requires (its job manifest
# validator refuses a template without them, or with another value: it
# compares with `_get_base_job_manifest()` of prefect_kubernetes/worker.py, in
# 2.20 to 3.9) and that PodSpec does not have. The API server drops unknown
# fields of a create request that names no `fieldValidation` (the worker's
# kubernetes client names none), with a warning; so they are removed before
# the strict validation, and reported once.
DROPPED_BY_API_SERVER = {"completions": 1, "parallelism": 1}


def as_created(manifest: dict, drop: bool = True) -> tuple[dict, list[str]]:
    """The Job as the API server stores it, for the tools: with the name it
    makes from `generateName` (a fixed suffix here; kubernetes-validate
    cannot report an error of an object without metadata.name: KeyError)
    and, with `drop`, without the fields of DROPPED_BY_API_SERVER. Returns
    it and the fields dropped."""
    m = json.loads(json.dumps(manifest))
    meta = m.setdefault("metadata", {})
    if not meta.get("name") and meta.get("generateName"):
        meta["name"] = meta["generateName"] + "x7k2q"
    pod = ((m.get("spec") or {}).get("template") or {}).get("spec") or {}
    dropped = []
    for k, v in DROPPED_BY_API_SERVER.items():
        if drop and k in pod and pod[k] == v:
            del pod[k]
            dropped.append(f"spec.template.spec.{k}")
    return m, dropped


def judge(targets: list[Target], kv_tool: str, ck_tool: str, versions: list[str], drop: bool = True) -> set[str]:
    """Judges the rendered Jobs; returns the fields dropped before validation."""
    import yaml

    dropped: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="flow-run-jobs-") as tmp:
        files = {}
        for i, t in enumerate(targets):
            if t.manifest is None:
                continue
            job, gone = as_created(t.manifest, drop)
            dropped.update(gone)
            job.setdefault("metadata", {}).setdefault("namespace", t.namespace)
            p = pathlib.Path(tmp) / f"job-{i:03d}.yaml"
            p.write_text(yaml.safe_dump(job, sort_keys=False))
            files[t.key] = p
            # checkov judges the Job beside the NetworkPolicies the site puts
            # in its namespace (CKV2_K8S_6 asks whether one selects the pod)
            ck = pathlib.Path(tmp, "checkov")
            ck.mkdir(exist_ok=True)
            (ck / p.name).write_text(yaml.safe_dump_all([job, *t.netpols], sort_keys=False))
        if not files:
            return dropped
        kv = kubernetes_validate(kv_tool, versions, files)
        ck = checkov(ck_tool, pathlib.Path(tmp, "checkov"), files)
    for t in targets:
        if t.manifest is None:
            continue
        spec = ((t.manifest.get("spec") or {}).get("template") or {})
        for r in pss(spec.get("metadata") or {}, spec.get("spec") or {}, t.level):
            t.reasons.append(f"PSS {t.level}: {r}")
        t.reasons += [f"kubernetes-validate --strict {e}" for e in kv.get(t.key, [])]
        t.reasons += [f"checkov {e}" for e in ck.get(t.key, []) if e.split()[0] not in t.accepted]
        t.reasons += [f"lost: {e}" for e in reached(t.template, t.manifest)]
        t.reasons += [f"prefectc {e}" for e in own_rules(t)]
    return dropped


# The prefectc under test, for `own_rules` (set by main).
PREFECTC: str | None = None


def own_rules(t: "Target") -> list[str]:
    """prefectc's own policy rules on the rendered Job: the Job, as the
    worker created it, is handed back to prefectc as a worker's own base
    job template (which prefectc judges like every pod) in a site of the
    same release and profile; every error and warning counts. The
    container `env` is left out (it holds what the worker sets at run time:
    the API connection, the flow run's ID, which prefectc refuses to see
    written in a template)."""
    import copy

    if PREFECTC is None or t.manifest is None:
        return []
    job = copy.deepcopy(t.manifest)
    pod = ((job.get("spec") or {}).get("template") or {}).get("spec") or {}
    for c in pod.get("containers", []) + pod.get("initContainers", []):
        c.pop("env", None)
    template = {"job_configuration": {"namespace": t.namespace, "job_manifest": job}, "variables": {}}
    site = (
        f'site check {{\n  namespace = "prefect-check"\n  prefect   = "{t.version}"\n  policy    = {t.level}\n}}\n'
        f'worker w {{\n  pool = "{t.pool or "flows"}"\n  type = kubernetes\n'
        f'  api  = self-hosted {{ url = "http://prefect.prefect.svc:4200/api" }}\n'
        f'  job-namespaces = ["{t.namespace}"]\n'
        f'  base-job-template = """\n{json.dumps(template)}\n"""\n}}\n'
    )
    run = subprocess.run(
        [PREFECTC, "build", "-", "--format", "json"], input=site, capture_output=True, text=True
    )
    found = []
    for line in run.stderr.splitlines():
        try:
            d = json.loads(line)
        except json.JSONDecodeError:
            continue
        if d.get("severity") in ("error", "warning"):
            found.append(f"{d.get('code')} {d.get('message')}")
    if run.returncode not in (0, 1) and not found:
        found.append(f"prefectc exited {run.returncode}: {run.stderr.strip()[-300:]}")
    return found


PLACEHOLDER = re.compile(r"^\{\{\s*([\w.]+)\s*\}\}$")


def reached(template: dict, manifest: dict) -> list[str]:
    """What the template says that the rendered Job does not show: every
    literal value of the template's Job manifest must be in the Job at the
    same place (a hard-coded container `env` list by name: the worker puts
    its own entries in front of it, and from 3.4 its own value wins for a
    name it sets too), and every whole `{{ var }}` placeholder whose
    variable has a default must render to that default (a map, such as
    `labels`, at least holds it). A setting prefectc wrote into the template
    but Prefect does not carry into the Job is a setting lost."""
    defaults = {
        k: v.get("default")
        for k, v in (template.get("variables", {}).get("properties", {}) or {}).items()
    }
    problems: list[str] = []

    def walk(t, m, at: str):
        if isinstance(t, str) and (ph := PLACEHOLDER.match(t)):
            want = defaults.get(ph.group(1))
            if want is None:
                return
            if isinstance(want, dict) and isinstance(m, dict):
                missing = {k: v for k, v in want.items() if m.get(k) != v}
                if missing:
                    problems.append(f"{at}: {missing} of the default of `{ph.group(1)}` is not in the Job")
            elif m != want:
                problems.append(f"{at}: {m!r}, but the default of `{ph.group(1)}` is {want!r}")
            return
        if isinstance(t, str) and "{{" in t:
            return
        if isinstance(t, dict):
            if not isinstance(m, dict):
                problems.append(f"{at}: {m!r} where the template has an object")
                return
            for k, v in t.items():
                walk(v, m.get(k), f"{at}.{k}")
            return
        if isinstance(t, list) and at.endswith(".env"):
            rendered = {e.get("name"): e for e in (m or []) if isinstance(e, dict)}
            for e in t:
                if e.get("name") not in rendered:
                    problems.append(f"{at}: `{e.get('name')}` of the template is not in the Job")
            return
        if isinstance(t, list):
            if not isinstance(m, list) or len(m) < len(t):
                problems.append(f"{at}: {m!r} where the template has {t!r}")
                return
            for i, v in enumerate(t):
                walk(v, m[i], f"{at}[{i}]")
            return
        if t != m:
            problems.append(f"{at}: {m!r} where the template has {t!r}")

    walk(template.get("job_configuration", {}).get("job_manifest", {}), manifest, "job")
    return problems


def render_targets(targets: list[Target]) -> None:
    by_venv: dict[pathlib.Path, list[Target]] = {}
    for t in targets:
        by_venv.setdefault(venv_for(t.version), []).append(t)
    for venv, ts in sorted(by_venv.items()):
        got = render_all(venv, {t.key: t.template for t in ts}, {t.key: t.pool for t in ts if t.pool})
        for t in ts:
            r = got["results"][t.key]
            t.rendered_by = f"prefect {got['prefect']} + prefect-kubernetes {got['prefect-kubernetes']}"
            if "error" in r:
                t.reasons.append(f"the worker cannot render the template: {r['error']}")
            else:
                t.manifest = r["manifest"]


# --------------------------------------------------------------------------


def pss_self_test() -> list[str]:
    """Each control of pss() on a pod that breaks only it: the control must
    be reported at its level and not below. Returns what went wrong."""
    ok_c = {"name": "c", "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}
    ok_pod = {"securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}, "containers": [ok_c]}

    def with_(pod=None, c=None, psc=None):
        p = json.loads(json.dumps(ok_pod))
        p.update(pod or {})
        p["securityContext"].update(psc or {})
        for k, v in (c or {}).items():
            if k == "securityContext":
                p["containers"][0]["securityContext"].update(v)
            else:
                p["containers"][0][k] = v
        return p

    cases = [  # (lowest level that forbids it, expected text, pod)
        ("baseline", "Host Namespaces", with_(pod={"hostNetwork": True})),
        ("baseline", "Privileged", with_(c={"securityContext": {"privileged": True}})),
        ("baseline", "Capabilities (baseline)", with_(c={"securityContext": {"capabilities": {"drop": ["ALL"], "add": ["SYS_ADMIN"]}}})),
        ("baseline", "HostPath", with_(pod={"volumes": [{"name": "h", "hostPath": {"path": "/"}}]})),
        ("baseline", "Host Ports", with_(c={"ports": [{"containerPort": 80, "hostPort": 80}]})),
        ("baseline", "AppArmor", with_(psc={"appArmorProfile": {"type": "Unconfined"}})),
        ("baseline", "SELinux", with_(c={"securityContext": {"seLinuxOptions": {"type": "spc_t"}}})),
        ("baseline", "/proc Mount", with_(c={"securityContext": {"procMount": "Unmasked"}})),
        ("baseline", "Seccomp", with_(c={"securityContext": {"seccompProfile": {"type": "Unconfined"}}})),
        ("baseline", "Sysctls", with_(psc={"sysctls": [{"name": "kernel.msgmax", "value": "1"}]})),
        ("baseline", "Host Probes", with_(c={"livenessProbe": {"httpGet": {"host": "10.0.0.1", "port": 80}}})),
        ("restricted", "Volume Types", with_(pod={"volumes": [{"name": "n", "nfs": {"server": "s", "path": "/"}}]})),
        ("restricted", "Privilege Escalation", with_(c={"securityContext": {"allowPrivilegeEscalation": True}})),
        ("restricted", "Running as Non-root:", with_(psc={"runAsNonRoot": False})),
        ("restricted", "Running as Non-root user", with_(c={"securityContext": {"runAsUser": 0}})),
        ("restricted", "Seccomp (restricted)", with_(psc={"seccompProfile": None})),
        ("restricted", "Capabilities (restricted)", with_(c={"securityContext": {"capabilities": {"drop": ["NET_RAW"]}}})),
        ("restricted", "Capabilities (restricted)", with_(c={"securityContext": {"capabilities": {"drop": ["ALL"], "add": ["CHOWN"]}}})),
    ]
    order = ["privileged", "baseline", "restricted"]
    bad = []
    if any(pss({}, ok_pod, level) for level in order):
        bad.append(f"the compliant pod is reported: {pss({}, ok_pod, 'restricted')}")
    for lowest, text, pod in cases:
        for level in order:
            found = any(text in v for v in pss({}, pod, level))
            want = order.index(level) >= order.index(lowest)
            if found != want:
                bad.append(f"{text}: {'not reported' if want else 'reported'} at {level}")
    return bad


def hardened(template: dict) -> dict:
    """The template with the securityContext the restricted level asks for:
    the negative control's twin, which must pass Pod Security."""
    t = json.loads(json.dumps(template))
    pod = t["job_configuration"]["job_manifest"]["spec"]["template"]["spec"]
    pod["securityContext"] = {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
    for c in pod["containers"]:
        c["securityContext"] = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}
    return t


def negative_control(args) -> int:
    """Prefect's unmodified default template, judged as restricted, must fail
    Pod Security; the same template with a restricted securityContext must
    pass it (else the judge fails everything). Strict validation is run on
    the Job as rendered, completions and parallelism kept, and reported."""
    path = ROOT / f"stdlib/prefect/kubernetes-job-template/{NEGATIVE_LINE}.json"
    rel = str(path.relative_to(ROOT))
    default = Target(rel, "default template", json.loads(path.read_text()), NEGATIVE_LINE, "default", "restricted", "")
    twin = Target(rel, "default template + restricted securityContext", hardened(default.template), NEGATIVE_LINE,
                  "default", "restricted", "")
    selftest = pss_self_test()
    for e in selftest:
        print(f"negative control: Pod Security self-test: {e}")
    print(f"negative control: Pod Security self-test: {'ok' if not selftest else 'FAILED'} (one pod per control)")
    render_targets([default, twin])
    judge([default], args.kubernetes_validate, args.checkov, args.versions.split(","), drop=False)
    judge([twin], args.kubernetes_validate, args.checkov, args.versions.split(","))
    for t in (default, twin):
        print(f"negative control: {t.key}, rendered by {t.rendered_by}, judged as restricted:")
        for r in t.reasons:
            print(f"    {r}")
    pss_found = [r for r in default.reasons if r.startswith("PSS ")]
    # prefectc's own rules, on the same Job handed back as a template, must
    # fail it too; its hardened twin must pass them.
    own_found = [r for r in default.reasons if r.startswith("prefectc ")]
    twin_own = [r for r in twin.reasons if r.startswith("prefectc ")]
    print(
        f"negative control: prefectc's own rules find {len(own_found)} problems in the default "
        f"template's Job and {len(twin_own)} in its hardened twin's"
    )
    strict = [r for r in default.reasons if r.startswith("kubernetes-validate")]
    twin_pss = [r for r in twin.reasons if r.startswith("PSS ") or r.startswith("the worker")]
    print(
        f"negative control: the default template has {len(pss_found)} Pod Security violations; strict "
        f"validation of it as rendered (completions and parallelism kept) "
        f"{'rejects it: ' + str(len(strict)) + ' errors' if strict else 'accepts it'}; "
        f"its hardened twin has {len(twin_pss)} Pod Security violations"
    )
    # `reached` must see a setting the Job lost: the hardened twin's own
    # rendering passes it, and the same rendering with its securityContext
    # taken away and its image changed must not.
    lost_ok = False
    if twin.manifest is not None:
        import copy

        clean = reached(twin.template, twin.manifest)
        planted = copy.deepcopy(twin.manifest)
        pod = planted["spec"]["template"]["spec"]
        pod.pop("securityContext", None)
        pod["containers"][0]["image"] = "planted:1"
        twin.template["variables"]["properties"]["image"]["default"] = "prefecthq/prefect:3.9.1-python3.12"
        found = reached(twin.template, planted)
        lost_ok = not clean and len(found) >= 2
        print(
            f"negative control: settings lost from the Job: none in the real rendering ({clean or 'ok'}), "
            f"{len(found)} with the pod's securityContext and the image planted away"
        )
    ok = (
        default.manifest is not None
        and bool(pss_found)
        and twin.manifest is not None
        and not twin_pss
        and bool(own_found)
        and not selftest
        and lost_ok
    )
    print(f"negative control: {'fails as expected' if ok else 'DOES NOT BEHAVE AS EXPECTED: the check is broken'}")
    return 0 if ok else 1


def main() -> None:
    if sys.argv[1:] == ["--render-inner"]:
        render_inner()
        return
    try:
        import yaml  # noqa: F401
    except ImportError:
        py = cache_dir() / "venv/bin/python"
        if py.exists() and pathlib.Path(sys.executable).resolve() != py.resolve():
            os.execv(str(py), [str(py), __file__, *sys.argv[1:]])
        raise SystemExit("PyYAML is needed (it is in ${PREFECTC_CACHE}/venv)")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("prefectc")
    p.add_argument("files", nargs="*", type=pathlib.Path)
    p.add_argument("--negative-control", action="store_true")
    p.add_argument("--kubernetes-validate", default=str(cache_dir() / "venv/bin/kubernetes-validate"))
    p.add_argument("--checkov", default=str(cache_dir() / "venv/bin/checkov"))
    p.add_argument("--versions", default="1.35,1.36,1.37")
    p.add_argument("--venv", action="append", default=[], metavar="LINE=PATH",
                   help="render releases of LINE (2.20, 3.4, …) with the venv PATH; with any, no other is used")
    args = p.parse_intermixed_args()
    for given in args.venv:
        line, _, path = given.partition("=")
        GIVEN_VENVS[line] = pathlib.Path(path)
    t0 = time.monotonic()
    global PREFECTC
    PREFECTC = str(pathlib.Path(args.prefectc).resolve())
    if args.negative_control:
        code = negative_control(args)
        print(f"({time.monotonic() - t0:.1f} s)")
        sys.exit(code)
    prefectc = str(pathlib.Path(args.prefectc).resolve())
    targets, errors = [], []
    for f in site_roots(args.files or default_files()):
        docs, err = build(prefectc, f)
        if docs is None:
            errors.append(f"{label(f)} does not build:\n{err}")
            continue
        ts, errs = targets_of(f, docs)
        targets += ts
        errors += errs
    render_targets(targets)
    dropped = judge(targets, args.kubernetes_validate, args.checkov, args.versions.split(","))
    for t in sorted(targets, key=lambda t: t.key):
        head = f"{t.key} (prefect {t.version} -> {t.rendered_by}; namespace {t.namespace}, {t.level} by {t.how.split('; ')[1]})"
        if t.reasons:
            print(f"FAIL {head}")
            for r in t.reasons:
                print(f"    {r}")
        else:
            print(f"ok   {head}")
    for e in errors:
        print(f"ERROR {e}")
    if dropped:
        print(
            f"note: {', '.join(sorted(dropped))} (= 1) removed before kubernetes-validate and checkov: every "
            "Prefect worker requires them, and the API server drops them (not PodSpec fields)"
        )
    failed = sum(1 for t in targets if t.reasons)
    print(
        f"flow-run Jobs: {len(targets) - failed} ok, {failed} FAIL, {len(errors)} errors, "
        f"of {len(targets)} worker templates ({time.monotonic() - t0:.1f} s)"
    )
    sys.exit(1 if failed or errors else 0)


if __name__ == "__main__":
    main()
