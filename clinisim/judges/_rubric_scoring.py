"""HealthBench-style rubric arithmetic: item points to a score, sessions to a CI.

A rubric's items carry points, which may be negative for harmful behaviour. A
session's score is the points of the items met divided by the sum of the positive
points, clipped to [0, 1]. Aggregates over sessions are the mean of the clipped
scores with a percentile bootstrap 95% confidence interval, overall and by tag.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Aggregate", "GradedItem", "aggregate", "aggregate_by_tag", "rubric_score"]


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
