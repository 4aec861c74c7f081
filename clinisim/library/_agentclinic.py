"""Import AgentClinic cases (OSCE and NEJM JSONL) into the kit's case schema.

Liberal in what it reads: extra keys are ignored, optional sections may be missing,
``Secondary_Symptoms`` may be a string or a list, and exam findings and test
results may be nested dicts of any depth (each leaf becomes an examiner-only
finding named by its key path). Each line may be either format; it is told by its
keys. Free-text history is split into sentence-level facts and filed under the
fields they belong to (``clinisim.library._history_text``), third- and
second-person text gets the patient's own words, and text in the patient's part
that reads as an exam or test finding becomes examiner-only.

Strict in what it writes: every imported case validates against ``PatientCase``.
A line that cannot be converted is reported by its number and the other lines
still import.
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
from clinisim.language import second_to_first
from clinisim.library._history_text import (
    HistoryParts,
    occupation_in,
    split_sentences,
    structure,
)
from clinisim.library._yaml_file import describe_validation_error
from clinisim.schemas import PatientCase

__all__ = [
    "ImportFailure",
    "ImportResult",
    "complaint_in_own_words",
    "convert_agentclinic_case",
    "convert_nejm_case",
    "import_agentclinic",
]


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
    ("female", ("female", "woman", "girl", "lady", " f ", "mother of", "pregnant")),
    ("male", ("male", "man", "boy", "gentleman", " m ")),
)
_ACTOR_SECTIONS = {
    "past_medical_history": "past_medical_history",
    "medical_history": "past_medical_history",
    "social_history": "social_history",
    "family_history": "family_history",
    "medications": "medications",
    "current_medications": "medications",
    "allergies": "allergies",
    "review_of_systems": "review_of_systems",
}
_COUNTABLE_HEAD = re.compile(
    r"\b(?:calf|leg|arm|knee|ankle|foot|toe|hand|finger|eye|ear|joint|rash|lump|cough|"
    r"headache|fever|temperature|wound|ulcer|cut|bite|blister|swelling|sore throat|"
    r"nosebleed|mass|spot|patch|bruise|shoulder|hip|wrist|elbow|back)$",
    re.IGNORECASE,
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
    padded = f" {re.sub(r'[^a-z]+', ' ', text.lower())} "
    sex = "unspecified"
    for value, words in _SEX_WORDS:
        if any((w if w.startswith(" ") else f" {w} ") in padded for w in words):
            sex = value
            break
    return {"age": min(age, 120), "sex": sex}


def _symptom_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [s.strip() for s in re.split(r"[;,]\s*", value) if s.strip()]
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return []


def complaint_in_own_words(complaint: str) -> str | None:
    """A chief complaint written as a label ("Painful swollen left calf") as the
    patient would say it ("I've come in about a painful swollen left calf."); ``None``
    when it already reads as speech."""
    text = complaint.strip().rstrip(".")
    if not text or re.match(r"^(?:i|my|i'm|i've|it|there)\b", text, re.IGNORECASE):
        return None
    phrase = text[:1].lower() + text[1:] if not text[1:2].isupper() else text
    if re.match(r"^(?:a|an|the|some|my)\b", phrase):
        article = ""
    elif _COUNTABLE_HEAD.search(phrase) and not phrase.endswith("s"):
        article = "an " if re.match(r"^[aeiou](?!ni|se|su)", phrase) else "a "
    else:
        article = ""
    return f"I've come in about {article}{phrase}."


def _chief(primary: str) -> dict[str, Any]:
    says = complaint_in_own_words(primary)
    return {"text": primary, "says": says} if says else {"text": primary}


def _hpi_block(parts: HistoryParts) -> dict[str, Any]:
    return {**parts.hpi, "associated": parts.associated, "context": parts.context}


def _exam_and_tests(
    exam_source: Any, test_source: Any
) -> tuple[dict[str, str], dict[str, list[str]], dict[str, dict[str, Any]]]:
    vitals: dict[str, str] = {}
    exam: dict[str, list[str]] = {}
    for path, text in _leaves(exam_source or {}):
        if path and path[0].lower().startswith("vital"):
            name = " / ".join(path[1:]) or "vital signs"
            vitals[name] = text
        else:
            system = path[0] if path else "general"
            detail = " / ".join(path[1:])
            exam.setdefault(system.lower(), []).append(f"{detail}: {text}" if detail else text)
    tests: dict[str, dict[str, Any]] = {}
    for path, text in _leaves(test_source or {}):
        name = " / ".join(path) or "Test"
        leaf = path[-1] if path else name
        aliases = [leaf] if leaf != name else []
        tests[name] = {"result": text, "aliases": aliases}
    return vitals, exam, tests


def _validated(data: dict[str, Any]) -> PatientCase:
    try:
        return PatientCase.model_validate(data)
    except ValidationError as exc:
        where, problem = describe_validation_error(exc)
        raise ValueError(f"{where}: {problem}") from exc


def _history_sections(parts: HistoryParts) -> dict[str, Any]:
    return {
        "hpi": _hpi_block(parts),
        "past_medical_history": parts.past_medical_history,
        "medications": parts.medications,
        "allergies": parts.allergies,
        "social_history": parts.social_history,
        "family_history": parts.family_history,
        "review_of_systems": {
            "positives": parts.ros_positives,
            "negatives": _unique(parts.ros_negatives),
        },
    }


def _unique(items: list[str]) -> list[str]:
    """Items in order, each once, compared without case."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return out


def convert_agentclinic_case(record: Any, case_id: str, source: str) -> PatientCase:
    """One AgentClinic record (OSCE or NEJM) as a ``PatientCase``; raises ``ValueError``."""
    if isinstance(record, dict) and "OSCE_Examination" not in record and _is_nejm(record):
        return convert_nejm_case(record, case_id, source)
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
    history = _text(actor.get("History"))
    parts = structure(history, default="hpi")
    for symptom in _symptom_list(symptoms.get("Secondary_Symptoms")):
        structure(symptom, default="associated", parts=parts)
    for key, value in actor.items():
        section = _ACTOR_SECTIONS.get(str(key).strip().lower().replace(" ", "_"))
        if section is not None:
            for item in _items(value):
                structure(item, default=section, parts=parts)
    first_sentence = split_sentences(history)[0] if history else ""
    chief = primary or parts.presenting or first_sentence or "I don't feel well"
    vitals, exam, tests = _exam_and_tests(
        osce.get("Physical_Examination_Findings"), osce.get("Test_Results")
    )
    if parts.findings:
        exam.setdefault("noted in the history", []).extend(parts.findings)
    demographics_text = _text(actor.get("Demographics"))
    demographics = _demographics(demographics_text)
    occupation = parts.occupation or occupation_in(demographics_text)
    if occupation:
        demographics["occupation"] = occupation
    data: dict[str, Any] = {
        "id": case_id,
        "title": (primary or diagnosis)[:80] if primary else f"Imported case {case_id}",
        "specialty": "imported",
        "tags": ["imported", "agentclinic"],
        "demographics": demographics,
        "chief_complaint": _chief(chief),
        **_history_sections(parts),
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
    return _validated(data)


def _items(value: Any) -> list[str]:
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    text = _text(value)
    return [text] if text else []


def _is_nejm(record: dict[str, Any]) -> bool:
    return "answers" in record and ("patient_info" in record or "question" in record)


def convert_nejm_case(record: Any, case_id: str, source: str) -> PatientCase:
    """One AgentClinic NEJM record: ``patient_info`` (second person, for the patient
    actor), ``physical_exams``, ``answers`` (the correct one is the gold diagnosis,
    the others its differential), ``question`` and ``image_url``."""
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    answers = record.get("answers")
    if not isinstance(answers, list) or not answers:
        raise ValueError("answers: expected a list of {text, correct}")
    choices = [
        (_text(a.get("text")), bool(a.get("correct"))) if isinstance(a, dict) else (_text(a), False)
        for a in answers
    ]
    correct = [text for text, ok in choices if ok and text]
    if not correct:
        raise ValueError("answers: no answer is marked correct")
    info = _text(record.get("patient_info"))
    if not info:
        raise ValueError("missing patient_info")
    parts = structure(info, default="hpi", person="second")
    sentences = [s for s in split_sentences(info) if not re.match(r"^you are an?\s+\d", s, re.I)]
    chief_text = parts.presenting or (sentences[0] if sentences else "I don't feel well")
    chief = _nejm_chief(chief_text)
    _, exam, tests = _exam_and_tests({}, {})
    exam_text = _text(record.get("physical_exams"))
    if exam_text:
        exam["general"] = split_sentences(exam_text) or [exam_text]
    if parts.findings:
        exam.setdefault("noted in the history", []).extend(parts.findings)
    image = _text(record.get("image_url"))
    if image:
        tests["Clinical image"] = {
            "result": f"See the image: {image}",
            "aliases": ["image", "photograph", "picture", "imaging"],
        }
    demographics = _demographics(info)
    if parts.occupation:
        demographics["occupation"] = parts.occupation
    data: dict[str, Any] = {
        "id": case_id,
        "title": chief_text[:80],
        "specialty": "imported",
        "tags": ["imported", "agentclinic", "nejm"],
        "demographics": demographics,
        "chief_complaint": chief,
        **_history_sections(parts),
        "physical_exam": exam,
        "tests": tests,
        "diagnosis": {
            "name": correct[0],
            "synonyms": correct[1:],
            "differential": [text for text, ok in choices if not ok and text],
        },
        "provenance": {
            "source": source,
            "author": "AgentClinic NEJM dataset",
            "licence": "see source",
            "notes": _text(record.get("question")) or None,
        },
    }
    return _validated(data)


def _nejm_chief(text: str) -> dict[str, Any]:
    spoken = second_to_first(text.strip())
    if spoken != text.strip():
        return {"text": text.strip(), "says": spoken[:1].upper() + spoken[1:]}
    return _chief(text.strip())


def import_agentclinic(path: Path, prefix: str = "agentclinic") -> ImportResult:
    """Convert every line of an AgentClinic JSONL file (OSCE or NEJM lines);
    failures keep their line number."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", prefix):
        raise InputError("must be lowercase letters, digits, '-' or '_'", field="--prefix")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise InputError("file not found", file=path) from exc
    except UnicodeDecodeError as exc:
        raise InputError("not a UTF-8 text file", file=path) from exc
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
