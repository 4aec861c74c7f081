"""Loading a suite file and resolving it against the case library.

Every problem is an ``InputError`` naming the suite file and the field, so
``clinisim bench`` exits 2 with one clear line before any session starts.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinisim.engine import SessionKind, kind_named
from clinisim.errors import InputError
from clinisim.judges import BUILTIN_JUDGES, MODERATOR, available_rubrics, judge_applies
from clinisim.library import (
    CaseLibrary,
    import_agentclinic,
    load_model,
)
from clinisim.llm import HUMAN, OFFLINE, check_model_string
from clinisim.runner._plan import PersonaValues, persona_key
from clinisim.schemas import (
    PatientCase,
    PersonaSampling,
    Protocol,
    Suite,
)

__all__ = ["LoadedSuite", "config_hash", "load_suite", "resolve_suite"]


@dataclass
class LoadedSuite:
    """A validated suite with its kind, subjects and personas resolved."""

    suite: Suite
    source: str
    """Where the suite came from (a file path, or ``manifest`` on resume)."""
    kind: SessionKind
    subjects: dict[str, Any]
    """The cases (consultation) or clients (counseling) the sessions play, by id."""
    personas: list[PersonaValues]
    """Each persona with every axis of the kind (``None``: the subject's own value)."""
    warnings: list[str] = field(default_factory=list)

    @property
    def models(self) -> list[str]:
        """The models under test, in the suite's order."""
        return list(self.suite.models.under_test)

    @property
    def tested_role(self) -> str:
        """The role the models under test play (``doctor``, ``counselor``)."""
        return self.kind.tested_role.value

    def role_models(self) -> dict[str, Any]:
        """Role to model: the models under test (a list) under the tested role, every
        other role of the kind, then the judge."""
        models = self.suite.models
        out: dict[str, Any] = {self.tested_role: self.models}
        for role in self.kind.roles:
            if role is not self.kind.tested_role:
                out[role.value] = models.model_for(role.value)
        out["judge"] = models.judge
        return out


def load_suite(path: Path, models: list[str] | None = None) -> Suite:
    """Read and validate a suite YAML; ``models`` (``--model`` flags) replace its
    models under test."""
    suite = load_model(path, Suite)
    if models:
        suite = suite.model_copy(
            update={"models": suite.models.model_copy(update={"under_test": list(models)})}
        )
    return suite


def _check_models(suite: Suite, kind: SessionKind, source: str) -> None:
    tested = kind.tested_role.value
    named = suite.models.named_as
    if named is not None and named != tested:
        raise InputError(
            f"a {suite.kind} suite tests the {tested}, not the {named} "
            f"(write models.{tested} or models.under_test)",
            file=source,
            field=f"models.{named}",
        )
    played = {role.value for role in kind.roles} - {tested}
    for role in suite.models.roles:
        if role == tested:
            problem = f"the {tested} is the role under test: list its models in models.{tested}"
        elif role not in played:
            problem = (
                f"a {suite.kind} session has no {role!r} role (roles: {', '.join(sorted(played))})"
            )
        else:
            continue
        raise InputError(problem, file=source, field=f"models.roles.{role}")
    checks: list[tuple[str, str]] = [
        (f"models.under_test[{i}]", model) for i, model in enumerate(suite.models.under_test)
    ]
    checks += [(f"models.roles.{role}", model) for role, model in suite.models.roles.items()]
    checks.append(("models.judge", suite.models.judge))
    for where, model in checks:
        try:
            check_model_string(model, field=where)
        except InputError as exc:
            raise InputError(exc.problem, file=source, field=where) from None
        if model == HUMAN:
            raise InputError("a benchmark cannot have a human role", file=source, field=where)
    if len(set(suite.models.under_test)) != len(suite.models.under_test):
        raise InputError(
            f"a {tested} model is listed twice", file=source, field="models.under_test"
        )


def _check_rubrics(suite: Suite, kind: SessionKind, source: str) -> None:
    known = set(BUILTIN_JUDGES) | set(available_rubrics())
    for i, name in enumerate(suite.rubrics or []):
        if name not in known and Path(name).suffix not in (".yaml", ".yml"):
            raise InputError(
                f"unknown rubric {name!r} (known: {', '.join(sorted(known))})",
                file=source,
                field=f"rubrics[{i}]",
            )
        if not judge_applies(name, kind.name):
            raise InputError(
                f"judge {name!r} does not apply to {kind.name} sessions",
                file=source,
                field=f"rubrics[{i}]",
            )
        if name == MODERATOR and suite.models.judge == OFFLINE:
            raise InputError(
                f"{MODERATOR!r} needs a judge model (models.judge)",
                file=source,
                field=f"rubrics[{i}]",
            )


def _imported_cases(suite: Suite, base: Path, source: str) -> tuple[list[PatientCase], list[str]]:
    cases: list[PatientCase] = []
    warnings: list[str] = []
    for i, spec in enumerate(suite.imports):
        path = Path(spec.path)
        path = path if path.is_absolute() else base / path
        if not path.is_file():
            raise InputError("file not found", file=source, field=f"imports[{i}].path {path}")
        result = import_agentclinic(path, spec.prefix)
        warnings.extend(f"{path}: line {f.line}: {f.problem}" for f in result.failures)
        if not result.cases:
            raise InputError("no case could be imported", file=path)
        cases.extend(result.cases[: spec.limit] if spec.limit else result.cases)
    return cases, warnings


def _selected_subjects(
    suite: Suite,
    kind: SessionKind,
    library: CaseLibrary,
    imported: list[PatientCase],
    source: str,
) -> dict[str, Any]:
    field_name = kind.subject_field
    noun = field_name.removesuffix("s")
    chosen: dict[str, Any] = {}
    given = getattr(suite, field_name, None)
    selection = given if given is not None else ([] if imported else "all")
    shipped = dict(kind.library_subjects(library))
    if selection == "all":
        chosen.update(sorted(shipped.items()))
    else:
        for i, entry in enumerate(selection):
            if entry.startswith("tag:"):
                tag = entry.removeprefix("tag:")
                tagged = {
                    sid: subject
                    for sid, subject in sorted(shipped.items())
                    if tag in kind.subject_tags(subject)
                }
                if not tagged:
                    raise InputError(
                        f"no {noun} has tag {tag!r}", file=source, field=f"{field_name}[{i}]"
                    )
                chosen.update(tagged)
            elif entry in shipped:
                chosen[entry] = shipped[entry]
            else:
                raise InputError(
                    f"unknown {noun} {entry!r} (see 'clinisim {field_name} list')",
                    file=source,
                    field=f"{field_name}[{i}]",
                )
    for case in imported:
        if case.id in chosen:
            raise InputError(f"imported case id {case.id!r} clashes", file=source, field="imports")
        chosen[case.id] = case
    return chosen


def _check_subject_fields(suite: Suite, kind: SessionKind, source: str) -> None:
    for other in ("cases", "clients", "probes"):
        if other != kind.subject_field and getattr(suite, other) is not None:
            raise InputError(
                f"a {suite.kind} suite selects {kind.subject_field}, not {other}",
                file=source,
                field=other,
            )
    if suite.imports and kind.subject_field != "cases":
        raise InputError(
            f"imports add consultation cases; a {suite.kind} suite cannot use them "
            f"(import {kind.subject_field} with 'clinisim {kind.subject_field} import')",
            file=source,
            field="imports",
        )
    if suite.protocol is not Protocol.CLINISIM and kind.subject_field != "cases":
        raise InputError(
            f"protocol {suite.protocol.value!r} is for consultations",
            file=source,
            field="protocol",
        )


def _persona(values: dict[str, str], kind: SessionKind, source: str, where: str) -> PersonaValues:
    axes = kind.persona_axes
    for axis, value in values.items():
        if axis not in axes:
            raise InputError(
                f"unknown persona axis {axis!r} for a {kind.name} suite (axes: {', '.join(axes)})",
                file=source,
                field=where,
            )
        if value not in axes[axis]:
            raise InputError(
                f"unknown value {value!r} (allowed: {', '.join(axes[axis])})",
                file=source,
                field=f"{where}.{axis}",
            )
    return {axis: values.get(axis, default) for axis, default in kind.persona_defaults.items()}


def _personas(suite: Suite, kind: SessionKind, source: str) -> list[PersonaValues]:
    rule = suite.personas
    if not isinstance(rule, PersonaSampling):
        personas = [
            _persona(values, kind, source, f"personas[{i}]") for i, values in enumerate(rule)
        ]
    else:
        axes: list[tuple[str, list[str]]] = []
        for axis, values in rule.axes.items():
            if axis not in kind.persona_axes:
                raise InputError(
                    f"unknown persona axis {axis!r} for a {kind.name} suite "
                    f"(axes: {', '.join(kind.persona_axes)})",
                    file=source,
                    field="personas.axes",
                )
            options = list(kind.persona_axes[axis]) if values == "all" else list(values)
            axes.append((axis, options))
        grid = [
            _persona(
                dict(zip([a for a, _ in axes], combo, strict=True)), kind, source, "personas.axes"
            )
            for combo in itertools.product(*[options for _, options in axes])
        ]
        if rule.sample is not None:
            if rule.sample > len(grid):
                raise InputError(
                    f"sample {rule.sample} is larger than the grid of {len(grid)} personas",
                    file=source,
                    field="personas.sample",
                )
            grid = random.Random(suite.seed).sample(grid, rule.sample)
        personas = grid
    keys = [persona_key(p) for p in personas]
    if len(set(keys)) != len(keys):
        raise InputError("a persona is listed twice", file=source, field="personas")
    return personas


def resolve_suite(
    suite: Suite, *, library: CaseLibrary, source: str, base_dir: Path
) -> LoadedSuite:
    """Check the kind, models and rubrics; resolve subjects (with imports) and personas."""
    try:
        kind = kind_named(suite.kind)
    except InputError as exc:
        raise InputError(exc.problem, file=source, field="kind") from None
    _check_subject_fields(suite, kind, source)
    _check_models(suite, kind, source)
    _check_rubrics(suite, kind, source)
    imported, warnings = _imported_cases(suite, base_dir, source)
    subjects = _selected_subjects(suite, kind, library, imported, source)
    if not subjects:
        raise InputError(
            f"the suite selects no {kind.subject_field.removesuffix('s')}",
            file=source,
            field=kind.subject_field,
        )
    if suite.protocol is Protocol.AGENTCLINIC and suite.models.judge == OFFLINE:
        warnings.append(
            "agentclinic protocol without a judge model: the moderator score is left out and "
            "accuracy uses synonym matching only (set models.judge for the moderator)"
        )
    return LoadedSuite(suite, source, kind, subjects, _personas(suite, kind, source), warnings)


_SINCE_KINDS: dict[str, object] = {"kind": "consultation", "clients": None, "probes": None}
"""Suite fields added with session kinds, at the values older suites implied: left
out of the hash at these values, so runs made before kinds existed still resume."""


def config_hash(loaded: LoadedSuite) -> str:
    """A hash of everything that decides what the sessions are.

    Execution settings and the run-wide budget are left out: they may change when a
    run is resumed. Each subject's content is included, so an edited case is noticed.
    """
    suite = loaded.suite.model_dump(mode="json", exclude={"execution", "description"})
    suite["budgets"].pop("run_usd", None)
    suite["budgets"].pop("run_tokens", None)
    for key, implied in _SINCE_KINDS.items():
        if suite.get(key) == implied:
            suite.pop(key)
    if suite.get("kind") is None:
        # A consultation suite hashes its models in the form they had before kinds.
        models = loaded.suite.models
        suite["models"] = {
            "doctor": list(models.under_test),
            "patient": models.model_for("patient"),
            "examiner": models.model_for("examiner"),
            "judge": models.judge,
        }
    payload: dict[str, Any] = {
        "suite": suite,
        "cases": {
            sid: hashlib.sha256(subject.model_dump_json().encode()).hexdigest()[:16]
            for sid, subject in sorted(loaded.subjects.items())
        },
        "personas": [persona_key(p) for p in loaded.personas],
    }
    text = json.dumps(payload, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
