"""The knowledge base of conditions that the offline doctor reasons over."""

from __future__ import annotations

from pydantic import Field

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


class Condition(StrictModel):
    """A condition with its typical findings and the tests that confirm it."""

    id: str
    name: str
    synonyms: list[str] = Field(default_factory=list)
    specialty: str
    red_flag: bool = False
    """A dangerous diagnosis that must not be missed."""
    findings: list[Finding] = Field(min_length=1)
    against: list[Finding] = Field(default_factory=list)
    """Findings whose presence argues against the condition (subtracted)."""
    tests: list[str] = Field(default_factory=list)
    """Tests a doctor would order to confirm or exclude it."""
    cases: list[str] = Field(min_length=1)
    """Ids of shipped cases that exemplify it (at least one)."""
