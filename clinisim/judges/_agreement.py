"""Judge meta-evaluation: how well judge scores agree with human labels.

Labels file (JSONL), one judged item per line:

    {"item": "history-taking/onset", "kind": "binary", "judge": true, "human": false}
    {"item": "empathy", "kind": "scale", "judge": 4, "human": 5}

``kind`` is ``binary`` (met or not met: booleans, or 0/1) or ``scale`` (numbers).
Extra keys (session ids, notes) are ignored. Binary items report Cohen's kappa and
balanced F1 (the mean of the F1 of "met" and of "not met"); scale items report
Spearman's rho (Pearson correlation of average ranks, so ties are handled).
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinisim.errors import InputError
from clinisim.schemas import Session

__all__ = [
    "AgreementReport",
    "DimensionAgreement",
    "agreement",
    "balanced_f1",
    "cohens_kappa",
    "dimension_agreement",
    "read_labels",
    "spearman_rho",
]


def cohens_kappa(judge: Sequence[bool], human: Sequence[bool]) -> float | None:
    """Cohen's kappa for two binary raters; ``None`` when chance agreement is total."""
    n = len(judge)
    if n == 0:
        return None
    observed = sum(j == h for j, h in zip(judge, human, strict=True)) / n
    pj, ph = sum(judge) / n, sum(human) / n
    expected = pj * ph + (1 - pj) * (1 - ph)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def _f1(judge: Sequence[bool], human: Sequence[bool], positive: bool) -> float:
    tp = sum(j == positive and h == positive for j, h in zip(judge, human, strict=True))
    fp = sum(j == positive and h != positive for j, h in zip(judge, human, strict=True))
    fn = sum(j != positive and h == positive for j, h in zip(judge, human, strict=True))
    if tp == 0:
        return 0.0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * precision * recall / (precision + recall)


def balanced_f1(judge: Sequence[bool], human: Sequence[bool]) -> float | None:
    """Mean of the F1 for "met" and the F1 for "not met" (human labels as truth)."""
    if not judge:
        return None
    return (_f1(judge, human, True) + _f1(judge, human, False)) / 2


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman_rho(judge: Sequence[float], human: Sequence[float]) -> float | None:
    """Spearman's rho; ``None`` when either side is constant or there are under 2 items."""
    if len(judge) < 2:
        return None
    a, b = _ranks(judge), _ranks(human)
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    va = math.sqrt(sum((x - ma) ** 2 for x in a))
    vb = math.sqrt(sum((y - mb) ** 2 for y in b))
    if va == 0 or vb == 0:
        return None
    return max(-1.0, min(1.0, cov / (va * vb)))  # rounding can step just past 1


@dataclass(frozen=True)
class AgreementReport:
    """Agreement figures over a labels file."""

    binary_items: int
    scale_items: int
    kappa: float | None
    balanced_f1: float | None
    spearman: float | None


def _binary(value: Any, line: int, path: Path, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in (0, 1):
        return bool(value)
    raise InputError(
        f"line {line}: expected true/false or 0/1, got {value!r}", file=path, field=field
    )


def read_labels(path: Path) -> tuple[list[tuple[bool, bool]], list[tuple[float, float]]]:
    """Binary and scale (judge, human) pairs; a bad line is an InputError with its number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise InputError("file not found", file=path) from exc
    binary: list[tuple[bool, bool]] = []
    scale: list[tuple[float, float]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {number}: not valid JSON ({exc.msg})", file=path) from exc
        if not isinstance(row, dict):
            raise InputError(f"line {number}: expected an object", file=path)
        for key in ("kind", "judge", "human"):
            if key not in row:
                raise InputError(f"line {number}: missing", file=path, field=key)
        if row["kind"] == "binary":
            binary.append(
                (
                    _binary(row["judge"], number, path, "judge"),
                    _binary(row["human"], number, path, "human"),
                )
            )
        elif row["kind"] == "scale":
            try:
                scale.append((float(row["judge"]), float(row["human"])))
            except (TypeError, ValueError) as exc:
                raise InputError(f"line {number}: scale values must be numbers", file=path) from exc
        else:
            raise InputError(
                f"line {number}: kind must be 'binary' or 'scale'", file=path, field="kind"
            )
    return binary, scale


def agreement(path: Path) -> AgreementReport:
    """Cohen's kappa, balanced F1 and Spearman's rho over a labels file."""
    binary, scale = read_labels(path)
    if not binary and not scale:
        raise InputError("no labelled items", file=path)
    judge_b = [j for j, _ in binary]
    human_b = [h for _, h in binary]
    return AgreementReport(
        binary_items=len(binary),
        scale_items=len(scale),
        kappa=cohens_kappa(judge_b, human_b),
        balanced_f1=balanced_f1(judge_b, human_b),
        spearman=spearman_rho([j for j, _ in scale], [h for _, h in scale]),
    )


@dataclass(frozen=True)
class DimensionAgreement:
    """How one judged dimension ranks sessions compared with human raters."""

    dimension: str
    source: str | None
    """The judge value used: ``<score>/<item>`` or ``<score>``; ``None`` when no score
    of any session carries this dimension."""
    sessions: int
    """Sessions with both a human rating and a judge value."""
    raters: float
    """Mean human raters per session (their ratings are averaged)."""
    rho: float | None
    low: float | None
    high: float | None
    """Percentile bootstrap 95% CI of rho over sessions (seeded)."""


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _judge_value(record: Session, dimension: str) -> tuple[str, float] | None:
    wanted = _key(dimension)
    for score in reversed(record.scores):
        if score.status != "scored":
            continue
        for item in score.items:
            if _key(item.id) == wanted:
                if item.value is not None:
                    return f"{score.name}/{item.id}", item.value
                if item.met is not None:
                    return f"{score.name}/{item.id}", float(item.met)
        if _key(score.name) == wanted and score.value is not None:
            return score.name, score.value
    return None


def dimension_agreement(
    records: Sequence[Session], *, resamples: int = 1000, seed: int = 0
) -> list[DimensionAgreement]:
    """Spearman's rho between judge scores and mean human ratings, per dimension.

    Human ratings come from ``config["human_ratings"]`` (dimension to one value per
    rater, as ``clinisim sessions import`` stores them). A dimension matches a score
    item with the same id (``alliance`` in ``counseling-dimensions``) or a score with
    that name, ignoring case and punctuation.
    """
    pairs: dict[str, list[tuple[float, float, int]]] = {}
    sources: dict[str, str] = {}
    for record in records:
        ratings = record.config.get("human_ratings") or {}
        for dimension, values in ratings.items():
            if not values:
                continue
            pairs.setdefault(dimension, [])
            found = _judge_value(record, dimension)
            if found is None:
                continue
            sources.setdefault(dimension, found[0])
            human = sum(values) / len(values)
            pairs[dimension].append((found[1], human, len(values)))
    out = []
    rng = random.Random(seed)
    for dimension, rows in sorted(pairs.items()):
        rho = spearman_rho([j for j, _, _ in rows], [h for _, h, _ in rows])
        draws = []
        for _ in range(resamples if rho is not None else 0):
            sample = [rows[rng.randrange(len(rows))] for _ in rows]
            value = spearman_rho([j for j, _, _ in sample], [h for _, h, _ in sample])
            if value is not None:
                draws.append(value)
        draws.sort()
        low = draws[int(0.025 * (len(draws) - 1))] if draws else None
        high = draws[round(0.975 * (len(draws) - 1))] if draws else None
        raters = sum(n for _, _, n in rows) / len(rows) if rows else 0.0
        out.append(
            DimensionAgreement(dimension, sources.get(dimension), len(rows), raters, rho, low, high)
        )
    return out
