#!/usr/bin/env python3
"""End-to-end test: the containers prefectc emits, run for real.

Builds tests/e2e/site.pfk (or --site) with target/release/prefectc and runs the main
container of every emitted Deployment and Job (and a worker's init
containers) as local processes from a virtual environment with the pinned
Prefect of requirements.txt, against a real PostgreSQL and a real Redis on
127.0.0.1. Command, arguments, environment (plain values, Secret references
resolved from secrets.yaml, `$(VAR)` expansion) and working directory come
from the YAML; the image's entrypoint wrapper is dropped, in-cluster host
names become 127.0.0.1, and emptyDir mounts become temporary directories.
Every rewrite is printed. Then it asserts what docs/e2e.md lists.

    python3 tests/e2e/run.py                       # the e2e, on site.pfk
    python3 tests/e2e/run.py --site tests/e2e/site-inline.pfk
    python3 tests/e2e/run.py --prefect 2.20.16 --site tests/e2e/site-2.20.pfk
    python3 tests/e2e/run.py --prefect 3.4.25 --site tests/e2e/site-3.4.pfk
    python3 tests/e2e/run.py --prefect 3.9.1 --site tests/e2e/site-3.9.pfk
    python3 tests/e2e/run.py --break database-env  # a broken build: must FAIL
    python3 tests/e2e/run.py --break database-env --expect-failure
                                                   # exit 0 only if it fails at the
                                                   # check that break targets

`--prefect VERSION` runs another Prefect: the venv is built from
tests/e2e/requirements-VERSION.txt (cached per version), and the site must pin
that release (`site.prefect`). What a release does not have is skipped, and
each skip is printed with its reason.

Exit codes: 0 passed, 1 a check failed (the site does not work), 2 the
harness could not set up (install, PostgreSQL, Redis, prefectc).
"""

from __future__ import annotations

import argparse
import base64
import glob
import hashlib
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CACHE = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache") / "prefectc-ci"
# The Prefect of requirements.txt (the default); another release runs from
# requirements-<version>.txt in a venv of its own (select_prefect).
DEFAULT_PREFECT = "3.8.8"
PREFECT = DEFAULT_PREFECT
VENV = CACHE / "e2e-venv"
REQUIREMENTS = HERE / "requirements.txt"


def select_prefect(version: str) -> None:
    """Run the e2e on Prefect `version`: its requirements file and venv."""
    global PREFECT, VENV, REQUIREMENTS
    PREFECT = version
    if version != DEFAULT_PREFECT:
        VENV = CACHE / f"e2e-venv-{version}"
        REQUIREMENTS = HERE / f"requirements-{version}.txt"


def prefect_major() -> int:
    return int(PREFECT.split(".")[0])


def skip(what: str, why: str) -> None:
    """A check this Prefect cannot be held to: said, never silent."""
    SKIPPED.append(what)
    log(f"SKIP {what}: {why}")
PREFECTC = ROOT / "target" / "release" / "prefectc"

# The prefecthq/prefect images' entrypoint: tini, then a script that installs
# EXTRA_PIP_PACKAGES and execs its arguments. Locally the arguments run as
# they are.
IMAGE_WRAPPER = ["/usr/bin/tini", "-g", "--", "/opt/prefect/entrypoint.sh"]

# What both sites declare: the pool and the worker the checks look for (taken
# from the sites, not from the emitted arguments, which are under test).
SITE_POOL, SITE_POOL_TYPE, SITE_POOL_CONCURRENCY = "scripts", "process", 2
SITE_WORKER = "e2e-shell"

DEADLINE_SECONDS = 9 * 60
START = time.monotonic()

# Deliberately broken builds: each edits the emitted YAML before the run, and
# names the check that must then fail.
BREAKS = {
    "database-env": (
        "rename PREFECT_SERVER_DATABASE_PASSWORD in every container (the database password never arrives)",
        "migrations",
    ),
    "worker-auth-env": (
        "rename PREFECT_API_AUTH_STRING in the worker Deployment (the worker talks to the API without credentials)",
        "worker-init",
    ),
    "api-messaging-env": (
        "rename PREFECT_MESSAGING_BROKER and PREFECT_MESSAGING_CACHE in the API Deployment (it publishes to an "
        "in-memory broker the background services never see)",
        "background-services",
    ),
    "worker-setting-typo": (
        "misspell PREFECT_WORKER_PREFETCH_SECONDS in the worker Deployment (Prefect would silently ignore it)",
        "settings",
    ),
    "service-target-port": (
        "point the API Service's targetPort at a port name the API container does not declare",
        "service",
    ),
    "worker-pool-arg": (
        "make the worker poll the pool `elsewhere` instead of the site's pool",
        "worker-online",
    ),
    "prefect3-names": (
        "give the Prefect 2.20 site Prefect 3's database names (PREFECT_API_DATABASE_* -> "
        "PREFECT_SERVER_DATABASE_*): Prefect 2 reads none of them and falls back to SQLite",
        "database",
    ),
}

# The site and Prefect a negative control runs on when --site/--prefect are
# not given (the others: site.pfk on the default Prefect).
BREAK_DEFAULTS = {
    "prefect3-names": (HERE / "site-2.20.pfk", "2.20.16"),
}


class CheckFailed(Exception):
    """A check of the e2e failed: the emitted site does not work."""

    def __init__(self, check: str, message: str):
        super().__init__(f"[{check}] {message}")
        self.check = check


class SetupError(Exception):
    """The harness could not prepare what the site needs."""


def log(message: str) -> None:
    print(f"[e2e {time.monotonic() - START:6.1f}s] {message}", flush=True)


PASSED: list[str] = []
SKIPPED: list[str] = []


def ok(message: str) -> None:
    """A check that passed."""
    PASSED.append(message)
    log(f"ok {len(PASSED)}: {message.strip()}")


def remaining() -> float:
    return DEADLINE_SECONDS - (time.monotonic() - START)


# --------------------------------------------------------------------------
# Installation (the only network use, cached across runs)


def runuser() -> str:
    found = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin")
    if not found:
        raise SetupError("runuser (util-linux) is missing: needed to run PostgreSQL as its own user under root")
    return found


def sudo() -> list[str]:
    return [] if os.geteuid() == 0 else ["sudo"]


def apt_install(packages: list[str]) -> None:
    log(f"installing {' '.join(packages)} with apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run(sudo() + ["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(sudo() + ["apt-get", "install", "-y", "-qq", *packages], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        raise SetupError(f"apt-get install {' '.join(packages)} failed: {error}") from error


def postgres_bin() -> pathlib.Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        apt_install(["postgresql"])
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise SetupError("no /usr/lib/postgresql/*/bin/initdb after installing postgresql")
    return pathlib.Path(found[-1]).parent


def redis_server() -> str:
    path = shutil.which("redis-server") or ("/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None)
    if not path:
        apt_install(["redis-server"])
        path = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(path):
        raise SetupError("redis-server is missing after installing it")
    return path


def ensure_venv() -> pathlib.Path:
    """The venv with requirements.txt installed; rebuilt when the file changes."""
    stamp = VENV / "requirements.sha256"
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    python = VENV / "bin" / "python"
    if python.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return python
    log(f"creating {VENV} from {REQUIREMENTS.relative_to(ROOT)}")
    shutil.rmtree(VENV, ignore_errors=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(REQUIREMENTS)], check=True)
    except subprocess.CalledProcessError as error:
        raise SetupError(f"installing {REQUIREMENTS} failed: {error}") from error
    stamp.write_text(digest + "\n")
    return python


# --------------------------------------------------------------------------
# Processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Every live descendant of `pid`, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = pathlib.Path(stat).read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(stat.split("/")[2]))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Processes:
    """Everything the run started, each in its own process group."""

    def __init__(self, logs: pathlib.Path):
        self.logs = logs
        self.cleanup_dirs: list[pathlib.Path] = []
        self.started: list[tuple[str, subprocess.Popen, pathlib.Path]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str], cwd: str | None = None,
              user: str | None = None) -> subprocess.Popen:
        logfile = self.logs / f"{name}.log"
        if user:
            argv = [runuser(), "-u", user, "--", *argv]
        with open(logfile, "wb") as out:
            proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        self.started.append((name, proc, logfile))
        return proc

    def run(self, name: str, argv: list[str], env: dict[str, str], cwd: str | None = None,
            timeout: float = 120, user: str | None = None) -> int:
        proc = self.start(name, argv, env, cwd, user)
        try:
            return proc.wait(timeout=min(timeout, max(remaining(), 1)))
        except subprocess.TimeoutExpired:
            self.stop(proc)
            return -1

    def tail(self, name: str, lines: int = 40) -> str:
        for n, _, logfile in self.started:
            if n == name:
                text = logfile.read_text(errors="replace").splitlines()
                return "\n".join(text[-lines:])
        return ""

    @staticmethod
    def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, grace: float = 10) -> None:
        """Stop a process group, and any descendant that left it (a flow run in a session of its own)."""
        strays = descendants(proc.pid)
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=grace)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def stop_all(self) -> None:
        for name, proc, _ in reversed(self.started):
            if proc.poll() is not None and not descendants(proc.pid):
                continue
            began = time.monotonic()
            # PostgreSQL: SIGINT is its fast shutdown; the rest get the
            # kubelet's SIGTERM.
            self.stop(proc, signal.SIGINT if name == "postgres" else signal.SIGTERM)
            log(f"stopped {name} in {time.monotonic() - began:.1f}s")

    def print_logs(self) -> None:
        for name, _, logfile in self.started:
            print(f"----- {name} ({logfile.name}), last lines -----")
            print(self.tail(name))


# --------------------------------------------------------------------------
# The database and the broker


def start_postgres(procs: Processes, secrets: dict, port: int):
    """PostgreSQL with the site's database and user; returns a query function
    on that database (as the superuser, over the socket: what the server
    wrote, not what it says)."""
    bindir = postgres_bin()
    user = secrets["prefect-db"]["user"]
    password = secrets["prefect-db"]["password"]
    # initdb and postgres refuse to run as root: run them as the postgres user
    # then, in a directory of its own.
    as_user = "postgres" if os.geteuid() == 0 else None
    pgroot = pathlib.Path(tempfile.mkdtemp(prefix="prefectc-e2e-pg-"))
    procs.cleanup_dirs.append(pgroot)
    if as_user:
        shutil.chown(pgroot, as_user, as_user)
    data, sockets = pgroot / "data", pgroot / "sockets"
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}

    def as_pg(argv: list[str]) -> list[str]:
        return [runuser(), "-u", as_user, "--", *argv] if as_user else argv

    for d in (data, sockets):
        subprocess.run(as_pg(["mkdir", "-p", str(d)]), check=True)
    init = subprocess.run(as_pg([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
                                 "--auth-local=trust", "--auth-host=scram-sha-256"]),
                          env=env, capture_output=True, text=True)
    if init.returncode != 0:
        raise SetupError(f"initdb failed:\n{init.stdout}{init.stderr}")
    procs.start("postgres", [str(bindir / "postgres"), "-D", str(data), "-p", str(port),
                             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={sockets}",
                             "-c", "fsync=off"], env, user=as_user)
    psql = [str(bindir / "psql"), "-h", str(sockets), "-p", str(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1",
            "-q", "-d", "postgres"]
    wait_for("postgres", lambda: subprocess.run(as_pg(psql + ["-c", "select 1"]), env=env,
                                                capture_output=True).returncode == 0, 30, procs)
    quoted = password.replace("'", "''")
    for sql in (f"create user \"{user}\" with password '{quoted}'", f"create database prefect owner \"{user}\""):
        done = subprocess.run(as_pg(psql + ["-c", sql]), env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SetupError(f"psql {sql!r} failed: {done.stderr}")
    log(f"PostgreSQL {bindir.parent.name} on 127.0.0.1:{port}, database prefect, user {user} (password auth)")

    def query(sql: str) -> list[str]:
        done = subprocess.run(as_pg(psql[:-1] + ["prefect", "-At", "-c", sql]), env=env, capture_output=True,
                              text=True)
        if done.returncode != 0:
            raise CheckFailed("database", f"psql {sql!r} on the database prefect failed: {done.stderr}")
        return [ln for ln in done.stdout.splitlines() if ln]

    return query


def start_redis(procs: Processes, secrets: dict, port: int, workdir: pathlib.Path) -> None:
    password = secrets["prefect-redis"]["redis-password"]
    workdir.mkdir()
    procs.start("redis", [redis_server(), "--bind", "127.0.0.1", "--port", str(port), "--requirepass", password,
                          "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                {"PATH": "/usr/bin:/bin"})
    wait_for("redis", lambda: port_open(port), 20, procs)
    log(f"Redis on 127.0.0.1:{port} (password required)")


def wait_for(what: str, ready, timeout: float, procs: Processes, watch: list[tuple[str, subprocess.Popen]] = (),
              check: str | None = None) -> None:
    """Poll `ready` until it is true; a watched process that exits fails at once."""
    end = time.monotonic() + min(timeout, max(remaining(), 1))
    while time.monotonic() < end:
        for name, proc in watch:
            if proc.poll() is not None:
                message = f"{name} exited with {proc.returncode} while waiting for {what}:\n{procs.tail(name)}"
                if check:
                    raise CheckFailed(check, message)
                raise SetupError(message)
        try:
            if ready():
                return
        except Exception:  # not ready yet
            pass
        time.sleep(0.5)
    message = f"{what} not ready after {timeout:.0f}s"
    if check:
        raise CheckFailed(check, message)
    raise SetupError(message)


# --------------------------------------------------------------------------
# Reading the build


def load_yaml_stream(text: str) -> list[dict]:
    import yaml  # from the venv (a dependency of Prefect)

    return [d for d in yaml.safe_load_all(text) if d]


def load_secrets(ports: dict[str, int]) -> dict[str, dict[str, str]]:
    text = (HERE / "secrets.yaml").read_text()
    for name, port in ports.items():
        text = text.replace("${" + name + "}", str(port))
    secrets = {}
    for doc in load_yaml_stream(text):
        data = {k: str(v) for k, v in (doc.get("stringData") or {}).items()}
        for k, v in (doc.get("data") or {}).items():
            data[k] = base64.b64decode(v).decode()
        secrets[doc["metadata"]["name"]] = data
    return secrets


class Rewriter:
    """Maps a pod's view of the world onto this machine, and records each change."""

    def __init__(self, routes: dict[str, dict[int, int]], namespace: str, paths: dict[str, str]):
        self.changes: list[str] = []
        label = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
        # Any in-cluster DNS name: <svc>.<ns>.svc[.cluster.local].
        self.cluster_dns = re.compile(rf"(?<![\w.-])(?:{label}\.)+svc(?:\.cluster\.local)?(?![\w-])")
        # The build's own Services, by every name a pod of the namespace can
        # use, as the host of a URL (not its user name, nor any other word):
        # routed as kube-proxy would, from the Service port to the target
        # port of the pods it selects.
        self.routes = {}
        for service, ports in routes.items():
            for name in (service, f"{service}.{namespace}", f"{service}.{namespace}.svc",
                         f"{service}.{namespace}.svc.cluster.local"):
                self.routes[name] = (service, ports)
        # Mount paths, longest first, at path boundaries, in one pass (a
        # mapped path may itself start with a mount path such as /tmp).
        self.paths = dict(paths)
        alternatives = "|".join(re.escape(p) for p in sorted(paths, key=len, reverse=True)) or "(?!)"
        self.mounts = re.compile(rf"(?<![\w./-])(?:{alternatives})(?=/|$|[^\w.-])")

    def _url_host(self, match: re.Match) -> str:
        scheme, _, netloc = match.group(0).partition("://")
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.partition(":")
        if host not in self.routes:
            return match.group(0)
        service, ports = self.routes[host]
        number = int(port) if port else {"http": 80, "https": 443}.get(scheme, 0)
        if number not in ports:
            raise CheckFailed("service", f"{match.group(0)} names port {number} of Service {service}, which has "
                                         f"only {sorted(ports)}")
        return f"{scheme}://{userinfo}{at}127.0.0.1:{ports[number]}"

    def __call__(self, where: str, value: str) -> str:
        new = re.sub(r"[a-z][a-z0-9+.-]*://[^\s/?#]+", self._url_host, value)
        new = self.cluster_dns.sub("127.0.0.1", new)
        if new == "0.0.0.0":  # bind addresses: loopback only here
            new = "127.0.0.1"
        new = self.mounts.sub(lambda m: self.paths[m.group(0)], new)
        if new != value:
            self.changes.append(f"{where}: {value!r} -> {new!r}")
        return new


def expand(value: str, env: dict[str, str]) -> str:
    """Kubernetes' `$(VAR)` expansion (`$$` escapes)."""
    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
                  lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), m.group(0)), value)


class Pod:
    """One pod template of the build, ready to run its containers locally."""

    def __init__(self, obj: dict, build: list[dict], secrets: dict, root: pathlib.Path,
                 routes: dict[str, dict[int, int]]):
        self.kind = obj["kind"]
        self.name = obj["metadata"]["name"]
        self.namespace = obj["metadata"].get("namespace", "default")
        self.spec = obj["spec"]["template"]["spec"]
        self.build = build
        self.secrets = secrets
        self.dir = root / f"{self.kind.lower()}-{self.name}"
        self.volume_dirs = self._volumes()
        self.routes = routes

    def _volumes(self) -> dict[str, pathlib.Path]:
        dirs = {}
        for volume in self.spec.get("volumes", []):
            d = self.dir / "volumes" / volume["name"]
            d.mkdir(parents=True)
            if "configMap" in volume:
                data = self._config_map(volume["configMap"]["name"])
                for k, v in data.items():
                    (d / k).write_text(v)
            elif "secret" in volume:
                for k, v in self.secrets.get(volume["secret"]["secretName"], {}).items():
                    (d / k).write_text(v)
            # emptyDir: the directory itself; projected (service-account
            # tokens): an empty directory, there is no API server here.
            dirs[volume["name"]] = d
        return dirs

    def _config_map(self, name: str) -> dict[str, str]:
        for obj in self.build:
            if obj["kind"] == "ConfigMap" and obj["metadata"]["name"] == name:
                return {k: str(v) for k, v in (obj.get("data") or {}).items()}
        raise CheckFailed("config", f"{self.kind}/{self.name} uses ConfigMap {name}, which the build does not emit")

    def _secret_value(self, ref: dict, where: str) -> str | None:
        data = self.secrets.get(ref["name"])
        if data is None or ref["key"] not in data:
            if ref.get("optional"):
                return None
            raise CheckFailed("config", f"{where}: Secret {ref['name']} key {ref['key']} is not in secrets.yaml")
        return data[ref["key"]]

    def container(self, name: str) -> dict:
        for c in self.spec.get("initContainers", []) + self.spec["containers"]:
            if c["name"] == name:
                return c
        raise KeyError(name)

    def local(self, container: dict, base_env: dict[str, str]) -> tuple[list[str], dict[str, str], str, Rewriter]:
        """argv, environment and working directory of a container, on this machine."""
        where = f"{self.kind}/{self.name}/{container['name']}"
        mounts = {}
        for m in container.get("volumeMounts", []):
            d = self.volume_dirs[m["name"]] / m.get("subPath", "")
            d.mkdir(parents=True, exist_ok=True)
            mounts[m["mountPath"]] = str(d)
        rw = Rewriter(self.routes, self.namespace, mounts)
        env: dict[str, str] = {}
        for source in container.get("envFrom", []):
            prefix = source.get("prefix", "")
            if "secretRef" in source:
                ref = source["secretRef"]
                data = self.secrets.get(ref["name"])
                if data is None and not ref.get("optional"):
                    raise CheckFailed("config", f"{where}: Secret {ref['name']} is not in secrets.yaml")
            else:
                data = self._config_map(source["configMapRef"]["name"])
            for k, v in (data or {}).items():
                env[prefix + k] = rw(f"{where} envFrom {prefix + k}", v)
        for var in container.get("env", []):
            if "value" in var:
                value = expand(str(var["value"]), env)
            else:
                source = var["valueFrom"]
                if "secretKeyRef" in source:
                    value = self._secret_value(source["secretKeyRef"], where)
                elif "configMapKeyRef" in source:
                    value = self._config_map(source["configMapKeyRef"]["name"]).get(source["configMapKeyRef"]["key"])
                elif "fieldRef" in source:
                    value = {"metadata.namespace": self.namespace, "metadata.name": f"{self.name}-e2e",
                             "spec.serviceAccountName": self.spec.get("serviceAccountName", "default")
                             }.get(source["fieldRef"]["fieldPath"], "")
                else:
                    raise CheckFailed("config", f"{where}: env {var['name']} from {source} is not supported here")
                if value is None:
                    continue
            env[var["name"]] = rw(f"{where} env {var['name']}", value)
        command = list(container.get("command") or [])
        if command[: len(IMAGE_WRAPPER)] == IMAGE_WRAPPER:
            command = command[len(IMAGE_WRAPPER):]
        argv = [rw(f"{where} argv", expand(a, env)) for a in command + list(container.get("args") or [])]
        if not argv:
            raise CheckFailed("config", f"{where} has neither command nor args: it would run the image's default")
        cwd = rw(f"{where} workingDir", container.get("workingDir", "/"))
        if not os.path.isabs(cwd) or not os.path.isdir(cwd) or cwd == "/":
            cwd = str(self.dir)
        # The pod's /tmp is a mounted volume; here it is wherever TMPDIR says.
        local_env = dict(base_env, **({"TMPDIR": mounts["/tmp"]} if "/tmp" in mounts else {}))
        return argv, {**local_env, **env}, cwd, rw


# --------------------------------------------------------------------------
# Talking to the API


class Api:
    def __init__(self, url: str, auth: str | None):
        self.url = url.rstrip("/")
        self.header = "Basic " + base64.b64encode(auth.encode()).decode() if auth else None

    def call(self, method: str, path: str, body=None, auth: bool = True, timeout: float = 10):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if auth and self.header:
            request.add_header("Authorization", self.header)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check_http_probes(pod: Pod, container: dict, check: str) -> list[str]:
    """The container's httpGet/tcpSocket probes, as the kubelet would run them (no credentials)."""
    done = []
    ports = {p["name"]: p["containerPort"] for p in container.get("ports", []) if "name" in p}
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        probe = container.get(kind)
        if not probe:
            continue
        if "httpGet" in probe:
            get = probe["httpGet"]
            port = ports.get(get["port"], get["port"])
            status = http_status(f"http://127.0.0.1:{port}{get.get('path', '/')}")
            if not 200 <= status < 400:
                raise CheckFailed(check, f"{pod.name}/{container['name']} {kind} GET :{port}{get.get('path')} "
                                         f"answered {status} (the kubelet needs 200-399)")
            done.append(f"{kind} GET :{port}{get.get('path')} -> {status}")
        elif "tcpSocket" in probe:
            port = ports.get(probe["tcpSocket"]["port"], probe["tcpSocket"]["port"])
            if not port_open(int(port)):
                raise CheckFailed(check, f"{pod.name}/{container['name']} {kind} TCP :{port} refused")
            done.append(f"{kind} TCP :{port} open")
        else:
            done.append(f"{kind} exec: not run (needs the pod's own PID namespace)")
    return done


FLOW_SOURCE = '''\
from prefect import flow
from prefect.runtime import flow_run


@flow(log_prints=True)
def hello() -> str:
    # The worker ran this: leave proof in the working directory the
    # deployment's pull step set.
    with open("ran-" + flow_run.id, "w") as marker:
        marker.write("hello from the e2e flow\\n")
    print("hello from the e2e flow")
    return "done"
'''


def known_settings() -> tuple[set[str], str]:
    """The environment variables Prefect's settings (and prefect-redis's, when
    installed) read, and what they were taken from."""
    import importlib
    import pkgutil

    if prefect_major() < 3:
        # Prefect 2: one flat registry of settings.
        from prefect.settings import SETTING_VARIABLES

        return set(SETTING_VARIABLES), f"Prefect {prefect_version()}"
    try:
        import prefect_redis
    except ImportError:
        prefect_redis = None
    from prefect.settings.base import PrefectBaseSettings
    from prefect.settings.legacy import _get_valid_setting_names

    for module in pkgutil.iter_modules(prefect_redis.__path__ if prefect_redis else []):
        importlib.import_module(f"prefect_redis.{module.name}")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = set()
    for cls in subclasses(PrefectBaseSettings):
        names |= _get_valid_setting_names(cls)
    return names, f"Prefect {prefect_version()}" + (" and prefect-redis" if prefect_redis else "")


def prefect_version() -> str:
    import prefect

    return prefect.__version__


# --------------------------------------------------------------------------
# The run


def rename_env(text: str, of_component: str, names: set[str]) -> str:
    """The build with env `names` renamed (`…_BROKEN`) in every container of a component's Deployment."""
    import yaml

    docs = load_yaml_stream(text)
    for d in docs:
        if d["kind"] == "Deployment" and component(d) == of_component:
            spec = d["spec"]["template"]["spec"]
            for c in spec.get("initContainers", []) + spec["containers"]:
                for var in c.get("env", []):
                    if var["name"] in names:
                        var["name"] += "_BROKEN"
    return yaml.safe_dump_all(docs, sort_keys=False)


def break_build(text: str, mode: str) -> str:
    if mode == "database-env":
        return text.replace("name: PREFECT_SERVER_DATABASE_PASSWORD\n", "name: PREFECT_SERVER_DATABASE_PASSWORD_BROKEN\n")
    if mode == "worker-auth-env":
        return rename_env(text, "worker", {"PREFECT_API_AUTH_STRING"})
    if mode == "api-messaging-env":
        return rename_env(text, "server", {"PREFECT_MESSAGING_BROKER", "PREFECT_MESSAGING_CACHE"})
    if mode == "worker-setting-typo":
        return text.replace("name: PREFECT_WORKER_PREFETCH_SECONDS\n", "name: PREFECT_WORKER_PREFETCH_SECS\n")
    if mode == "service-target-port":
        import yaml

        docs = load_yaml_stream(text)
        for d in docs:
            if d["kind"] == "Service" and component(d) == "server":
                for port in d["spec"]["ports"]:
                    port["targetPort"] = "api"
        return yaml.safe_dump_all(docs, sort_keys=False)
    if mode == "worker-pool-arg":
        return text.replace("- --pool\n        - scripts\n", "- --pool\n        - elsewhere\n")
    if mode == "prefect3-names":
        # Names and the password template inside the composed URL alike.
        return text.replace("PREFECT_API_DATABASE_", "PREFECT_SERVER_DATABASE_")
    raise SystemExit(f"unknown --break {mode}")


def build_site(site: pathlib.Path, ports: dict[str, int], broken: str | None) -> list[dict]:
    if not PREFECTC.exists():
        raise SetupError(f"{PREFECTC} is missing: run `cargo build --release` first")
    argv = [str(PREFECTC), "build", str(site), "--deny", "warnings"]
    # The port params the site declares (an undeclared one is an error, an
    # unused one a warning).
    declared = set(re.findall(r"^param\s+([a-z][a-z0-9-]*)\s*:", site.read_text(), re.M))
    for param, port in (("api-port", "API_PORT"), ("postgres-port", "POSTGRES_PORT"),
                        ("redis-port", "REDIS_PORT"), ("worker-health-port", "WORKER_HEALTH_PORT")):
        if param in declared:
            argv += ["--param", f"{param}={ports[port]}"]
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise CheckFailed("build", f"prefectc build failed ({done.returncode}):\n{done.stderr}")
    text = done.stdout
    if broken:
        before = text
        text = break_build(text, broken)
        if text == before:
            raise SetupError(f"--break {broken} changed nothing in the build: update break_build()")
        log(f"BROKEN BUILD ({broken}): {BREAKS[broken][0]}")
    return load_yaml_stream(text)


def service_routes(build: list[dict]) -> dict[str, dict[int, int]]:
    """Each Service's ports and the container ports they reach: the Service
    must select a pod of the build, and its target ports must be ports of
    that pod's containers (as numbers or names)."""
    routes = {}
    for service in (o for o in build if o["kind"] == "Service"):
        name, spec = service["metadata"]["name"], service["spec"]
        selector = spec.get("selector") or {}
        selected = [o for o in build if o["kind"] in ("Deployment", "StatefulSet") and selector and all(
            o["spec"]["template"]["metadata"].get("labels", {}).get(k) == v for k, v in selector.items())]
        if not selected:
            raise CheckFailed("service", f"Service {name} selects no pod of the build ({selector})")
        container_ports = [p for o in selected for c in o["spec"]["template"]["spec"]["containers"]
                           for p in c.get("ports", [])]
        routes[name] = {}
        for port in spec.get("ports", []):
            target = port.get("targetPort", port["port"])
            reached = {p["containerPort"] for p in container_ports if target in (p.get("name"), p["containerPort"])}
            if len(reached) != 1:
                raise CheckFailed("service", f"Service {name} port {port['port']} targets {target!r}, which is "
                                             f"{'no' if not reached else 'more than one'} port of the pods it selects")
            routes[name][port["port"]] = reached.pop()
        ok(f"Service {name} selects {', '.join(o['metadata']['name'] for o in selected)}: "
            + ", ".join(f"{p} -> {t}" for p, t in routes[name].items()))
    return routes


def component(obj: dict) -> str:
    return obj["metadata"].get("labels", {}).get("app.kubernetes.io/component", "")


def secret_refs(workloads: list[dict]) -> set[str]:
    """The Secrets the workloads' containers read (env and envFrom)."""
    names = set()
    for obj in workloads:
        spec = obj["spec"]["template"]["spec"]
        for c in spec.get("initContainers", []) + spec["containers"]:
            for var in c.get("env", []):
                ref = var.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    names.add(ref["name"])
            for source in c.get("envFrom", []):
                if "secretRef" in source:
                    names.add(source["secretRef"]["name"])
    return names


def site_prefect(site: pathlib.Path) -> str | None:
    """The release the site pins (`prefect = "..."` in its site block)."""
    found = re.search(r'^\s*prefect\s*=\s*"([^"]+)"', site.read_text(), re.M)
    return found.group(1) if found else None


def run_e2e(args, root: pathlib.Path, procs: Processes) -> None:
    if prefect_version() != PREFECT:
        raise SetupError(f"the venv {VENV} has Prefect {prefect_version()}, not {PREFECT}")
    log(f"Prefect {PREFECT} from {VENV} ({REQUIREMENTS.relative_to(ROOT)}), site {args.site}")
    ports = {}
    for name in ("API_PORT", "POSTGRES_PORT", "REDIS_PORT", "WORKER_HEALTH_PORT"):
        port = free_port()
        while port in ports.values():
            port = free_port()
        ports[name] = port
    secrets = load_secrets(ports)
    auth = secrets["prefect-basic-auth"]["auth-string"]

    build = build_site(args.site, ports, args.break_mode)
    workloads = [o for o in build if o["kind"] in ("Deployment", "StatefulSet", "Job")]
    log("built: " + ", ".join(f"{o['kind']}/{o['metadata']['name']}" for o in build
                              if o["kind"] in ("Deployment", "StatefulSet", "Job", "Service")))
    if any(o["kind"] == "StatefulSet" for o in workloads):
        raise SetupError("the e2e site should use an external PostgreSQL/Redis, not in-cluster StatefulSets")
    routes = service_routes(build)
    pods = {(o["kind"], o["metadata"]["name"]): Pod(o, build, secrets, root, routes) for o in workloads}
    by_component = {}
    for o in workloads:
        by_component.setdefault(component(o), []).append(pods[(o["kind"], o["metadata"]["name"])])
    # The server and the worker always; the migrations Job and the
    # background services with `background-services.separate` only.
    if not {"server", "worker"} <= set(by_component) <= {"migrations", "server", "background-services", "worker"}:
        raise CheckFailed("build", f"expected workloads of a server and a worker (and with separate background "
                                   f"services a migrations Job and their Deployment), got {sorted(by_component)}")
    if ("migrations" in by_component) != ("background-services" in by_component):
        raise CheckFailed("build", "a migrations Job comes with separate background services and only with them")

    query = start_postgres(procs, secrets, ports["POSTGRES_PORT"])
    # Redis only for a build that refers to it (its Secret): site.pfk's
    # services and site-3.9.pfk's; the inline sites, site-3.4.pfk and Prefect 2
    # have no Redis.
    uses_redis = any(ref == "prefect-redis" for ref in secret_refs(workloads))
    if uses_redis:
        start_redis(procs, secrets, ports["REDIS_PORT"], root / "redis")
    else:
        log("Redis not started: the build refers to no Redis (no Secret prefect-redis)")

    venv_bin = str(VENV / "bin")
    # The process environment a container starts with, less what its image
    # sets: PATH reaches the venv's prefect and python.
    base_env = {"PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
                # No telemetry: nothing may wait on the network.
                "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PYTHONUNBUFFERED": "1"}

    def launch(pod: Pod, container: dict, wait: bool = False, check: str = "", timeout: float = 180):
        argv, env, cwd, rw = pod.local(container, base_env)
        for change in rw.changes:
            log(f"  rewrite {change}")
        name = f"{pod.name}.{container['name']}"
        log(f"{'run' if wait else 'start'} {pod.kind}/{pod.name} container {container['name']}: {' '.join(argv)}")
        if wait:
            rc = procs.run(name, argv, env, cwd, timeout=timeout)
            if rc != 0:
                raise CheckFailed(check, f"{name} exited with {rc}:\n{procs.tail(name)}")
            return None
        return name, procs.start(name, argv, env, cwd)

    # 1. The migrations: the Job, as `kubectl wait --for=condition=complete`
    #    would have it before the Deployments roll; without one (the API
    #    migrates on start), the same command with the API container's
    #    environment, which must be enough for it.
    (server,) = by_component["server"]
    main = server.spec["containers"][0]
    if "migrations" in by_component:
        (job,) = by_component["migrations"]
        launch(job, job.spec["containers"][0], wait=True, check="migrations")
        ok("migrations Job completed")
    else:
        upgrade = dict(main, name="derived-migrations", command=["prefect"],
                       args=["server", "database", "upgrade", "-y"])
        launch(server, upgrade, wait=True, check="migrations")
        ok("`prefect server database upgrade -y` with the API container's environment completed")

    # The migrations went to the site's PostgreSQL, not to a database the
    # server chose when it read none of the names it was given (Prefect's
    # fallback is SQLite under PREFECT_HOME, and works).
    tables = query("select count(*) from information_schema.tables where table_schema = 'public' "
                   "and table_name in ('alembic_version', 'flow_run', 'work_pool')")
    revision = query("select version_num from alembic_version") if tables and tables[0] == "3" else []
    if not revision:
        sqlite = sorted(str(f.relative_to(root)) for f in root.rglob("*.db"))
        raise CheckFailed("database", "after the migrations the PostgreSQL database prefect has no Prefect tables "
                                      f"({tables[0] if tables else 0} of alembic_version, flow_run, work_pool): "
                                      "the server migrated another database (it read none of its database "
                                      "settings); SQLite files in the pods' volumes: "
                                      f"{', '.join(sqlite) or 'none'}")
    ok(f"the PostgreSQL database prefect holds Prefect's schema (alembic revision {revision[0]})")

    # 2. The API: its startup and readiness probes as the kubelet runs them.
    ports_of = {p.get("name"): p["containerPort"] for p in main.get("ports", [])}
    api_port = ports_of.get("http")
    if api_port != ports["API_PORT"]:
        raise CheckFailed("server", f"the API container declares port {api_port}, the site says {ports['API_PORT']}")
    running = [launch(server, main)]
    ready_path = main["readinessProbe"]["httpGet"]["path"]
    wait_for("the API's readiness probe", lambda: http_status(f"http://127.0.0.1:{api_port}{ready_path}") == 200,
             180, procs, running, check="server")
    for line in check_http_probes(server, main, "server"):
        ok(f"  {server.name} {line}")

    # What a client sees: the URL the workers are given, with credentials.
    (worker,) = by_component["worker"]
    worker_main = worker.spec["containers"][0]
    _, worker_env, _, _ = worker.local(worker_main, base_env)
    # Basic auth when the build gives the worker credentials (a site
    # without auth: Prefect 2.20 has none).
    with_auth = "PREFECT_API_AUTH_STRING" in worker_env
    api = Api(worker_env.get("PREFECT_API_URL", f"http://127.0.0.1:{api_port}/api"), auth if with_auth else None)
    for path in ("/health", "/ready"):
        status, body = api.call("GET", path)
        if status != 200:
            raise CheckFailed("server", f"GET {path}{' with basic auth' if with_auth else ''} answered "
                                        f"{status}: {body}")
        ok(f"GET {api.url}{path}{' (basic auth)' if with_auth else ''} -> {status} {json.dumps(body)}")
    if with_auth:
        status, _ = api.call("POST", "/flows/filter", {}, auth=False)
        if status != 401:
            raise CheckFailed("server", f"POST /flows/filter without credentials answered {status}, not 401: "
                                        "basic auth is not enforced")
        ok("POST /flows/filter without credentials -> 401 (basic auth enforced)")
    else:
        skip("basic auth (401 without credentials)",
             f"the site declares no auth{' (Prefect ' + PREFECT + ' has none)' if prefect_major() < 3 else ''}")

    # 3. The background services.
    for services_pod in by_component.get("background-services", []):
        running.append(launch(services_pod, services_pod.spec["containers"][0]))

    # 4. The worker: its init containers in order, then the worker.
    for init in worker.spec.get("initContainers", []):
        launch(worker, init, wait=True, check="worker-init", timeout=120)
    running.append(launch(worker, worker_main))
    wait_for("the worker's readiness probe", lambda: check_http_probes(worker, worker_main, "worker"), 120, procs,
             running, check="worker-probes")
    for line in check_http_probes(worker, worker_main, "worker-probes"):
        ok(f"  {worker.name} {line}")

    pool_name = SITE_POOL
    status, pool = api.call("GET", f"/work_pools/{pool_name}")
    if status != 200:
        raise CheckFailed("worker-online", f"GET /work_pools/{pool_name} answered {status}: {pool}")
    if pool["type"] != SITE_POOL_TYPE or pool.get("concurrency_limit") != SITE_POOL_CONCURRENCY:
        raise CheckFailed("worker-online", f"pool {pool_name} has type {pool['type']!r} and concurrency "
                                           f"{pool.get('concurrency_limit')!r}; the site declares {SITE_POOL_TYPE} and "
                                           f"{SITE_POOL_CONCURRENCY}")
    ok(f"pool {pool_name}: type {pool['type']}, concurrency limit {pool['concurrency_limit']}")

    def worker_online():
        status, workers = api.call("POST", f"/work_pools/{pool_name}/workers/filter", {})
        return status == 200 and any(w["name"] == SITE_WORKER and w.get("status") == "ONLINE" for w in workers)

    wait_for(f"worker {SITE_WORKER} ONLINE in pool {pool_name}", worker_online, 30, procs, running,
             check="worker-online")
    ok(f"worker {SITE_WORKER} is ONLINE in pool {pool_name}")

    # 5. A flow deployed to the pool runs to COMPLETED on the worker.
    flows = root / "flows"
    flows.mkdir()
    (flows / "hello_flow.py").write_text(FLOW_SOURCE)
    status, flow = api.call("POST", "/flows/", {"name": "e2e-hello"})
    if status not in (200, 201):
        raise CheckFailed("flow-run", f"creating the flow answered {status}: {flow}")
    status, deployment = api.call("POST", "/deployments/", {
        "name": "e2e", "flow_id": flow["id"], "work_pool_name": pool_name, "entrypoint": "hello_flow.py:hello",
        "pull_steps": [{"prefect.deployments.steps.set_working_directory": {"directory": str(flows)}}],
        "parameter_openapi_schema": {"type": "object", "properties": {}},
    })
    if status not in (200, 201):
        raise CheckFailed("flow-run", f"creating the deployment answered {status}: {deployment}")
    status, run = api.call("POST", f"/deployments/{deployment['id']}/create_flow_run", {})
    if status not in (200, 201):
        raise CheckFailed("flow-run", f"creating the flow run answered {status}: {run}")
    log(f"flow run {run['id']} created on deployment e2e-hello/e2e (pool {pool_name})")
    state = {}

    def run_finished():
        _, current = api.call("GET", f"/flow_runs/{run['id']}")
        state.update(current)
        return current["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")

    wait_for(f"flow run {run['id']}", run_finished, 150, procs, running, check="flow-run")
    if state["state"]["type"] != "COMPLETED":
        raise CheckFailed("flow-run", f"flow run ended {state['state']['type']}: {state['state'].get('message')}")
    if not (flows / f"ran-{run['id']}").exists():
        raise CheckFailed("flow-run", "the flow run COMPLETED but left no marker: it did not run the flow code")
    ok(f"flow run {run['id']} COMPLETED (work queue {state.get('work_queue_name')}, "
        f"process {state.get('infrastructure_pid')}), marker written by the flow")

    # The run is a row of the site's PostgreSQL: the server the worker
    # talked to keeps its state there.
    row = query(f"select state_type from flow_run where id = '{run['id']}'")
    if row != ["COMPLETED"]:
        raise CheckFailed("database", f"flow run {run['id']} is {'not in' if not row else row[0] + ' in'} "
                                      "the PostgreSQL table flow_run: the API keeps its state elsewhere")
    ok(f"flow run {run['id']} is COMPLETED in PostgreSQL's flow_run table")

    # 6. The background services persisted the run's events, which the API
    #    published through Redis.
    def events_persisted():
        status, page = api.call("POST", "/events/filter", {
            "filter": {"resource": {"id": [f"prefect.flow-run.{run['id']}"]}}, "limit": 50})
        events = {e["event"] for e in page.get("events", [])} if status == 200 else set()
        state["events"] = events
        return "prefect.flow-run.Completed" in events

    if prefect_major() < 3:
        skip("events persisted by the background services",
             f"in Prefect {PREFECT} the server's events are experimental (PREFECT_EXPERIMENTAL_EVENTS, off by "
             "default and not set by the site), so there are none to find; the services' work shows in the "
             "flow run above instead (scheduled, picked up, COMPLETED)")
    else:
        wait_for("the flow run's events in the database", events_persisted, 30, procs, running,
                 check="background-services")
        where = "the background-services Deployment" if "background-services" in by_component else "the API pod"
        ok(f"events persisted by the services in {where}: {sorted(state['events'])}")

    # 7. Everything is still up.
    for name, proc in running:
        if proc.poll() is not None:
            raise CheckFailed("alive", f"{name} exited with {proc.returncode}:\n{procs.tail(name)}")
    ok("still running: " + ", ".join(name for name, _ in running))

    # 8. Every PREFECT_* variable the build sets is a setting this Prefect
    #    knows: a misspelt one is ignored silently, so no run above would
    #    notice it unless its effect happened to be checked.
    known, source = known_settings()
    for obj in workloads:
        spec = obj["spec"]["template"]["spec"]
        for c in spec.get("initContainers", []) + spec["containers"]:
            for var in c.get("env", []):
                if var["name"].startswith("PREFECT_") and var["name"] not in known:
                    raise CheckFailed("settings", f"{obj['kind']}/{obj['metadata']['name']}/{c['name']} sets "
                                                  f"{var['name']}, which is no setting of {source}")
    ok(f"every PREFECT_* variable of the build is one of the {len(known)} settings {source} read")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--break", dest="break_mode", choices=sorted(BREAKS),
                        help="run a deliberately broken build (a negative control): the e2e must fail")
    parser.add_argument("--expect-failure", action="store_true",
                        help="with --break: exit 0 only if the run fails at the check the break targets")
    parser.add_argument("--site", type=pathlib.Path,
                        help="the site to build and run (default: tests/e2e/site.pfk, or the site of the --break "
                             "mode; see also site-inline.pfk, site-2.20.pfk, site-3.4.pfk, site-3.9.pfk)")
    parser.add_argument("--prefect", metavar="VERSION",
                        help=f"the Prefect to run (default: {DEFAULT_PREFECT} from requirements.txt, or the "
                             "release of the --break mode); another needs tests/e2e/requirements-VERSION.txt, "
                             "and the site must pin it")
    parser.add_argument("--list-breaks", action="store_true", help="print the --break modes, one a line")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, volumes)")
    args = parser.parse_args()
    if args.list_breaks:
        print("\n".join(BREAKS))
        return 0
    if args.expect_failure and not args.break_mode:
        parser.error("--expect-failure needs --break")
    default_site, default_prefect = BREAK_DEFAULTS.get(args.break_mode, (HERE / "site.pfk", DEFAULT_PREFECT))
    args.site = args.site or default_site
    args.prefect = args.prefect or default_prefect
    select_prefect(args.prefect)
    if not REQUIREMENTS.exists():
        parser.error(f"--prefect {args.prefect}: {REQUIREMENTS.relative_to(ROOT)} is missing")
    pinned = site_prefect(args.site)
    if pinned != args.prefect:
        parser.error(f"{args.site} pins Prefect {pinned}, the run is on {args.prefect}: pass --prefect {pinned}")

    # Install (cached), then continue inside the venv, which has PyYAML.
    try:
        python = ensure_venv()
        postgres_bin()
        redis_server()
    except SetupError as error:
        log(f"SETUP ERROR: {error}")
        return 2
    if pathlib.Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), __file__, *sys.argv[1:]])

    root = pathlib.Path(tempfile.mkdtemp(prefix="prefectc-e2e-"))
    (root / "logs").mkdir()
    procs = Processes(root / "logs")
    failure: CheckFailed | None = None
    try:
        run_e2e(args, root, procs)
    except CheckFailed as error:
        failure = error
        procs.print_logs()
    except SetupError as error:
        log(f"SETUP ERROR: {error}")
        procs.print_logs()
        return 2
    except Exception:
        import traceback

        traceback.print_exc()
        log("HARNESS ERROR (a bug in run.py, not a finding about the site)")
        procs.print_logs()
        return 2
    finally:
        procs.stop_all()
        for d in procs.cleanup_dirs:
            shutil.rmtree(d, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            log(f"kept {root}")
    elapsed = time.monotonic() - START
    if failure is None:
        log(f"e2e PASSED in {elapsed:.0f}s")
        print(f"e2e: {len(PASSED)} passed, 0 failed, {len(SKIPPED)} skipped (Prefect {PREFECT}, {args.site.name})"
              + (": " + "; ".join(SKIPPED) if SKIPPED else ""))
        if args.break_mode:
            log(f"but the build was broken ({args.break_mode}): the e2e cannot see this break")
            return 1
        return 0
    log(f"e2e FAILED at check '{failure.check}' in {elapsed:.0f}s (after {len(PASSED)} checks passed): {failure}")
    if args.expect_failure:
        expected = BREAKS[args.break_mode][1]
        if failure.check == expected:
            log(f"negative control {args.break_mode}: failed at '{expected}' as it must")
            return 0
        log(f"negative control {args.break_mode}: expected to fail at '{expected}', not '{failure.check}'")
        return 1
    return 1


if __name__ == "__main__":
    sys.exit(main())
