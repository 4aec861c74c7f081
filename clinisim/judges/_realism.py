"""Lexical realism of simulated patient or client turns: MATTR, Yule's K and HD-D.

Each metric can also be reported as a z-score against a human reference corpus
(one human utterance per line): the reference is split into chunks of the same
token count as the simulated text, the metric is computed per chunk, and the
z-score is (value - mean) / standard deviation of those chunk values.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "HDD_SAMPLE",
    "MATTR_WINDOW",
    "RealismScores",
    "hdd",
    "mattr",
    "realism_scores",
    "tokenize",
    "yules_k",
]

MATTR_WINDOW = 50
HDD_SAMPLE = 42
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Lowercase word tokens (contractions kept whole)."""
    return _TOKEN.findall(text.lower())


def mattr(tokens: Sequence[str], window: int = MATTR_WINDOW) -> float:
    """Moving-average type-token ratio over every window of ``window`` tokens.

    With fewer tokens than the window, the plain type-token ratio of all tokens.
    """
    if not tokens:
        return 0.0
    if len(tokens) <= window:
        return len(set(tokens)) / len(tokens)
    counts = Counter(tokens[:window])
    total = len(counts)
    for i in range(window, len(tokens)):
        counts[tokens[i]] += 1
        old = tokens[i - window]
        counts[old] -= 1
        if counts[old] == 0:
            del counts[old]
        total += len(counts)
    return total / (len(tokens) - window + 1) / window


def yules_k(tokens: Sequence[str]) -> float:
    """Yule's K = 10^4 * (sum over types of f^2 - N) / N^2 (lower is more varied)."""
    n = len(tokens)
    if n == 0:
        return 0.0
    squares = sum(f * f for f in Counter(tokens).values())
    return 1e4 * (squares - n) / (n * n)


def hdd(tokens: Sequence[str], sample: int = HDD_SAMPLE) -> float:
    """HD-D: expected type-token ratio of a random ``sample``-token draw.

    Each type contributes the hypergeometric probability that it appears at least
    once in the draw, 1 - C(N - f, s) / C(N, s); the sum is divided by ``s``
    (the published definition, which is an expected TTR in [0, 1]). Texts
    shorter than the sample use all their tokens as the sample.
    """
    n = len(tokens)
    if n == 0:
        return 0.0
    s = min(sample, n)
    denominator = math.comb(n, s)
    expected_types = sum(1 - math.comb(n - f, s) / denominator for f in Counter(tokens).values())
    return expected_types / s


@dataclass(frozen=True)
class RealismScores:
    """The three metrics and, with a reference corpus, their z-scores."""

    tokens: int
    mattr: float
    yules_k: float
    hdd: float
    z: dict[str, float] | None = None


def _z(value: float, reference: list[float]) -> float | None:
    if len(reference) < 2:
        return None
    mean = sum(reference) / len(reference)
    sd = math.sqrt(sum((r - mean) ** 2 for r in reference) / (len(reference) - 1))
    return (value - mean) / sd if sd > 0 else None


def realism_scores(
    utterances: Sequence[str], reference: Sequence[str] | None = None
) -> RealismScores:
    """Metrics over the concatenated utterances, with z-scores when a reference is given."""
    tokens = [t for u in utterances for t in tokenize(u)]
    scores = RealismScores(
        tokens=len(tokens), mattr=mattr(tokens), yules_k=yules_k(tokens), hdd=hdd(tokens)
    )
    if not reference or not tokens:
        return scores
    ref_tokens = [t for u in reference for t in tokenize(u)]
    size = len(tokens)
    chunks = [ref_tokens[i : i + size] for i in range(0, len(ref_tokens) - size + 1, size)]
    z: dict[str, float] = {}
    for name, metric in (("mattr", mattr), ("yules_k", yules_k), ("hdd", hdd)):
        value = _z(getattr(scores, name), [metric(c) for c in chunks])
        if value is not None:
            z[name] = value
    return RealismScores(scores.tokens, scores.mattr, scores.yules_k, scores.hdd, z or None)
