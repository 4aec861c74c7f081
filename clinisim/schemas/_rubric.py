"""Rubrics that clinicians and educators read and edit (YAML in ``rubrics/``).

Three kinds:

- ``items``: HealthBench-style items with ``points`` (negative for harmful
  behaviour) and ``tags``; each is graded met or not met;
- ``scale``: dimensions scored on a 1-6 or 0-6 scale with an anchor per band;
- ``checklist``: things a role's turns must cover (all worth one point).

Items and checklist entries may carry an ``offline`` matcher: example phrases that
the deterministic judge compares with the role's turns by embedding similarity.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from clinisim.schemas._base import StrictModel

__all__ = ["OfflineMatcher", "Rubric", "RubricItem", "RubricScale"]


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

    def applies_to(self, chief_complaint: str) -> bool:
        """Whether this item is graded for a case with this chief complaint."""
        text = chief_complaint.lower()
        return not self.applies_when or any(w.lower() in text for w in self.applies_when)


class RubricScale(StrictModel):
    """A dimension scored on a scale with anchored bands."""

    id: str
    name: str
    range: tuple[int, int]
    anchors: dict[int, str]

    @model_validator(mode="after")
    def _check_range(self) -> RubricScale:
        low, high = self.range
        if (low, high) not in ((1, 6), (0, 6)):
            raise ValueError("range must be [1, 6] or [0, 6]")
        if set(self.anchors) != set(range(low, high + 1)):
            raise ValueError(f"anchors must cover every band {low}..{high}")
        return self


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
