"""Import AgentClinic OSCE JSONL cases into the kit's case schema.

Liberal in what it reads: extra keys are ignored, optional sections may be missing,
``Secondary_Symptoms`` may be a string or a list, and exam findings and test
results may be nested dicts of any depth (each leaf becomes an examiner-only
finding named by its key path). Strict in what it writes: every imported case
validates against ``PatientCase``. A line that cannot be converted is reported by
its number and the other lines still import.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from clinisim.errors import InputError
from clinisim.library._yaml_file import describe_validation_error
from clinisim.schemas import PatientCase

__all__ = ["ImportFailure", "ImportResult", "convert_agentclinic_case", "import_agentclinic"]


@dataclass(frozen=True)
class ImportFailure:
    """A line that could not be converted."""

    line: int
    problem: str


@dataclass
class ImportResult:
    """Converted cases and the lines that failed."""

    cases: list[PatientCase] = field(default_factory=list)
    failures: list[ImportFailure] = field(default_factory=list)

    def write(self, directory: Path) -> list[Path]:
        """Write each case as ``<id>.yaml`` under ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for case in self.cases:
            path = directory / f"{case.id}.yaml"
            data = case.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
            written.append(path)
        return written


_DEMOGRAPHICS_AGE = re.compile(r"(\d{1,3})\s*(?:-|\s)?\s*(?:year|yr|y/o|yo|years?)", re.IGNORECASE)
_SEX_WORDS = (
    ("female", ("female", "woman", "girl", "lady", " f ")),
    ("male", ("male", "man", "boy", "gentleman", " m ")),
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if _text(v))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items() if _text(v))
    return str(value).strip()


def _leaves(value: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """Flatten nested dicts/lists into (key path, text) leaves."""
    if isinstance(value, dict):
        out: list[tuple[tuple[str, ...], str]] = []
        for key, sub in value.items():
            out.extend(_leaves(sub, (*path, str(key).replace("_", " ").strip())))
        return out
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        out = []
        for i, sub in enumerate(value):
            out.extend(_leaves(sub, (*path, str(i + 1))))
        return out
    text = _text(value)
    return [(path, text)] if text else []


def _demographics(text: str) -> dict[str, Any]:
    match = _DEMOGRAPHICS_AGE.search(text)
    age = int(match.group(1)) if match else None
    if age is None:
        digits = re.search(r"\b(\d{1,3})\b", text)
        age = int(digits.group(1)) if digits else 40  # documented fallback: unknown age → 40
    padded = f" {text.lower()} "
    sex = "unspecified"
    for value, words in _SEX_WORDS:
        if any(w in padded for w in words):
            sex = value
            break
    return {"age": min(age, 120), "sex": sex}


def _symptom_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [s.strip() for s in re.split(r"[;,]\s*", value) if s.strip()]
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return []


def convert_agentclinic_case(record: Any, case_id: str, source: str) -> PatientCase:
    """One AgentClinic record as a ``PatientCase``; raises ``ValueError`` when it can't."""
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    osce = record.get("OSCE_Examination", record)
    if not isinstance(osce, dict):
        raise ValueError("OSCE_Examination is not an object")
    diagnosis = _text(osce.get("Correct_Diagnosis"))
    if not diagnosis:
        raise ValueError("missing Correct_Diagnosis")
    actor = osce.get("Patient_Actor") or {}
    if not isinstance(actor, dict):
        actor = {"History": _text(actor)}
    symptoms = actor.get("Symptoms") or {}
    if not isinstance(symptoms, dict):
        symptoms = {"Primary_Symptom": _text(symptoms)}
    primary = _text(symptoms.get("Primary_Symptom"))
    secondary = _symptom_list(symptoms.get("Secondary_Symptoms"))
    history = _text(actor.get("History"))
    chief = primary or (history.split(".")[0] if history else "") or "I don't feel well"
    vitals: dict[str, str] = {}
    exam: dict[str, list[str]] = {}
    for path, text in _leaves(osce.get("Physical_Examination_Findings") or {}):
        if path and path[0].lower().startswith("vital"):
            name = " / ".join(path[1:]) or "vital signs"
            vitals[name] = text
        else:
            system = path[0] if path else "general"
            detail = " / ".join(path[1:])
            exam.setdefault(system.lower(), []).append(f"{detail}: {text}" if detail else text)
    tests: dict[str, dict[str, Any]] = {}
    for path, text in _leaves(osce.get("Test_Results") or {}):
        name = " / ".join(path) or "Test"
        leaf = path[-1] if path else name
        aliases = [leaf] if leaf != name else []
        tests[name] = {"result": text, "aliases": aliases}
    data: dict[str, Any] = {
        "id": case_id,
        "title": (primary or diagnosis)[:80] if primary else f"Imported case {case_id}",
        "specialty": "imported",
        "tags": ["imported", "agentclinic"],
        "demographics": _demographics(_text(actor.get("Demographics"))),
        "chief_complaint": chief,
        "hpi": {
            "context": [history] if history else [],
            "associated": secondary,
        },
        "past_medical_history": _split_items(actor.get("Past_Medical_History")),
        "social_history": _split_items(actor.get("Social_History")),
        "review_of_systems": {"positives": _split_items(actor.get("Review_of_Systems"))},
        "vitals": vitals,
        "physical_exam": exam,
        "tests": tests,
        "diagnosis": {"name": diagnosis},
        "provenance": {
            "source": source,
            "author": "AgentClinic dataset",
            "licence": "see source",
            "notes": _text(osce.get("Objective_for_Doctor")) or None,
        },
    }
    try:
        return PatientCase.model_validate(data)
    except ValidationError as exc:
        where, problem = describe_validation_error(exc)
        raise ValueError(f"{where}: {problem}") from exc


def _split_items(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    text = _text(value)
    if not text:
        return []
    parts = [p.strip() for p in re.split(r"(?<=[.;])\s+", text) if p.strip()]
    return parts or [text]


def import_agentclinic(path: Path, prefix: str = "agentclinic") -> ImportResult:
    """Convert every line of an AgentClinic OSCE JSONL file; failures keep their line."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", prefix):
        raise InputError("must be lowercase letters, digits, '-' or '_'", field="--prefix")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise InputError("file not found", file=path) from exc
    result = ImportResult()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            result.failures.append(ImportFailure(number, f"not valid JSON ({exc.msg})"))
            continue
        try:
            case = convert_agentclinic_case(record, f"{prefix}-{number}", f"{path.name}:{number}")
        except ValueError as exc:
            result.failures.append(ImportFailure(number, str(exc)))
            continue
        result.cases.append(case)
    return result
