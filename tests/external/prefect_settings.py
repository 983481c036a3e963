#!/usr/bin/env python3
"""The catalogue of Prefect's settings (issue 15): `stdlib/prefect/<line>.tsv`.

Modes:

  dump
      Run with the python of a venv where one Prefect is installed. Prints the
      catalogue rows of that Prefect to stdout (columns below; `since` is the
      installed version, `until` is `-`). Re-executes itself in a clean
      environment (no PREFECT_* variables, a scratch HOME and working
      directory) so that no profile, .env or prefect.toml of this machine leaks
      into the defaults.

  dump-integrations
      Like dump, for the integration packages installed in the venv
      (prefect-kubernetes, prefect-redis, ...): rows of their settings classes.

  check --catalogue DIR [--names-only]
      Run with the e2e venv's python. Dumps the installed Prefect and compares
      it with DIR/<line>.tsv, restricted to the rows present at the installed
      patch release (since <= version <= until). Exit 1 with a diff on any
      difference, 0 when equal.

  generate [--out DIR] [--lines 3.4,3.5] [--no-history] [--all-patches] [--integrations]
      For every release line: makes (or reuses) a venv per version under
      ${PREFECTC_CACHE:-$HOME/.cache/prefectc-ci}/prefect-versions/<version>,
      dumps the newest patch, dumps the `.0` release, bisects the patch
      releases for the `since` of rows missing in `.0` and the `until` of rows
      of `.0` gone in the newest patch, and writes DIR/<line>.tsv. With
      --all-patches it dumps every patch release instead (exact since/until,
      and a `# gap:` header line for a row absent from a patch in between).
      Uses uv
      (pip-installed into ${PREFECTC_CACHE}/tools), falls back to pip.

Columns of a catalogue file (tab-separated, sorted by name then status):

  name  status  replacement  type  default  since  until

status: setting (canonical name) | alias (another accepted env name of a
setting; replacement = its canonical name) | deprecated (still read, Prefect
says it is deprecated; replacement = the name to use, or -) | logging (a
PREFECT_LOGGING_<PATH> override of a key of the packaged logging.yml).
`-` stands for none/None; `""` for the empty string. since = first patch
release of the line that has the row; until = last patch release that has it
when the newest patch no longer does, else `-`.
"""

from __future__ import annotations

import argparse
import datetime
import enum
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import typing
from pathlib import Path

COLUMNS = ["name", "status", "replacement", "type", "default", "since", "until"]

# Release lines and the versions they are dumped from: the newest patch of each
# line (no pre-releases, none of these is yanked), plus every patch release
# (oldest first) for the `since`/`until` bisection. Checked against the index
# on 2026-11-30; add a line here when Prefect releases a new minor.
PATCHES: dict[str, list[str]] = {
    "2.20": [f"2.20.{i}" for i in range(0, 28)],
    "3.0": [f"3.0.{i}" for i in range(0, 12)],
    "3.1": [f"3.1.{i}" for i in range(0, 16)],
    "3.2": [f"3.2.{i}" for i in range(0, 16)],
    "3.3": [f"3.3.{i}" for i in range(0, 8)],
    "3.4": [f"3.4.{i}" for i in range(0, 26)],
    "3.5": ["3.5.0"],
    "3.6": [f"3.6.{i}" for i in range(0, 30)],
    "3.7": [f"3.7.{i}" for i in range(0, 9)],
    "3.8": [f"3.8.{i}" for i in range(0, 9)],
    "3.9": [f"3.9.{i}" for i in range(0, 2)],
}

# Extra requirements some releases need to work. The resolver picks the newest
# dependencies a release's own metadata allows, which can be newer than the
# release works with. The dump itself imports only prefect.settings and
# prefect.logging, which imported without these pins in every release tried;
# the pins make each venv a Prefect whose CLI (`prefect version`) and server
# (`import prefect.server.api.server`) work, checked on the .0 and newest patch
# of every line.
PINS: list[tuple[str, str, list[str], str]] = [
    # (first, last version inclusive, requirements, reason)
    (
        "2.20.0",
        "2.20.27",
        # resolves to pydantic 2.9.2 + pydantic-core 2.23.4 where the release allows
        # them (2.20.16 and later); 2.20.9's own metadata caps pydantic < 2.9, so
        # an exact ==2.9.2 pin is unsatisfiable there
        ["pydantic<2.10"],
        "with the newest pydantic the resolver allows (2.14), prefect 2.20's "
        "prefect.settings still imports (the dump itself works) but its CLI and "
        "prefect.server fail: `prefect version` raises TypeError: 'type' object is "
        "not iterable in pydantic/_internal/_config.py (seen with 2.20.16); pinned "
        "for the whole line so each venv is a working Prefect",
    ),
    (
        "3.0.0",
        "3.1.15",
        ["pydantic<2.11"],
        "with pydantic 2.11+ `prefect version` of 3.0.x (3.0.0, 3.0.5, 3.0.11 seen) "
        "and 3.1.0 fails: PydanticUndefinedAnnotation: name 'ResultRecordMetadata' is "
        "not defined",
    ),
    (
        "3.0.0",
        "3.8.8",
        ["fastapi<=0.150.0"],
        "prefect.server.api (concurrency_limits_v2.py) calls Body(..., min_items=1), "
        "which the newest fastapi (0.165) rejects: TypeError: Body() got an unexpected "
        "keyword argument 'min_items'; 3.9.0 no longer does; 0.150.0 is the e2e's "
        "fastapi (tests/e2e/requirements.txt)",
    ),
    (
        "3.0.0",
        "3.6.29",
        ["importlib-metadata"],
        "prefect/workers/base.py of 3.1.x-3.6.0 imports importlib_metadata while its "
        "metadata requires it only on python < 3.10: `prefect version` fails with "
        "ModuleNotFoundError: No module named 'importlib_metadata'",
    ),
]

INTEGRATIONS = [
    "prefect-kubernetes",
    "prefect-redis",
    "prefect-docker",
    "prefect-aws",
    "prefect-gcp",
    "prefect-azure",
]

PYTHON = os.environ.get("PREFECT_CATALOGUE_PYTHON", "python3.11")
CLEAN_MARK = "_PREFECT_CATALOGUE_CLEAN_HOME"


# --------------------------------------------------------------------------
# rendering


def vkey(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in v.split("."))


def line_of(v: str) -> str:
    return ".".join(v.split(".")[:2])


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def home_subst(s: str) -> str:
    home = os.environ.get(CLEAN_MARK)
    if home and home in s:
        s = s.replace(home, "~")
    return s


def env_spelling(value) -> str:
    """A value as an environment variable would spell it."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return env_spelling(value.value)
    if isinstance(value, datetime.timedelta):
        secs = value.total_seconds()
        return str(int(secs)) if secs == int(secs) else str(secs)
    if type(value).__name__ in ("SecretStr", "SecretBytes"):
        return "-"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        return esc(home_subst(",".join(env_spelling(v) for v in items))) or '""'
    if isinstance(value, dict):
        return esc(home_subst(json.dumps(jsonable(value), sort_keys=True)))
    if isinstance(value, float) and value == int(value):
        return str(value)
    s = str(value)
    if s == "":
        return '""'
    return esc(home_subst(s))


def jsonable(value):
    """A value as JSON would hold it; timedeltas in seconds."""
    if isinstance(value, dict):
        return {str(jsonable(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.timedelta):
        secs = value.total_seconds()
        return int(secs) if secs == int(secs) else secs
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return home_subst(str(value))


def type_name(t) -> str:
    """A short readable type."""
    origin = typing.get_origin(t)
    args = typing.get_args(t)
    if t is typing.Any:
        return "any"
    if origin is typing.Annotated:
        return type_name(args[0])
    if t is type(None):
        return "None"
    if origin is typing.Union or (origin is not None and getattr(origin, "__name__", "") == "UnionType"):
        parts: list[str] = []
        for a in args:
            n = type_name(a)
            if n not in parts:
                parts.append(n)
        if "None" in parts:
            parts.remove("None")
            parts.append("None")
        return "|".join(parts)
    if type(t).__name__ == "UnionType":  # X | Y
        return type_name(typing.Union[tuple(typing.get_args(t))])
    if origin is typing.Literal:
        return "enum(" + "|".join(str(a) for a in args) + ")"
    if origin in (list, typing.List, set, typing.Set, frozenset, tuple, typing.Tuple):
        name = {list: "list", set: "set", frozenset: "set", tuple: "tuple"}.get(origin, "list")
        inner = [type_name(a) for a in args if a is not Ellipsis]
        return f"{name}[{','.join(dict.fromkeys(inner))}]" if inner else name
    if origin in (dict, typing.Dict):
        return "dict" if not args else f"dict[{type_name(args[0])},{type_name(args[1])}]"
    if inspect.isclass(t):
        if issubclass(t, enum.Enum):
            return "enum(" + "|".join(str(m.value) for m in t) + ")"
        if t is bool:
            return "bool"
        for base in (int, float, str):
            if t is base:
                return base.__name__
        if issubclass(t, datetime.timedelta):
            return "timedelta"
        if issubclass(t, os.PathLike) or t.__name__ in ("Path", "PosixPath"):
            return "path"
        n = t.__name__
        if "Secret" in n:
            return "secret"
        if "Url" in n or "URL" in n or "Dsn" in n:
            return "url"
        if n in ("Json", "JsonValue"):
            return "json"
        if issubclass(t, bool):
            return "bool"
        for base in (int, float, str):
            if issubclass(t, base):
                return base.__name__
        return n
    n = getattr(t, "__name__", None) or str(t)
    if t is typing.Any or n in ("Any", "typing.Any"):
        return "any"
    if "Url" in n:
        return "url"
    return re.sub(r"^typing\.", "", n)


# --------------------------------------------------------------------------
# Prefect 2.20 and 3.0: prefect.settings.SETTING_VARIABLES


def rows_setting_variables(version: str) -> list[list[str]]:
    import prefect.settings as ps

    rows = []
    for name, setting in ps.SETTING_VARIABLES.items():
        field = setting.field
        default = getattr(field, "default", None)
        if type(default).__name__ in ("PydanticUndefinedType", "UndefinedType"):
            default = None
        factory = getattr(field, "default_factory", None)
        if default is None and factory is not None:
            default = factory()
        secret = getattr(setting, "is_secret", False)
        t = type_name(setting.type)
        if secret and "secret" not in t:
            t = "secret" if t in ("str", "str|None") else t + "(secret)"
        status, repl = "setting", "-"
        if getattr(setting, "deprecated", False):
            status = "deprecated"
            renamed = getattr(setting, "deprecated_renamed_to", None)
            if renamed is not None:
                repl = renamed.name
        rows.append(
            [name, status, repl, t, "-" if secret else env_spelling(default), version, "-"]
        )
    return rows


# --------------------------------------------------------------------------
# Prefect 3.1 and later: the pydantic-settings models


def deprecations_v3() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Env names Prefect itself calls deprecated, read from its settings code.

    Returns ({old name: new name}, [(old prefix, new prefix)]).
    """
    import prefect.settings as ps

    names: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    base = Path(ps.__file__)
    files = sorted(base.parent.rglob("*.py")) if base.name == "__init__.py" else [base]
    for path in files:
        text = path.read_text()
        # e.g. runner.py: "Use `PREFECT_FLOWS_HEARTBEAT_FREQUENCY` instead of
        # `PREFECT_RUNNER_HEARTBEAT_FREQUENCY`." in a DeprecationWarning
        for m in re.finditer(
            r"Use `?(PREFECT_[A-Z0-9_]+)`? instead of `?(PREFECT_[A-Z0-9_]+)`?", text
        ):
            names[m.group(2)] = m.group(1)
        # e.g. plugins.py: _warn_on_deprecated_env_prefix() with
        # old_prefix = "PREFECT_EXPERIMENTS_PLUGINS_", new_prefix = "PREFECT_PLUGINS_"
        if "_warn_on_deprecated_env_prefix" in text:
            old = re.search(r'old_prefix\s*=\s*"([A-Z0-9_]+)"', text)
            new = re.search(r'new_prefix\s*=\s*"([A-Z0-9_]+)"', text)
            if old and new:
                prefixes.append((old.group(1), new.group(1)))
    return names, prefixes


def settings_class():
    """The root pydantic-settings class of the installed Prefect, or None for
    the SETTING_VARIABLES kind (2.20, 3.0.0-3.0.x)."""
    try:
        from prefect.settings.models.root import Settings  # 3.0.11 and later

        return Settings
    except ImportError:
        pass
    import prefect.settings as ps

    try:
        from pydantic_settings import BaseSettings
    except ImportError:  # 2.20: pydantic v1 BaseSettings
        return None

    # 3.0.x between: one flat Settings(BaseSettings) with env_prefix PREFECT_
    S = getattr(ps, "Settings", None)
    if (
        inspect.isclass(S)
        and issubclass(S, BaseSettings)
        and S.model_config.get("env_prefix")
        and not any(hasattr(v, "field") for v in ps.SETTING_VARIABLES.values())
    ):
        return S
    return None


def secret_types() -> tuple:
    try:
        from prefect.settings.constants import _SECRET_TYPES

        return tuple(_SECRET_TYPES)
    except Exception:
        import prefect.settings as ps

        return tuple(getattr(ps, "_SECRET_TYPES", ()))


def env_names(prefix: str, fname: str, field) -> tuple[str, list[str]]:
    """A pydantic-settings field's own env name, and the names the env
    source reads it under (its `validation_alias` choices, else its own)."""
    from pydantic import AliasChoices

    canonical = f"{prefix}{fname}".upper()
    va = field.validation_alias
    if isinstance(va, AliasChoices):
        return canonical, [c.upper() for c in va.choices if isinstance(c, str)]
    if isinstance(va, str):
        return canonical, [va.upper()]
    return canonical, [canonical]


def rows_models(version: str, Settings) -> list[list[str]]:
    from pydantic_settings import BaseSettings

    _SECRET_TYPES = secret_types()
    dep_names, dep_prefixes = deprecations_v3()
    instance = Settings()
    rows: list[list[str]] = []

    def is_model(ann) -> bool:
        return inspect.isclass(ann) and issubclass(ann, BaseSettings)

    def walk(cls, obj) -> None:
        prefix = cls.model_config.get("env_prefix") or ""
        for fname, field in cls.model_fields.items():
            ann = field.annotation
            if is_model(ann):
                walk(ann, getattr(obj, fname, None))
                continue
            canonical, accepted = env_names(prefix, fname, field)
            if not accepted:
                continue  # no env name reads this field
            if canonical not in accepted:
                # the env source reads only the aliases: the first one stands
                # as the canonical name
                print(f"note: {canonical} is not read; {accepted[0]} is", file=sys.stderr)
                canonical = accepted[0]
            secret = ann in _SECRET_TYPES or any(a in _SECRET_TYPES for a in typing.get_args(ann))
            t = type_name(ann)
            if secret and "secret" not in t:
                t = "secret"
            default = field.default
            if type(default).__name__ == "PydanticUndefinedType":
                default = None
            if field.default_factory is not None:
                default = getattr(obj, fname, None)
            dflt = "-" if secret else env_spelling(default)
            deprecated = getattr(field, "deprecated", None)
            status = "deprecated" if deprecated else "setting"
            repl = "-"
            if canonical in dep_names:
                status, repl = "deprecated", dep_names[canonical]
            rows.append([canonical, status, repl, t, dflt, version, "-"])
            for alias in accepted:
                if alias == canonical:
                    continue
                status, repl = "alias", canonical
                if alias in dep_names:
                    status, repl = "deprecated", dep_names[alias]
                for old, new in dep_prefixes:
                    if alias.startswith(old):
                        status = "deprecated"
                if deprecated:
                    status = "deprecated"
                rows.append([alias, status, repl, "-", "-", version, "-"])

    walk(Settings, instance)

    # cross-check with Prefect's own list of the env names it accepts (the one
    # `prefect config set` validates against): names and aliases alike
    valid = None
    try:
        from prefect.settings.legacy import _get_valid_setting_names

        valid = set(_get_valid_setting_names(Settings))
    except ImportError:
        if hasattr(Settings, "valid_setting_names"):
            valid = set(Settings.valid_setting_names())
    if valid is not None:
        mine = {r[0] for r in rows}
        if mine != valid:
            raise SystemExit(
                f"dump disagrees with Prefect's valid setting names: only in the dump "
                f"{sorted(mine - valid)}, only in Prefect {sorted(valid - mine)}"
            )
    return rows


# --------------------------------------------------------------------------
# logging.yml overrides


def rows_logging(version: str) -> list[list[str]]:
    import yaml
    import prefect.logging.configuration as lc

    to_envvar = getattr(lc, "to_envvar", None)
    if to_envvar is None:  # pragma: no cover - every supported version has it
        def to_envvar(s: str) -> str:
            return re.sub(r"[^0-9a-zA-Z]+", "_", s)

    path = Path(lc.__file__).parent / "logging.yml"
    # the raw file: `${PREFECT_...}` templates stay as written
    config = yaml.safe_load(path.read_text())
    from prefect.utilities.collections import dict_to_flatdict

    rows = []
    for key_tup, val in dict_to_flatdict(config).items():
        name = to_envvar("PREFECT_LOGGING_" + "_".join(str(k) for k in key_tup)).upper()
        t = "list[str]" if isinstance(val, list) else "-"
        rows.append([name, "logging", "-", t, env_spelling(val), version, "-"])
    return rows


# --------------------------------------------------------------------------
# integrations


def rows_integrations() -> tuple[list[list[str]], list[str]]:
    """Settings classes of the installed integration packages."""
    import importlib
    import importlib.metadata as md
    import pkgutil

    from pydantic_settings import BaseSettings

    rows: list[list[str]] = []
    versions: list[str] = []
    for dist in INTEGRATIONS:
        try:
            ver = md.version(dist)
        except md.PackageNotFoundError:
            continue
        mod_name = dist.replace("-", "_")
        pkg = importlib.import_module(mod_name)
        found = []
        # every module: prefect-redis keeps its settings classes in client.py
        for info in pkgutil.walk_packages(pkg.__path__, mod_name + ".", onerror=lambda _: None):
            if ".tests" in info.name or "._vendor" in info.name:
                continue
            try:
                m = importlib.import_module(info.name)
            except BaseException as e:  # pragma: no cover - optional extras missing
                print(f"note: cannot import {info.name}: {e!r}", file=sys.stderr)
                continue
            for obj in vars(m).values():
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, BaseSettings)
                    and obj.__module__ == m.__name__
                ):
                    found.append(obj)
        versions.append(f"{dist} {ver}")
        seen_classes: set = set()

        def walk(cls, owner: str) -> None:
            if cls in seen_classes:
                return
            seen_classes.add(cls)
            prefix = cls.model_config.get("env_prefix") or ""
            for fname, field in cls.model_fields.items():
                ann = field.annotation
                if inspect.isclass(ann) and issubclass(ann, BaseSettings):
                    walk(ann, owner)
                    continue
                canonical, accepted = env_names(prefix, fname, field)
                if canonical not in accepted:
                    canonical = accepted[0]
                t = type_name(ann)
                default = field.default
                if type(default).__name__ == "PydanticUndefinedType":
                    default = None
                if field.default_factory is not None:
                    try:
                        default = field.default_factory()
                    except TypeError:
                        default = None
                    if isinstance(default, BaseSettings):
                        continue
                dflt = "-" if t == "secret" else env_spelling(default)
                rows.append([canonical, "setting", "-", t, dflt, f"{dist} {ver}", "-"])
                for alias in accepted:
                    if alias != canonical:
                        rows.append([alias, "alias", canonical, "-", "-", f"{dist} {ver}", "-"])

        # walk the root classes first: nested classes are reached through them
        nested = {
            f.annotation
            for c in found
            for f in c.model_fields.values()
            if inspect.isclass(f.annotation) and issubclass(f.annotation, BaseSettings)
        }
        for cls in [c for c in found if c not in nested] + [c for c in found if c in nested]:
            walk(cls, dist)
    return rows, versions


# --------------------------------------------------------------------------
# dump


def clean_reexec(argv: list[str], script: str = __file__) -> None:
    """Run `script` (this one by default) again with no PREFECT_* variables, in a
    scratch HOME and cwd; `argv[0] == "check"` leaves the venv as it was."""
    if os.environ.get(CLEAN_MARK):
        return
    home = tempfile.mkdtemp(prefix="prefect-catalogue-home-")
    # only what a process needs: no PREFECT_*, no SSL_CERT_FILE (read by the
    # default of PREFECT_API_SSL_CERT_FILE), no VIRTUAL_ENV
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TMPDIR")}
    env["HOME"] = home
    env[CLEAN_MARK] = home
    env["PYTHONWARNINGS"] = "ignore"
    if argv[0] == "check":
        # leave the venv as it was (check runs in the e2e venv)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        r = subprocess.run([sys.executable, os.path.abspath(script), *argv], env=env, cwd=home)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    sys.exit(r.returncode)


def installed_version() -> str:
    import prefect

    return prefect.__version__


def dump_rows() -> tuple[str, list[list[str]]]:
    import warnings

    warnings.simplefilter("ignore")
    version = installed_version()
    S = settings_class()
    rows = rows_setting_variables(version) if S is None else rows_models(version, S)
    rows += rows_logging(version)
    return version, sort_rows(rows)


def sort_rows(rows: list[list[str]]) -> list[list[str]]:
    order = {"setting": 0, "alias": 1, "deprecated": 2, "logging": 3}
    uniq = {(r[0], r[1]): r for r in rows}
    return sorted(uniq.values(), key=lambda r: (r[0], order.get(r[1], 9)))


def format_rows(header: str, rows: list[list[str]], extra: list[str] = ()) -> str:
    out = [f"# {header}"] + [f"# {e}" for e in extra] + ["# " + "\t".join(COLUMNS)]
    out += ["\t".join(r) for r in rows]
    return "\n".join(out) + "\n"


def cmd_dump(args) -> None:
    clean_reexec(["dump"])
    version, rows = dump_rows()
    sys.stdout.write(
        format_rows(f"Prefect {version} settings (tests/external/prefect_settings.py dump); do not edit", rows)
    )


def cmd_dump_integrations(args) -> None:
    clean_reexec(["dump-integrations"])
    import warnings

    warnings.simplefilter("ignore")
    rows, versions = rows_integrations()
    sys.stdout.write(
        format_rows(
            "Prefect integration settings (tests/external/prefect_settings.py dump-integrations); do not edit",
            sort_rows(rows),
            ["packages: " + ", ".join(versions)],
        )
    )


def parse_tsv(text: str) -> list[list[str]]:
    rows = []
    for ln in text.splitlines():
        if not ln or ln.startswith("#"):
            continue
        cols = ln.split("\t")
        cols += ["-"] * (len(COLUMNS) - len(cols))
        rows.append(cols)
    return rows


def present_at(row: list[str], version: str) -> bool:
    since, until = row[5], row[6]
    if since != "-" and vkey(since) > vkey(version):
        return False
    if until != "-" and vkey(until) < vkey(version):
        return False
    return True


def cmd_check(args) -> None:
    t0 = time.monotonic()
    argv = ["check", "--catalogue", os.path.abspath(args.catalogue)]
    if args.names_only:
        argv.append("--names-only")
    clean_reexec(argv)
    version, rows = dump_rows()
    path = Path(args.catalogue) / f"{line_of(version)}.tsv"
    if not path.exists():
        print(f"prefect_settings check: no catalogue for Prefect {version}: {path} is missing")
        sys.exit(1)
    committed = [r for r in parse_tsv(path.read_text()) if present_at(r, version)]
    width = 2 if args.names_only else 5
    want = {"\t".join(r[:width]) for r in committed}
    got = {"\t".join(r[:width]) for r in rows}
    print(
        f"prefect_settings check: Prefect {version} (installed, {len(got)} rows) against "
        f"{path} ({len(want)} rows present at {version}, comparing "
        f"{'name, status' if args.names_only else 'name, status, replacement, type, default'})"
    )
    missing = sorted(want - got)
    extra = sorted(got - want)
    for r in missing:
        print(f"- {r}   (in the catalogue, not in the installed Prefect)")
    for r in extra:
        print(f"+ {r}   (in the installed Prefect, not in the catalogue)")
    print(f"prefect_settings check: {len(missing)} missing, {len(extra)} extra, {time.monotonic() - t0:.1f} s")
    sys.exit(1 if missing or extra else 0)


# --------------------------------------------------------------------------
# generate


def cache_dir() -> Path:
    return Path(os.environ.get("PREFECTC_CACHE") or Path.home() / ".cache/prefectc-ci")


def find_python() -> str:
    for cand in (PYTHON, "python3.11", "python3.12", "python3"):
        p = shutil.which(cand)
        if p:
            return p
    return sys.executable


def uv_path() -> str | None:
    tools = cache_dir() / "tools"
    uv = tools / "bin/uv"
    if uv.exists():
        return str(uv)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(tools)], check=True)
        subprocess.run([str(tools / "bin/pip"), "install", "-q", "uv"], check=True)
        return str(uv)
    except Exception as e:
        print(f"note: no uv ({e}); using pip", file=sys.stderr)
        return None


def pins_for(package: str, version: str) -> list[str]:
    if package != "prefect":
        return []
    out = []
    for first, last, reqs, _why in PINS:
        if vkey(first) <= vkey(version) <= vkey(last):
            out += reqs
    return out


def ensure_venv(
    name: str, requirements: list[str], python: str | None = None, uv_args: list[str] = ()
) -> Path:
    """The venv `prefect-versions/<name>` with `requirements` installed, made
    anew when its stamp differs. `python`: the interpreter (default
    find_python()); `uv_args`: extra `uv pip install` options (then uv is
    required: pip has no equivalent of e.g. --exclude-newer)."""
    venv = cache_dir() / "prefect-versions" / name
    stamp = venv / ".catalogue-installed"
    want = "\n".join(requirements)
    if python is not None or uv_args:
        # recorded so that a change of either makes the venv anew; the plain
        # form of older stamps is kept for the catalogue's venvs
        want += "\n# python " + (python or find_python()) + "\n# uv " + " ".join(uv_args)
    if stamp.exists() and stamp.read_text() == want:
        return venv
    if venv.exists():
        shutil.rmtree(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    uv = uv_path()
    if uv_args and not uv:
        raise SystemExit(f"venv {name}: needs uv for {' '.join(uv_args)}")
    t0 = time.monotonic()
    if uv:
        subprocess.run([uv, "venv", "-q", "-p", python or find_python(), str(venv)], check=True)
        subprocess.run(
            [uv, "pip", "install", "-q", *uv_args, *requirements],
            check=True,
            env={**os.environ, "VIRTUAL_ENV": str(venv)},
        )
    else:
        subprocess.run([python or find_python(), "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin/pip"), "install", "-q", *requirements], check=True)
    stamp.write_text(want)
    print(f"  installed {name} ({' '.join(requirements)}) in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    return venv


_DUMPS: dict[str, list[list[str]]] = {}


def dump_version(version: str) -> list[list[str]]:
    if version in _DUMPS:
        return _DUMPS[version]
    venv = ensure_venv(version, [f"prefect=={version}", *pins_for("prefect", version)])
    out = subprocess.run(
        [str(venv / "bin/python"), os.path.abspath(__file__), "dump"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = parse_tsv(out)
    got = out.splitlines()[0]
    if f"Prefect {version} " not in got:
        raise SystemExit(f"venv {venv} dumped {got!r}, not Prefect {version}")
    _DUMPS[version] = rows
    print(f"  dumped {version}: {len(rows)} rows", file=sys.stderr)
    return rows


def keys(rows: list[list[str]]) -> set[tuple[str, str]]:
    return {(r[0], r[1]) for r in rows}


def first_with(patches: list[str], key, lo: int, hi: int) -> int:
    """Smallest index i in (lo, hi] whose dump has key; patches[lo] lacks it,
    patches[hi] has it (assumes a row, once added, stays)."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if key in keys(dump_version(patches[mid])):
            hi = mid
        else:
            lo = mid
    return hi


def last_with(patches: list[str], key, lo: int, hi: int) -> int:
    """Largest index i in [lo, hi) whose dump has key; patches[lo] has it,
    patches[hi] lacks it."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if key in keys(dump_version(patches[mid])):
            lo = mid
        else:
            hi = mid
    return lo


def scan_all(patches: list[str]) -> tuple[list[list[str]], list[str]]:
    """Dump every patch release: exact since/until, and rows with gaps."""
    seen: dict[tuple[str, str], list[str]] = {}
    last_row: dict[tuple[str, str], list[str]] = {}
    for v in patches:
        for r in dump_version(v):
            k = (r[0], r[1])
            seen.setdefault(k, []).append(v)
            last_row[k] = r
    newest = patches[-1]
    rows, gaps = [], []
    for k, vs in seen.items():
        r = list(last_row[k])
        r[5] = vs[0]
        r[6] = "-" if vs[-1] == newest else vs[-1]
        span = patches[patches.index(vs[0]) : patches.index(vs[-1]) + 1]
        if len(span) != len(vs):
            missing = [v for v in span if v not in vs]
            gaps.append(f"{k[0]} {k[1]}: absent from {', '.join(missing)}")
        rows.append(r)
    return rows, gaps


def generate_line(line: str, out: Path, history: bool, all_patches: bool = False) -> None:
    patches = PATCHES[line]
    newest = patches[-1]
    t0 = time.monotonic()
    print(f"line {line}: newest {newest}", file=sys.stderr)
    rows = [list(r) for r in dump_version(newest)]
    extra = []
    if history and all_patches:
        rows, gaps = scan_all(patches)
        extra.append(f"since/until from the dumps of every patch release {patches[0]} .. {newest}")
        for g in gaps:
            extra.append("gap: " + g)
            print(f"  gap: {g}", file=sys.stderr)
    elif history and len(patches) > 1:
        first = dump_version(patches[0])
        first_keys = keys(first)
        for r in rows:
            k = (r[0], r[1])
            if k in first_keys:
                r[5] = patches[0]
            else:
                r[5] = patches[first_with(patches, k, 0, len(patches) - 1)]
        newest_keys = keys(rows)
        for r in first:
            k = (r[0], r[1])
            if k not in newest_keys:
                gone = list(r)
                gone[5] = patches[0]
                gone[6] = patches[last_with(patches, k, 0, len(patches) - 1)]
                rows.append(gone)
        bisected = sorted(set(_DUMPS) & set(patches), key=vkey)
        extra.append("since/until bisected over the dumps of " + ", ".join(bisected))
    elif history:
        for r in rows:
            r[5] = patches[0]
    else:
        extra.append("since: not bisected (the newest patch's version stands in)")
    rows = sort_rows(rows)
    path = out / f"{line}.tsv"
    path.write_text(
        format_rows(f"Prefect {newest} settings (tests/external/prefect_settings.py dump); do not edit", rows, extra),
        encoding="utf-8",
    )
    print(f"line {line}: wrote {path} ({len(rows)} rows) in {time.monotonic() - t0:.0f} s", file=sys.stderr)


def generate_integrations(out: Path, prefect_version: str) -> None:
    # prefect is not pinned: the newest integrations choose their Prefect
    reqs = list(INTEGRATIONS)
    venv = ensure_venv("integrations", reqs)
    text = subprocess.run(
        [str(venv / "bin/python"), os.path.abspath(__file__), "dump-integrations"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (out / "integrations.tsv").write_text(text, encoding="utf-8")
    print(f"integrations: wrote {out / 'integrations.tsv'} ({len(parse_tsv(text))} rows)", file=sys.stderr)


def cmd_generate(args) -> None:
    t0 = time.monotonic()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lines = [] if args.lines == "none" else args.lines.split(",") if args.lines else list(PATCHES)
    for line in lines:
        generate_line(line, out, not args.no_history, args.all_patches)
    if args.integrations:
        generate_integrations(out, PATCHES[max(PATCHES, key=vkey)][-1])
    print(f"generate: {len(lines)} lines in {time.monotonic() - t0:.0f} s", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("dump")
    sub.add_parser("dump-integrations")
    c = sub.add_parser("check")
    c.add_argument("--catalogue", required=True)
    c.add_argument("--names-only", action="store_true")
    g = sub.add_parser("generate")
    g.add_argument("--out", default=str(Path(__file__).resolve().parents[2] / "stdlib/prefect"))
    g.add_argument("--lines", default="", help="comma-separated release lines (default: all; `none`: no line)")
    g.add_argument("--no-history", action="store_true")
    g.add_argument(
        "--all-patches",
        action="store_true",
        help="dump every patch release instead of bisecting (exact since/until; finds rows "
        "that came and went inside a line, which bisection cannot)",
    )
    g.add_argument("--integrations", action="store_true")
    args = ap.parse_args()
    {"dump": cmd_dump, "dump-integrations": cmd_dump_integrations, "check": cmd_check, "generate": cmd_generate}[
        args.cmd
    ](args)


if __name__ == "__main__":
    main()
