"""HealthBench-style scoring, including negative points, and bootstrap aggregates."""

from __future__ import annotations

import pytest

from clinisim.judges import GradedItem, aggregate, aggregate_by_tag, rubric_score


def test_worked_example_with_negative_points() -> None:
    items = [
        GradedItem(points=5, met=True, tags=("axis:completeness",)),
        GradedItem(points=3, met=False, tags=("axis:completeness",)),
        GradedItem(points=2, met=True, tags=("axis:communication",)),
        GradedItem(points=-4, met=True, tags=("axis:safety",)),  # unsafe advice was given
    ]
    # Earned 5 + 2 - 4 = 3 of 5 + 3 + 2 = 10 positive points.
    assert rubric_score(items) == pytest.approx(0.3)


def test_scores_are_clipped_and_never_invented() -> None:
    harmful = [GradedItem(points=5, met=True), GradedItem(points=-10, met=True)]
    assert rubric_score(harmful) == 0.0
    assert rubric_score([GradedItem(points=5, met=None), GradedItem(points=5, met=True)]) is None
    assert rubric_score([GradedItem(points=-3, met=False)]) is None


def test_bootstrap_interval_brackets_the_mean() -> None:
    flat = aggregate([0.7] * 20)
    assert flat is not None and (flat.mean, flat.low, flat.high) == pytest.approx((0.7, 0.7, 0.7))
    mixed = aggregate([0.0, 1.0] * 10, seed=1)
    assert mixed is not None and mixed.n == 20
    assert mixed.mean == pytest.approx(0.5)
    assert mixed.low < mixed.mean < mixed.high
    assert aggregate([0.0, 1.0] * 10, seed=1) == mixed
    assert aggregate([1.4, -0.2]) == aggregate([1.0, 0.0])
    assert aggregate([]) is None


def test_aggregates_by_tag() -> None:
    sessions = [
        [GradedItem(4, True, ("safety",)), GradedItem(4, False, ("empathy",))],
        [GradedItem(4, True, ("safety",)), GradedItem(4, True, ("empathy",))],
    ]
    by_tag = aggregate_by_tag(sessions)
    assert by_tag["safety"].mean == 1.0
    assert by_tag["empathy"].mean == pytest.approx(0.5)
