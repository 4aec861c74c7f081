"""Rubrics that clinicians and educators read and edit (YAML in ``rubrics/``).

Three kinds:

- ``items``: HealthBench-style items with ``points`` (negative for harmful
  behaviour) and ``tags``; each is graded met or not met;
- ``scale``: dimensions scored on a 1-6 or 0-6 scale with an anchor per band;
- ``checklist``: things a role's turns must cover (all worth one point).

Items and checklist entries may carry an ``offline`` matcher: example phrases that
the deterministic judge compares with the role's turns by embedding similarity.
Scales may carry an ``offline`` rule: which observable features of the role's
turns (counselor cues) count as evidence for the dimension and which count
against it, and how many evidence turns reach each anchor.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from clinisim.schemas._base import StrictModel

__all__ = ["OfflineMatcher", "Rubric", "RubricItem", "RubricScale", "ScaleRule"]


class OfflineMatcher(StrictModel):
    """How the offline judge recognises an item in a transcript."""

    phrases: list[str] = Field(min_length=1)
    """Example utterances; a turn close enough to any of them meets the item."""
    threshold: float | None = Field(default=None, gt=0, lt=1)
    """Cosine similarity needed; the rubric's ``offline_threshold`` when unset."""


class RubricItem(StrictModel):
    """One criterion."""

    id: str
    criterion: str
    points: float = 1.0
    tags: list[str] = Field(default_factory=list)
    offline: OfflineMatcher | None = None
    applies_when: list[str] = Field(default_factory=list)
    """Chief-complaint words; when given, the item is graded only if one appears
    (e.g. radiation only for pain), so the rubric adapts to the presentation."""
    hard_fail: bool = False
    """An item that must be met: when it is not, the whole rubric scores 0 and the
    score lists it under ``details.hard_fail``, whatever else was done well."""

    def applies_to(self, chief_complaint: str) -> bool:
        """Whether this item is graded for a case with this chief complaint."""
        text = chief_complaint.lower()
        return not self.applies_when or any(w.lower() in text for w in self.applies_when)


class ScaleRule(StrictModel):
    """How the offline judge places a session on a scale's anchors.

    Evidence is counted in the graded role's turns: a turn counts when it shows any of
    ``evidence`` (counselor cue names, see ``clinisim.language.Cue``). The score is the
    anchor reached by the number of evidence turns (``levels``), lowered by one anchor
    for each turn showing any of ``against`` beyond the ``allowed_share`` of the role's
    turns. With ``start: top`` the score starts at the highest anchor and only
    ``against`` lowers it. With ``ordered``, evidence is instead the number of
    ``evidence`` cues that first appear in the listed order (a session's structure).
    """

    evidence: list[str] = Field(default_factory=list)
    levels: list[int] = Field(default_factory=list)
    """Evidence turns needed for each anchor above the lowest, ascending."""
    against: list[str] = Field(default_factory=list)
    allowed_share: float = Field(default=0.0, ge=0, lt=1)
    start: Literal["bottom", "top"] = "bottom"
    ordered: bool = False


class RubricScale(StrictModel):
    """A dimension scored on a scale with anchored bands."""

    id: str
    name: str
    range: tuple[int, int]
    anchors: dict[int, str]
    """Band to its description; both ends of the range must be anchored."""
    tags: list[str] = Field(default_factory=list)
    offline: ScaleRule | None = None

    @model_validator(mode="after")
    def _check_range(self) -> RubricScale:
        low, high = self.range
        if (low, high) not in ((1, 6), (0, 6)):
            raise ValueError("range must be [1, 6] or [0, 6]")
        if low not in self.anchors or high not in self.anchors:
            raise ValueError(f"anchors must include both ends of the range ({low} and {high})")
        if any(not low <= band <= high for band in self.anchors):
            raise ValueError(f"anchors must lie within {low}..{high}")
        rule = self.offline
        if rule is not None and rule.start == "bottom":
            if not rule.evidence:
                raise ValueError("an offline rule that starts at the bottom needs evidence")
            if len(rule.levels) != len(self.anchors) - 1 or rule.levels != sorted(rule.levels):
                raise ValueError(
                    f"offline.levels needs {len(self.anchors) - 1} ascending counts, one per "
                    "anchor above the lowest"
                )
        return self

    def normalised(self, value: float) -> float:
        """``value`` on this scale as a share of its range, from 0 to 1."""
        low, high = self.range
        return (value - low) / (high - low)


class Rubric(StrictModel):
    """A versioned rubric."""

    schema_version: Literal[1] = 1
    name: str
    version: str
    kind: Literal["items", "scale", "checklist"]
    description: str
    role: Literal["doctor", "patient", "counselor", "client"] = "doctor"
    """Whose turns the rubric grades."""
    offline_threshold: float = Field(default=0.55, gt=0, lt=1)
    items: list[RubricItem] = Field(default_factory=list)
    scales: list[RubricScale] = Field(default_factory=list)

    def items_for(self, chief_complaint: str) -> list[RubricItem]:
        """The items that apply to a case with this chief complaint."""
        return [item for item in self.items if item.applies_to(chief_complaint)]

    @model_validator(mode="after")
    def _check_kind(self) -> Rubric:
        if self.kind == "scale" and not self.scales:
            raise ValueError("a scale rubric needs scales")
        if self.kind != "scale" and not self.items:
            raise ValueError(f"a {self.kind} rubric needs items")
        ids = [i.id for i in self.items] + [s.id for s in self.scales]
        if len(ids) != len(set(ids)):
            raise ValueError("item ids must be unique")
        return self
