"""Rank knowledge-base conditions against the findings gathered so far."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from clinisim.offline.doctor._findings import Findings, mentions
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


class _TermIndex:
    """Every term of a knowledge base, and which of them each clause mentions.

    Each clause is read once per process, not once per turn: a transcript only
    grows, and clauses said earlier keep their terms.
    """

    def __init__(self, conditions: Mapping[str, Condition]) -> None:
        self.conditions = conditions
        self.terms = tuple(
            sorted(
                {
                    t.lower()
                    for c in conditions.values()
                    for f in (*c.findings, *c.against)
                    for t in f.terms
                }
            )
        )
        self._clauses: dict[str, frozenset[str]] = {}

    def mentioned(self, clauses: tuple[str, ...]) -> frozenset[str]:
        found: list[frozenset[str]] = []
        for clause in clauses:
            terms = self._clauses.get(clause)
            if terms is None:
                terms = frozenset(t for t in self.terms if mentions(clause, t))
                if len(self._clauses) > 50_000:
                    self._clauses.clear()
                self._clauses[clause] = terms
            found.append(terms)
        return frozenset().union(*found)


_INDEXES: dict[int, _TermIndex] = {}


def _index(conditions: Mapping[str, Condition]) -> _TermIndex:
    """The term index of a knowledge base, by the identity of its mapping."""
    known = _INDEXES.get(id(conditions))
    if known is not None and known.conditions is conditions:
        return known
    if len(_INDEXES) > 64:
        _INDEXES.clear()
    index = _INDEXES[id(conditions)] = _TermIndex(conditions)
    return index


def _present(finding: Finding, mentioned: frozenset[str]) -> bool:
    return not _lowered(finding).isdisjoint(mentioned)


_LOWERED: dict[int, tuple[Finding, frozenset[str]]] = {}


def _lowered(finding: Finding) -> frozenset[str]:
    """A finding's terms, lowercased (by the finding's identity; kept alive here)."""
    known = _LOWERED.get(id(finding))
    if known is not None and known[0] is finding:
        return known[1]
    terms = frozenset(t.lower() for t in finding.terms)
    if len(_LOWERED) > 100_000:
        _LOWERED.clear()
    _LOWERED[id(finding)] = (finding, terms)
    return terms


def rank_conditions(
    conditions: Mapping[str, Condition],
    findings: Findings,
    sex: str | None = None,
    age: int | None = None,
) -> list[RankedCondition]:
    """Conditions, best first.

    The score is the weight of the condition's findings that were affirmed, minus
    the weight of its ``against`` findings that were affirmed, minus a penalty for
    findings that were explicitly denied, divided by the square root of the
    condition's total finding weight (so a condition with many listed findings does
    not win just by listing more). Conditions that cannot occur in a patient of
    the known ``sex`` or ``age`` are left out.
    """
    index = _index(conditions)
    affirmed = index.mentioned(findings.affirmed)
    denied = index.mentioned(findings.denied)
    ranked: list[RankedCondition] = []
    for condition in conditions.values():
        if not condition.possible_for(sex, age):
            continue
        total = sum(f.weight for f in condition.findings)
        matched = [f for f in condition.findings if _present(f, affirmed)]
        matched_ids = {id(f) for f in matched}
        gained = sum(f.weight for f in matched)
        refuted = sum(
            DENIAL_PENALTY * f.weight
            for f in condition.findings
            if id(f) not in matched_ids and _present(f, denied)
        )
        against = sum(f.weight for f in condition.against if _present(f, affirmed))
        score = (gained - refuted - against) / (total**0.5)
        ranked.append(RankedCondition(condition, round(score, 6), tuple(f.name for f in matched)))
    ranked.sort(key=lambda r: (-r.score, r.condition.id))
    return ranked
