"""pass^k: how reliably a model succeeds on the same task, as defined by tau-bench."""

from __future__ import annotations

from collections.abc import Sequence
from math import comb

__all__ = ["pass_hat_k"]


def pass_hat_k(trial_outcomes: Sequence[Sequence[bool]], k: int) -> float | None:
    """The mean over groups of the chance that ``k`` of its trials all succeed.

    Each inner sequence holds the outcomes of the repeated trials of one group (one
    doctor, case and persona). For a group with ``n`` trials of which ``c`` succeeded,
    ``C(c, k) / C(n, k)`` is the probability that ``k`` trials drawn from it without
    replacement are all successes: an unbiased estimate of the chance that ``k``
    independent attempts all succeed. pass^1 is plain accuracy; pass^k falls as ``k``
    grows unless the model is consistent.

    Groups with fewer than ``k`` trials are left out, since ``k`` distinct trials
    cannot be drawn from them. ``None`` when no group has ``k`` trials or more.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    chances = [
        comb(sum(outcomes), k) / comb(len(outcomes), k)
        for outcomes in trial_outcomes
        if len(outcomes) >= k
    ]
    return sum(chances) / len(chances) if chances else None
