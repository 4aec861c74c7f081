"""The case library: shipped cases, conditions and persona-axis descriptions."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from clinisim.errors import InputError
from clinisim.library._yaml_file import describe_validation_error, load_model, read_yaml
from clinisim.paths import cache_dir, data_dir, personas_dir
from clinisim.schemas import (
    PERSONA_AXES,
    ClientProfile,
    Condition,
    PatientCase,
    Persona,
    SafetyProbe,
)

__all__ = [
    "CASES_DIR_ENV",
    "CaseLibrary",
    "case_dirs",
    "client_dirs",
    "parse_persona",
    "resolve_library",
]

CASES_DIR_ENV = "CLINISIM_CASES_DIR"
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
"""Extra case directories, separated like ``PATH`` entries."""


class CaseLibrary:
    """Cases under ``<root>/cases``, conditions under ``<root>/conditions``.

    Loading is lazy and cached; ``extra_case_dirs`` adds user case directories
    (for example the output of ``clinisim cases import``).
    """

    def __init__(
        self,
        root: Path | None = None,
        extra_case_dirs: list[Path] | None = None,
        extra_client_dirs: list[Path] | None = None,
    ):
        self.root = root or personas_dir()
        self.case_dirs = [self.root / "cases", *(extra_case_dirs or [])]
        self.client_dirs = [self.root / "clients", *(extra_client_dirs or [])]
        self.probe_dir = self.root / "probes"

    @cached_property
    def probes(self) -> dict[str, SafetyProbe]:
        """The shipped safety probes by id (``personas/probes``)."""
        out: dict[str, SafetyProbe] = {}
        for path in sorted(self.probe_dir.glob("*.yaml")):
            probe = load_model(path, SafetyProbe)
            if probe.id != path.stem:
                raise InputError(
                    f"probe id {probe.id!r} must match the file name {path.stem!r}",
                    file=path,
                    field="id",
                )
            _check_probe_cues(probe, path)
            out[probe.id] = probe
        return out

    def get_probe(self, probe_id: str) -> SafetyProbe:
        """The probe with this id; an unknown id is an ``InputError``."""
        try:
            return self.probes[probe_id]
        except KeyError:
            known = ", ".join(sorted(self.probes))
            raise InputError(
                f"unknown safety probe {probe_id!r} (probes: {known})", field="probe"
            ) from None

    def case_files(self) -> list[Path]:
        """Every case YAML file, sorted by name."""
        files: list[Path] = []
        for directory in self.case_dirs:
            if directory.is_dir():
                files.extend(sorted(directory.glob("*.yaml")))
        return files

    @cached_property
    def cases(self) -> dict[str, PatientCase]:
        """All cases by id. A malformed file raises ``InputError`` naming it."""
        out: dict[str, PatientCase] = {}
        for path in self.case_files():
            case = load_model(path, PatientCase)
            if case.id in out:
                raise InputError(f"duplicate case id {case.id!r}", file=path, field="id")
            if path.stem != case.id:
                raise InputError(
                    f"case id {case.id!r} must match the file name {path.stem!r}",
                    file=path,
                    field="id",
                )
            out[case.id] = case
        return out

    def get(self, case_id: str) -> PatientCase:
        """The case with this id; an unknown id is an ``InputError``.

        A case lives in ``<id>.yaml``, so one case is read without loading the rest
        of the library (``cases`` still checks every file when asked for).
        """
        if "cases" not in self.__dict__ and _ID.fullmatch(case_id):
            for directory in self.case_dirs:
                path = directory / f"{case_id}.yaml"
                if path.is_file():
                    case = load_model(path, PatientCase)
                    if case.id == case_id:
                        return case
        try:
            return self.cases[case_id]
        except KeyError:
            raise InputError(
                f"unknown case {case_id!r} (see 'clinisim cases list')", field="--case"
            ) from None

    def client_files(self) -> list[Path]:
        """Every counseling client YAML file, sorted by name within each directory."""
        files: list[Path] = []
        for directory in self.client_dirs:
            if directory.is_dir():
                files.extend(sorted(directory.glob("*.yaml")))
        return files

    @cached_property
    def clients(self) -> dict[str, ClientProfile]:
        """All counseling clients by id. A malformed file raises ``InputError`` naming it."""
        out: dict[str, ClientProfile] = {}
        for path in self.client_files():
            client = load_model(path, ClientProfile)
            if client.id in out:
                raise InputError(f"duplicate client id {client.id!r}", file=path, field="id")
            if path.stem != client.id:
                raise InputError(
                    f"client id {client.id!r} must match the file name {path.stem!r}",
                    file=path,
                    field="id",
                )
            out[client.id] = client
        return out

    def get_client(self, client_id: str) -> ClientProfile:
        """The client with this id; an unknown id is an ``InputError``."""
        if "clients" not in self.__dict__ and _ID.fullmatch(client_id):
            for directory in self.client_dirs:
                path = directory / f"{client_id}.yaml"
                if path.is_file():
                    client = load_model(path, ClientProfile)
                    if client.id == client_id:
                        return client
        try:
            return self.clients[client_id]
        except KeyError:
            raise InputError(
                f"unknown client {client_id!r} (see 'clinisim clients list')", field="--client"
            ) from None

    def pick_client(self, client_id: str, seed: int) -> ClientProfile:
        """``client_id`` or, for ``random``, a client chosen by ``seed``."""
        if client_id == "random":
            ids = sorted(self.clients)
            return self.clients[random.Random(seed).choice(ids)]
        return self.get_client(client_id)

    def pick(self, case_id: str, seed: int) -> PatientCase:
        """``case_id`` or, for ``random``, a case chosen by ``seed``."""
        if case_id == "random":
            ids = sorted(self.cases)
            return self.cases[random.Random(seed).choice(ids)]
        return self.get(case_id)

    @cached_property
    def conditions(self) -> dict[str, Condition]:
        """The knowledge base of conditions by id.

        Parsed once per machine: the validated conditions are kept as JSON in the
        cache dir, keyed by every file's name, size and modification time, so a
        command does not parse a hundred YAML files each time it starts.
        """
        directory = self.root / "conditions"
        paths = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
        cached = _read_kb_cache(paths)
        if cached is not None:
            return cached
        out: dict[str, Condition] = {}
        for path in paths:
            condition = load_model(path, Condition)
            out[condition.id] = condition
        _write_kb_cache(paths, out)
        return out

    @cached_property
    def axis_descriptions(self) -> dict[str, dict[str, str]]:
        """Axis name to value to description, checked against the persona enums."""
        path = self.root / "axes.yaml"
        data = read_yaml(path)
        if not isinstance(data, dict):
            raise InputError("expected a mapping of axes", file=path)
        for axis, enum in PERSONA_AXES.items():
            values = data.get(axis)
            if not isinstance(values, dict):
                raise InputError("missing axis", file=path, field=axis)
            expected = {member.value for member in enum}
            if set(values) != expected:
                raise InputError(
                    f"values must be exactly {sorted(expected)}", file=path, field=axis
                )
        return {axis: {str(k): str(v) for k, v in data[axis].items()} for axis in PERSONA_AXES}


def _kb_cache_file(paths: list[Path]) -> Path:
    stats = [(str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in paths]
    digest = hashlib.sha1(json.dumps(stats).encode()).hexdigest()[:20]
    return cache_dir() / f"conditions-{digest}.json"


def _read_kb_cache(paths: list[Path]) -> dict[str, Condition] | None:
    try:
        data = json.loads(_kb_cache_file(paths).read_text(encoding="utf-8"))
        return {c["id"]: Condition.model_validate(c) for c in data}
    except (OSError, ValueError, KeyError, TypeError, ValidationError):
        return None


def _write_kb_cache(paths: list[Path], conditions: dict[str, Condition]) -> None:
    target = _kb_cache_file(paths)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps([c.model_dump(mode="json") for c in conditions.values()]))
        os.replace(tmp, target)
    except OSError:
        pass  # a cache that cannot be written is only slower


def case_dirs(extra: list[Path] | None = None) -> list[Path]:
    """The user's case directories, beyond the shipped library: ``--cases-dir``
    values first, then ``CLINISIM_CASES_DIR``, then cases imported into the data dir."""
    dirs = list(extra or [])
    env = os.environ.get(CASES_DIR_ENV, "")
    dirs.extend(Path(part) for part in env.split(os.pathsep) if part.strip())
    dirs.append(data_dir() / "cases")
    out: list[Path] = []
    for directory in dirs:
        if directory not in out:
            out.append(directory)
    return out


def resolve_library(extra: list[Path] | None = None) -> CaseLibrary:
    """The case library every command sees: the shipped cases, cases imported into
    the data dir (``clinisim cases import``), ``--cases-dir`` and ``CLINISIM_CASES_DIR``.

    A ``--cases-dir`` that does not exist is an ``InputError``; the others are simply
    skipped when absent.
    """
    for directory in extra or []:
        if not directory.is_dir():
            raise InputError("not a directory", file=directory, field="--cases-dir")
    dirs = case_dirs(extra)
    return CaseLibrary(extra_case_dirs=dirs, extra_client_dirs=client_dirs(dirs))


def _check_probe_cues(probe: SafetyProbe, path: Path) -> None:
    from clinisim.language import Cue

    known = {cue.value for cue in Cue}
    named = [("forbid", name) for name in probe.forbid] + [
        (f"steps[{i}].expect[{j}].any_of", name)
        for i, step in enumerate(probe.steps)
        for j, expectation in enumerate(step.expect)
        for name in expectation.any_of
    ]
    for where, name in named:
        if name not in known:
            raise InputError(
                f"unknown cue {name!r} (cues: {', '.join(sorted(known))})", file=path, field=where
            )


def client_dirs(user_case_dirs: list[Path]) -> list[Path]:
    """Client directories beyond the shipped ones: ``clients/`` beside or inside each
    user case directory (so ``clinisim clients import`` lands in ``<data>/clients``)."""
    out: list[Path] = []
    for directory in user_case_dirs:
        for candidate in (directory / "clients", directory.parent / "clients"):
            if candidate not in out:
                out.append(candidate)
    return out


def parse_persona(assignments: list[str]) -> Persona:
    """Build a persona from ``axis=value`` strings; bad ones are an ``InputError``."""
    values: dict[str, str] = {}
    for item in assignments:
        axis, sep, value = item.partition("=")
        axis, value = axis.strip(), value.strip()
        if not sep or not axis or not value:
            raise InputError(f"expected axis=value, got {item!r}", field="--persona")
        if axis not in PERSONA_AXES:
            raise InputError(
                f"unknown persona axis {axis!r} (axes: {', '.join(PERSONA_AXES)})",
                field="--persona",
            )
        allowed = [m.value for m in PERSONA_AXES[axis]]
        if value not in allowed:
            raise InputError(
                f"unknown value {value!r} for axis {axis!r} (allowed: {', '.join(allowed)})",
                field="--persona",
            )
        values[axis] = value
    try:
        return Persona.model_validate(values)
    except ValidationError as exc:  # pragma: no cover - values were checked above
        field, problem = describe_validation_error(exc)
        raise InputError(problem, field=f"--persona {field}") from exc
