"""Train, validation and test splits by subject: no case or client in two splits.

The subjects (case or client ids) are shuffled with the seed and cut by the
ratios; every session of a subject goes to that subject's split. The cut is over
subjects, not sessions, so the session shares follow the ratios only roughly.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from clinisim.errors import InputError

__all__ = ["SPLIT_NAMES", "parse_ratios", "split_subjects"]

SPLIT_NAMES: tuple[str, ...] = ("train", "validation", "test")


def parse_ratios(text: str) -> dict[str, float]:
    """``"0.8,0.1,0.1"`` or ``"train=0.8,validation=0.1,test=0.1"`` to ratios that sum to 1."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    ratios: dict[str, float] = {}
    try:
        if all("=" in p for p in parts):
            for part in parts:
                name, _, value = part.partition("=")
                if name.strip() not in SPLIT_NAMES:
                    raise InputError(
                        f"unknown split {name.strip()!r} (splits: {', '.join(SPLIT_NAMES)})",
                        field="--split",
                    )
                ratios[name.strip()] = float(value)
        elif len(parts) == len(SPLIT_NAMES):
            ratios = dict(zip(SPLIT_NAMES, (float(p) for p in parts), strict=True))
        else:
            raise ValueError
    except ValueError:
        raise InputError(
            f"expected three ratios like 0.8,0.1,0.1 or train=0.9,test=0.1, got {text!r}",
            field="--split",
        ) from None
    if any(v < 0 for v in ratios.values()) or abs(sum(ratios.values()) - 1) > 1e-6:
        raise InputError(f"ratios must be 0 or more and sum to 1, got {text!r}", field="--split")
    return {name: ratios.get(name, 0.0) for name in SPLIT_NAMES}


def split_subjects(subjects: Iterable[str], ratios: dict[str, float], seed: int) -> dict[str, str]:
    """Subject id -> split name. Every split with a share gets a subject when there
    are enough subjects; the largest share takes what rounding leaves over."""
    ordered = sorted(set(subjects))
    random.Random(seed).shuffle(ordered)
    named = [name for name in SPLIT_NAMES if ratios.get(name, 0) > 0]
    counts = {name: int(ratios[name] * len(ordered)) for name in named}
    for name in named:
        if counts[name] == 0 and sum(counts.values()) < len(ordered):
            counts[name] = 1
    largest = max(named, key=lambda n: ratios[n])
    counts[largest] += len(ordered) - sum(counts.values())
    assignment: dict[str, str] = {}
    start = 0
    for name in named:
        for subject in ordered[start : start + counts[name]]:
            assignment[subject] = name
        start += counts[name]
    return assignment
