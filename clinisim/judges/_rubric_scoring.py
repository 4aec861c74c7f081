"""HealthBench-style rubric arithmetic: item points to a score, sessions to a CI.

A rubric's items carry points, which may be negative for harmful behaviour. A
session's score is the points of the items met divided by the sum of the positive
points, clipped to [0, 1]; an unmet ``hard_fail`` item makes it 0. A checklist's
score is the share of entries met. A scale rubric's score is the mean of its
scales, each as a share of its range (4 on 0-6 is 0.67). Aggregates over sessions
are the mean of the clipped scores with a percentile bootstrap 95% confidence
interval, overall and by tag.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clinisim.schemas import ItemResult, Rubric, Score

__all__ = [
    "Aggregate",
    "GradedItem",
    "aggregate",
    "aggregate_by_tag",
    "judged_score",
    "rubric_score",
]


@dataclass(frozen=True)
class GradedItem:
    """One rubric item's grade: ``met`` is ``None`` when the judge could not grade it."""

    points: float
    met: bool | None
    tags: tuple[str, ...] = ()


def rubric_score(items: Sequence[GradedItem]) -> float | None:
    """Points met over positive points, clipped to [0, 1].

    ``None`` (unscored) when any item is ungraded or no item has positive points:
    a missing grade never silently counts as met or not met.
    """
    if any(item.met is None for item in items):
        return None
    positive = sum(item.points for item in items if item.points > 0)
    if positive <= 0:
        return None
    earned = sum(item.points for item in items if item.met)
    return min(1.0, max(0.0, earned / positive))


@dataclass(frozen=True)
class Aggregate:
    """A mean with its bootstrap 95% confidence interval."""

    mean: float
    low: float
    high: float
    n: int


def aggregate(
    values: Sequence[float], *, resamples: int = 1000, seed: int = 0, clip: bool = True
) -> Aggregate | None:
    """Mean with a percentile bootstrap 95% CI (seeded); values are clipped to [0, 1]
    unless ``clip`` is false (for measures that are not rates)."""
    clipped = [min(1.0, max(0.0, v)) for v in values] if clip else list(values)
    if not clipped:
        return None
    mean = sum(clipped) / len(clipped)
    rng = random.Random(seed)
    means = sorted(
        sum(rng.choice(clipped) for _ in clipped) / len(clipped) for _ in range(resamples)
    )
    low = means[int(0.025 * (resamples - 1))]
    high = means[round(0.975 * (resamples - 1))]
    return Aggregate(mean=mean, low=low, high=high, n=len(clipped))


def aggregate_by_tag(
    sessions: Sequence[Sequence[GradedItem]], *, resamples: int = 1000, seed: int = 0
) -> dict[str, Aggregate]:
    """Per tag: each session's score over the items with that tag, then aggregated."""
    tags = sorted({tag for items in sessions for item in items for tag in item.tags})
    out: dict[str, Aggregate] = {}
    for tag in tags:
        scores = []
        for items in sessions:
            tagged = [item for item in items if tag in item.tags]
            score = rubric_score(tagged) if tagged else None
            if score is not None:
                scores.append(score)
        result = aggregate(scores, resamples=resamples, seed=seed)
        if result is not None:
            out[tag] = result
    return out


def judged_score(
    rubric: Rubric, results: list[ItemResult], base: dict[str, Any], details: dict[str, Any]
) -> Score:
    """The score of ``rubric`` from its graded items or scales, offline or by a model.

    ``base`` holds the score's name, version, judge model and prompt hash. An item
    left ungraded leaves the rubric unscored; an unmet ``hard_fail`` item scores 0
    and is listed under ``details["hard_fail"]``.
    """
    details = dict(details)
    value: float | None
    if rubric.kind == "scale":
        scales = {scale.id: scale for scale in rubric.scales}
        values = [scales[r.id].normalised(r.value) for r in results if r.value is not None]
        value = sum(values) / len(values) if values and len(values) == len(results) else None
    elif rubric.kind == "checklist":
        graded = [r.met for r in results]
        value = None if None in graded or not graded else sum(map(bool, graded)) / len(graded)
    else:
        value = rubric_score(
            [GradedItem(points=r.points or 0.0, met=r.met, tags=tuple(r.tags)) for r in results]
        )
        must = {item.id for item in rubric.items if item.hard_fail}
        failed = [r.id for r in results if r.id in must and r.met is False]
        if failed:
            details["hard_fail"] = failed
            value = 0.0 if value is not None else None
    return Score(
        **base,
        value=value,
        status="scored" if value is not None else "unscored",
        items=results,
        details=details,
    )
