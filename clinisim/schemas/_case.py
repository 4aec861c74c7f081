"""A clinical case: what the patient knows, what only an exam finds, and the answer.

Every fact carries a ``visibility``:

- ``patient``: the patient knows it and may say it when asked;
- ``examiner``: only found by an exam or a test;
- ``hidden``: the gold answer, never shown to any simulated role.

Each section has a default visibility (history sections default to ``patient``,
vitals, exam and tests to ``examiner``, the diagnosis is always ``hidden``); a fact
may override it, for example a past ECG the patient was told about. In YAML a fact
may be written as a plain string, which takes the section's default.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from clinisim.schemas._base import SCHEMA_VERSION, StrictModel

__all__ = [
    "HPI_FIELDS",
    "CaseFact",
    "Demographics",
    "Diagnosis",
    "Fact",
    "HistoryOfPresentIllness",
    "PatientCase",
    "Provenance",
    "Record",
    "ReviewOfSystems",
    "TestResult",
    "Visibility",
]


class Visibility(StrEnum):
    """Who may see a fact."""

    PATIENT = "patient"
    EXAMINER = "examiner"
    HIDDEN = "hidden"


class Fact(StrictModel):
    """One statement of the case. A bare string in YAML becomes ``Fact(text=...)``."""

    text: str = Field(min_length=1)
    """The statement, written in the third person or as a finding."""
    visibility: Visibility | None = None
    """Who may see it; ``None`` until the case fills in its section's default."""
    says: str | None = Field(default=None, min_length=1)
    """The patient's own words for it, where the automatic first-person rendering
    of ``text`` is not good enough (``"I felt sick and was sick once."``)."""

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"text": value}
        return value


HPI_FIELDS: tuple[str, ...] = (
    "onset",
    "location",
    "duration",
    "character",
    "aggravating",
    "relieving",
    "radiation",
    "timing",
    "severity",
)
"""The structured history-of-present-illness fields, in the order a doctor asks them."""


class HistoryOfPresentIllness(StrictModel):
    """Structured history of the present illness. Absent fields are unknown."""

    onset: Fact | None = None
    location: Fact | None = None
    duration: Fact | None = None
    character: Fact | None = None
    aggravating: Fact | None = None
    relieving: Fact | None = None
    radiation: Fact | None = None
    timing: Fact | None = None
    severity: Fact | None = None
    associated: list[Fact] = Field(default_factory=list)
    """Associated symptoms the patient has noticed."""
    context: list[Fact] = Field(default_factory=list)
    """Events around the illness (what the patient was doing, recent travel...)."""


class ReviewOfSystems(StrictModel):
    """Pertinent positives, and negatives the patient denies when asked."""

    positives: list[Fact] = Field(default_factory=list)
    negatives: list[Fact] = Field(default_factory=list)
    """Each names a symptom the patient does NOT have, e.g. ``fever``."""


class Demographics(StrictModel):
    """Who the patient is."""

    age: int = Field(ge=0, le=120)
    sex: Literal["female", "male", "intersex", "unspecified"]
    name: str | None = None
    occupation: str | None = None
    informant: str | None = None
    """Who answers for the patient, for example ``mother`` for a young child. When
    unset, a child under 12 is spoken for by a parent."""

    def spoken_for(self) -> bool:
        """Whether someone else (a parent) answers for the patient."""
        return self.informant is not None or self.age < 12


class TestResult(StrictModel):
    """The result of one test, keyed in the case by its canonical name."""

    __test__ = False  # not a pytest class

    result: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    """Other names the test is ordered by (``CXR`` for ``Chest X-ray``)."""
    visibility: Visibility = Visibility.EXAMINER


class Record(StrictModel):
    """A free-text record: a prior note, discharge summary, lab report..."""

    kind: Literal[
        "prior_note", "discharge_summary", "lab_report", "imaging_report", "letter", "other"
    ]
    title: str
    date: str | None = None
    text: str = Field(min_length=1)
    visibility: Visibility
    """Required: a record may be something the patient holds, or examiner-only."""


class Diagnosis(StrictModel):
    """The gold answer. Always hidden from the simulated roles."""

    name: str = Field(min_length=1)
    synonyms: list[str] = Field(default_factory=list)
    differential: list[str] = Field(default_factory=list)
    """Plausible alternatives a good doctor considers."""
    condition_id: str | None = None
    """The knowledge-base condition this case exemplifies, if any."""

    def accepted_names(self) -> list[str]:
        """The name and every synonym."""
        return [self.name, *self.synonyms]


class Provenance(StrictModel):
    """Where the case came from and under what terms it may be used."""

    source: str
    author: str
    licence: str
    notes: str | None = None


class CaseFact(StrictModel):
    """A flattened fact with a stable id, used by the store, grounding and judges."""

    id: str
    section: str
    label: str
    """A short human label: ``onset``, ``medications``, ``vitals: heart rate``."""
    text: str
    visibility: Visibility
    says: str | None = None
    """The patient's own words, when the case gives them."""


_SECTION_DEFAULTS: dict[str, Visibility] = {
    "chief_complaint": Visibility.PATIENT,
    "hpi": Visibility.PATIENT,
    "past_medical_history": Visibility.PATIENT,
    "medications": Visibility.PATIENT,
    "allergies": Visibility.PATIENT,
    "social_history": Visibility.PATIENT,
    "family_history": Visibility.PATIENT,
    "review_of_systems": Visibility.PATIENT,
    "vitals": Visibility.EXAMINER,
    "physical_exam": Visibility.EXAMINER,
}

_LIST_SECTIONS: tuple[str, ...] = (
    "past_medical_history",
    "medications",
    "allergies",
    "social_history",
    "family_history",
)

_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


class PatientCase(StrictModel):
    """One clinical case. See the module docstring for visibility rules."""

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str
    title: str
    specialty: str
    setting: Literal["emergency", "outpatient", "inpatient", "primary_care"] = "outpatient"
    tags: list[str] = Field(default_factory=list)
    demographics: Demographics
    chief_complaint: Fact
    hpi: HistoryOfPresentIllness = Field(default_factory=HistoryOfPresentIllness)
    past_medical_history: list[Fact] = Field(default_factory=list)
    medications: list[Fact] = Field(default_factory=list)
    allergies: list[Fact] = Field(default_factory=list)
    social_history: list[Fact] = Field(default_factory=list)
    family_history: list[Fact] = Field(default_factory=list)
    review_of_systems: ReviewOfSystems = Field(default_factory=ReviewOfSystems)
    vitals: dict[str, Fact] = Field(default_factory=dict)
    physical_exam: dict[str, list[Fact]] = Field(default_factory=dict)
    """Findings by body system, e.g. ``cardiovascular``."""
    tests: dict[str, TestResult] = Field(default_factory=dict)
    records: list[Record] = Field(default_factory=list)
    diagnosis: Diagnosis
    provenance: Provenance

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not _ID_PATTERN.match(value):
            raise ValueError("must be lowercase letters, digits, '-' or '_'")
        return value

    @model_validator(mode="after")
    def _fill_visibility(self) -> PatientCase:
        for section, fact in self._section_facts():
            if fact.visibility is None:
                fact.visibility = _SECTION_DEFAULTS[section]
        return self

    def _section_facts(self) -> Iterator[tuple[str, Fact]]:
        yield "chief_complaint", self.chief_complaint
        for name in HPI_FIELDS:
            fact = getattr(self.hpi, name)
            if fact is not None:
                yield "hpi", fact
        for fact in (*self.hpi.associated, *self.hpi.context):
            yield "hpi", fact
        for section in _LIST_SECTIONS:
            for fact in getattr(self, section):
                yield section, fact
        for fact in (*self.review_of_systems.positives, *self.review_of_systems.negatives):
            yield "review_of_systems", fact
        for fact in self.vitals.values():
            yield "vitals", fact
        for findings in self.physical_exam.values():
            for fact in findings:
                yield "physical_exam", fact

    def facts(self) -> list[CaseFact]:
        """Every fact of the case, flattened, each with a stable id and its visibility.

        Ids look like ``demographics.age``, ``hpi.onset``, ``medications.1``, ``ros.negative.0``,
        ``exam.cardiovascular.0``, ``test.troponin_i``, ``record.2``, ``diagnosis``.
        """
        out: list[CaseFact] = []

        def add(fid: str, section: str, label: str, fact: Fact) -> None:
            assert fact.visibility is not None  # filled in by the validator
            out.append(
                CaseFact(
                    id=fid,
                    section=section,
                    label=label,
                    text=fact.text,
                    visibility=fact.visibility,
                    says=fact.says,
                )
            )

        add("chief_complaint", "chief_complaint", "chief complaint", self.chief_complaint)
        demo = self.demographics
        add(
            "demographics.age",
            "demographics",
            "age",
            Fact(
                text=f"{demo.age} years old", says=f"I'm {demo.age}", visibility=Visibility.PATIENT
            ),
        )
        if demo.sex in ("female", "male"):
            noun = {"female": ("woman", "girl"), "male": ("man", "boy")}[demo.sex][demo.age < 18]
            sex = Fact(
                text=f"{demo.sex}, a {noun}", says=f"I'm a {noun}", visibility=Visibility.PATIENT
            )
            add("demographics.sex", "demographics", "sex", sex)
        if demo.occupation:
            add(
                "demographics.occupation",
                "demographics",
                "occupation",
                Fact(text=demo.occupation, visibility=Visibility.PATIENT),
            )
        for name in HPI_FIELDS:
            fact = getattr(self.hpi, name)
            if fact is not None:
                add(f"hpi.{name}", "hpi", name, fact)
        for i, fact in enumerate(self.hpi.associated):
            add(f"hpi.associated.{i}", "hpi", "associated symptom", fact)
        for i, fact in enumerate(self.hpi.context):
            add(f"hpi.context.{i}", "hpi", "context", fact)
        for section in _LIST_SECTIONS:
            for i, fact in enumerate(getattr(self, section)):
                add(f"{section}.{i}", section, section.replace("_", " "), fact)
        for i, fact in enumerate(self.review_of_systems.positives):
            add(f"ros.positive.{i}", "review_of_systems", "review of systems: positive", fact)
        for i, fact in enumerate(self.review_of_systems.negatives):
            add(f"ros.negative.{i}", "review_of_systems", "review of systems: negative", fact)
        for name, fact in self.vitals.items():
            add(f"vitals.{_slug(name)}", "vitals", f"vitals: {name}", fact)
        for system, findings in self.physical_exam.items():
            for i, fact in enumerate(findings):
                add(f"exam.{_slug(system)}.{i}", "physical_exam", f"exam: {system}", fact)
        for name, test in self.tests.items():
            out.append(
                CaseFact(
                    id=f"test.{_slug(name)}",
                    section="tests",
                    label=f"test: {name}",
                    text=f"{name}: {test.result}",
                    visibility=test.visibility,
                )
            )
        for i, record in enumerate(self.records):
            out.append(
                CaseFact(
                    id=f"record.{i}",
                    section="records",
                    label=f"record: {record.title}",
                    text=record.text,
                    visibility=record.visibility,
                )
            )
        names = ", ".join(self.diagnosis.accepted_names())
        out.append(
            CaseFact(
                id="diagnosis",
                section="diagnosis",
                label="diagnosis",
                text=names,
                visibility=Visibility.HIDDEN,
            )
        )
        return out

    def visible_facts(self, *allowed: Visibility) -> list[CaseFact]:
        """Facts whose visibility is one of ``allowed``."""
        return [f for f in self.facts() if f.visibility in allowed]
