"""Rank knowledge-base conditions against the findings gathered so far."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from clinisim.offline.doctor._findings import Findings
from clinisim.schemas import Condition, Finding

__all__ = ["DENIAL_PENALTY", "RankedCondition", "rank_conditions"]

DENIAL_PENALTY = 0.5
"""Fraction of a finding's weight subtracted when the patient or exam denies it."""


@dataclass(frozen=True)
class RankedCondition:
    """A condition with its score and the findings that supported it."""

    condition: Condition
    score: float
    supporting: tuple[str, ...]


@cache
def _finding_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    # One alternation per finding: a single scan of the text instead of one per term.
    alternatives = "|".join(re.escape(t.lower()) for t in terms)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})")


def _present(finding: Finding, text: str) -> bool:
    return _finding_pattern(tuple(finding.terms)).search(text) is not None


def rank_conditions(
    conditions: Mapping[str, Condition], findings: Findings
) -> list[RankedCondition]:
    """Conditions, best first.

    The score is the weight of the condition's findings that were affirmed, minus
    the weight of its ``against`` findings that were affirmed, minus a penalty for
    findings that were explicitly denied, divided by the square root of the
    condition's total finding weight (so a condition with many listed findings does
    not win just by listing more).
    """
    affirmed = findings.affirmed_text
    denied = findings.denied_text
    ranked: list[RankedCondition] = []
    for condition in conditions.values():
        total = sum(f.weight for f in condition.findings)
        matched = [f for f in condition.findings if _present(f, affirmed)]
        gained = sum(f.weight for f in matched)
        refuted = sum(
            DENIAL_PENALTY * f.weight
            for f in condition.findings
            if f not in matched and _present(f, denied)
        )
        against = sum(f.weight for f in condition.against if _present(f, affirmed))
        score = (gained - refuted - against) / (total**0.5)
        ranked.append(RankedCondition(condition, round(score, 6), tuple(f.name for f in matched)))
    ranked.sort(key=lambda r: (-r.score, r.condition.id))
    return ranked
