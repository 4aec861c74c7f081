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

from pydantic import ValidationError

from clinisim.errors import InputError
from clinisim.judges import BUILTIN_JUDGES, MODERATOR, available_rubrics
from clinisim.library import (
    CaseLibrary,
    describe_validation_error,
    import_agentclinic,
    load_model,
)
from clinisim.llm import HUMAN, OFFLINE, check_model_string
from clinisim.runner._plan import persona_key
from clinisim.schemas import (
    PERSONA_AXES,
    PatientCase,
    Persona,
    PersonaSampling,
    Protocol,
    Suite,
)

__all__ = ["LoadedSuite", "config_hash", "load_suite", "resolve_suite"]


@dataclass
class LoadedSuite:
    """A validated suite with its cases and personas resolved."""

    suite: Suite
    source: str
    """Where the suite came from (a file path, or ``manifest`` on resume)."""
    cases: dict[str, PatientCase]
    personas: list[Persona]
    warnings: list[str] = field(default_factory=list)

    @property
    def doctors(self) -> list[str]:
        return list(self.suite.models.doctor)


def load_suite(path: Path, doctors: list[str] | None = None) -> Suite:
    """Read and validate a suite YAML; ``doctors`` (``--doctor`` flags) replace its doctors."""
    suite = load_model(path, Suite)
    if doctors:
        suite = suite.model_copy(
            update={"models": suite.models.model_copy(update={"doctor": list(doctors)})}
        )
    return suite


def _check_models(suite: Suite, source: str) -> None:
    roles: list[tuple[str, str]] = [
        (f"models.doctor[{i}]", d) for i, d in enumerate(suite.models.doctor)
    ]
    roles += [
        ("models.patient", suite.models.patient),
        ("models.examiner", suite.models.examiner),
        ("models.judge", suite.models.judge),
    ]
    for where, model in roles:
        try:
            check_model_string(model, field=where)
        except InputError as exc:
            raise InputError(exc.problem, file=source, field=where) from None
        if model == HUMAN:
            raise InputError("a benchmark cannot have a human role", file=source, field=where)
    if len(set(suite.models.doctor)) != len(suite.models.doctor):
        raise InputError("a doctor model is listed twice", file=source, field="models.doctor")


def _check_rubrics(suite: Suite, source: str) -> None:
    known = set(BUILTIN_JUDGES) | set(available_rubrics())
    for i, name in enumerate(suite.rubrics or []):
        if name not in known and Path(name).suffix not in (".yaml", ".yml"):
            raise InputError(
                f"unknown rubric {name!r} (known: {', '.join(sorted(known))})",
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


def _selected_cases(
    suite: Suite, library: CaseLibrary, imported: list[PatientCase], source: str
) -> dict[str, PatientCase]:
    chosen: dict[str, PatientCase] = {}
    selection = suite.cases if suite.cases is not None else ([] if imported else "all")
    shipped = library.cases
    if selection == "all":
        chosen.update(sorted(shipped.items()))
    else:
        for i, entry in enumerate(selection):
            if entry.startswith("tag:"):
                tag = entry.removeprefix("tag:")
                tagged = {cid: c for cid, c in sorted(shipped.items()) if tag in c.tags}
                if not tagged:
                    raise InputError(f"no case has tag {tag!r}", file=source, field=f"cases[{i}]")
                chosen.update(tagged)
            elif entry in shipped:
                chosen[entry] = shipped[entry]
            else:
                raise InputError(
                    f"unknown case {entry!r} (see 'clinisim cases list')",
                    file=source,
                    field=f"cases[{i}]",
                )
    for case in imported:
        if case.id in chosen:
            raise InputError(f"imported case id {case.id!r} clashes", file=source, field="imports")
        chosen[case.id] = case
    return chosen


def _persona(values: dict[str, str], source: str, where: str) -> Persona:
    for axis, value in values.items():
        if axis not in PERSONA_AXES:
            raise InputError(
                f"unknown persona axis {axis!r} (axes: {', '.join(PERSONA_AXES)})",
                file=source,
                field=where,
            )
        allowed = [m.value for m in PERSONA_AXES[axis]]
        if value not in allowed:
            raise InputError(
                f"unknown value {value!r} (allowed: {', '.join(allowed)})",
                file=source,
                field=f"{where}.{axis}",
            )
    try:
        return Persona.model_validate(values)
    except ValidationError as exc:  # pragma: no cover - values were checked above
        field_name, problem = describe_validation_error(exc)
        raise InputError(problem, file=source, field=f"{where}.{field_name}") from exc


def _personas(suite: Suite, source: str) -> list[Persona]:
    rule = suite.personas
    if not isinstance(rule, PersonaSampling):
        personas = [_persona(values, source, f"personas[{i}]") for i, values in enumerate(rule)]
    else:
        axes: list[tuple[str, list[str]]] = []
        for axis, values in rule.axes.items():
            if axis not in PERSONA_AXES:
                raise InputError(
                    f"unknown persona axis {axis!r}", file=source, field="personas.axes"
                )
            options = [m.value for m in PERSONA_AXES[axis]] if values == "all" else list(values)
            axes.append((axis, options))
        grid = [
            _persona(dict(zip([a for a, _ in axes], combo, strict=True)), source, "personas.axes")
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
    """Check models and rubrics, resolve cases (with imports) and personas."""
    _check_models(suite, source)
    _check_rubrics(suite, source)
    imported, warnings = _imported_cases(suite, base_dir, source)
    cases = _selected_cases(suite, library, imported, source)
    if not cases:
        raise InputError("the suite selects no case", file=source, field="cases")
    if suite.protocol is Protocol.AGENTCLINIC and suite.models.judge == OFFLINE:
        warnings.append(
            "agentclinic protocol without a judge model: the moderator score is left out and "
            "accuracy uses synonym matching only (set models.judge for the moderator)"
        )
    return LoadedSuite(suite, source, cases, _personas(suite, source), warnings)


def config_hash(loaded: LoadedSuite) -> str:
    """A hash of everything that decides what the sessions are.

    Execution settings and the run-wide budget are left out: they may change when a
    run is resumed. Each case's content is included, so an edited case is noticed.
    """
    suite = loaded.suite.model_dump(mode="json", exclude={"execution", "description"})
    suite["budgets"].pop("run_usd", None)
    suite["budgets"].pop("run_tokens", None)
    payload: dict[str, Any] = {
        "suite": suite,
        "cases": {
            cid: hashlib.sha256(c.model_dump_json().encode()).hexdigest()[:16]
            for cid, c in sorted(loaded.cases.items())
        },
        "personas": [persona_key(p) for p in loaded.personas],
    }
    text = json.dumps(payload, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
