"""The knowledge base of conditions that the offline doctor reasons over.

A finding says how it is found (``found_by``). Only a history finding may carry an
``ask``: the one lay question, written by a person, that the offline doctor puts to
the patient about it. Examination signs and test results are never asked of the
patient; the doctor learns them by examining and ordering tests. ``sex``,
``min_age`` and ``max_age`` say to whom a question can apply at all.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from clinisim.schemas._base import StrictModel

__all__ = ["Condition", "Finding"]


class Finding(StrictModel):
    """A typical finding of a condition, with the phrases that evidence it."""

    name: str
    """What the finding is, e.g. ``exertional chest pain``."""
    terms: list[str] = Field(min_length=1)
    """Lowercase words or phrases; any one appearing in gathered text counts."""
    weight: float = Field(default=1.0, gt=0)
    """How strongly the finding points to the condition (1 typical, 2-3 characteristic)."""
    found_by: Literal["history", "exam", "test"] = "history"
    """How a doctor learns it: by asking, by examining, or by a test."""
    ask: str | None = None
    """The lay question the offline doctor asks about it (history findings only)."""
    sex: Literal["female", "male"] | None = None
    """The only sex the finding (and its question) can apply to."""
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)

    @model_validator(mode="after")
    def _check_ask(self) -> Finding:
        if self.ask is not None:
            if self.found_by != "history":
                raise ValueError(f"ask: a finding found by {self.found_by} is never asked")
            if not self.ask.strip().endswith("?") or not self.ask[:1].isupper():
                raise ValueError("ask: must be one question, starting with a capital letter")
        return self

    def applies_to(self, sex: str | None, age: int | None) -> bool:
        """Whether the finding can apply to a patient of this sex and age.

        An unknown sex or age never satisfies a restriction on it: the doctor does
        not ask a question that might not apply.
        """
        if self.sex is not None and sex != self.sex:
            return False
        if self.min_age is not None and (age is None or age < self.min_age):
            return False
        return not (self.max_age is not None and (age is None or age > self.max_age))


class Condition(StrictModel):
    """A condition with its typical findings and the tests that confirm it."""

    id: str
    name: str
    synonyms: list[str] = Field(default_factory=list)
    specialty: str
    red_flag: bool = False
    """A dangerous diagnosis that must not be missed."""
    sex: Literal["female", "male"] | None = None
    """The only sex the condition occurs in, if any."""
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    """The ages the condition is considered at, if limited."""
    findings: list[Finding] = Field(min_length=1)
    against: list[Finding] = Field(default_factory=list)
    """Findings whose presence argues against the condition (subtracted)."""
    tests: list[str] = Field(default_factory=list)
    """Tests a doctor would order to confirm or exclude it."""
    cases: list[str] = Field(default_factory=list)
    """Ids of shipped cases that exemplify it, if any."""

    def possible_for(self, sex: str | None, age: int | None) -> bool:
        """Whether the condition can be considered for this patient; what is not yet
        known rules nothing out."""
        if self.sex is not None and sex in ("female", "male") and sex != self.sex:
            return False
        if self.min_age is not None and age is not None and age < self.min_age:
            return False
        return not (self.max_age is not None and age is not None and age > self.max_age)
