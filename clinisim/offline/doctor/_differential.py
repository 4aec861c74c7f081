"""Rank knowledge-base conditions against the findings gathered so far."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

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


@dataclass(frozen=True)
class _Profile:
    """A condition's findings as (name, weight, lowercased terms), ready to score."""

    condition: Condition
    total: float
    findings: tuple[tuple[str, float, frozenset[str]], ...]
    against: tuple[tuple[float, frozenset[str]], ...]

    @classmethod
    def of(cls, condition: Condition) -> _Profile:
        def terms(finding: Finding) -> frozenset[str]:
            return frozenset(t.lower() for t in finding.terms)

        return cls(
            condition,
            sum(f.weight for f in condition.findings),
            tuple((f.name, f.weight, terms(f)) for f in condition.findings),
            tuple((f.weight, terms(f)) for f in condition.against),
        )


class _TermIndex:
    """Every term of a knowledge base, and which of them each clause mentions.

    Terms are bucketed by their first three characters, so a clause is read once,
    word start by word start, instead of once per term. Each clause is read once
    per process: a transcript only grows, and clauses said earlier keep their terms.
    """

    def __init__(self, conditions: Mapping[str, Condition]) -> None:
        self.conditions = conditions
        terms = {
            t.lower()
            for c in conditions.values()
            for f in (*c.findings, *c.against)
            for t in f.terms
        }
        self.profiles = [_Profile.of(c) for c in conditions.values()]
        self.buckets: dict[str, list[str]] = {}
        for term in sorted(terms):
            self.buckets.setdefault(term[:_KEY], []).append(term)
        self._clauses: dict[str, frozenset[str]] = {}

    def _scan(self, clause: str) -> frozenset[str]:
        found: set[str] = set()
        for start in range(len(clause)):
            if start and clause[start - 1].isalnum():
                continue  # terms match at word starts only
            for size in range(1, _KEY + 1):
                for term in self.buckets.get(clause[start : start + size], ()):
                    if len(term) >= size and clause.startswith(term, start):
                        found.add(term)
        return frozenset(found)

    def mentioned(self, clauses: tuple[str, ...]) -> frozenset[str]:
        found: list[frozenset[str]] = []
        for clause in clauses:
            terms = self._clauses.get(clause)
            if terms is None:
                terms = self._scan(clause)
                if len(self._clauses) > 50_000:
                    self._clauses.clear()
                self._clauses[clause] = terms
            found.append(terms)
        return frozenset().union(*found)


_KEY = 3
"""Characters of a term that key its bucket."""


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
    for profile in index.profiles:
        condition = profile.condition
        if not condition.possible_for(sex, age):
            continue
        gained = refuted = 0.0
        matched: list[str] = []
        for name, weight, terms in profile.findings:
            if not terms.isdisjoint(affirmed):
                gained += weight
                matched.append(name)
            elif not terms.isdisjoint(denied):
                refuted += DENIAL_PENALTY * weight
        against = sum(w for w, terms in profile.against if not terms.isdisjoint(affirmed))
        score = (gained - refuted - against) / (profile.total**0.5)
        ranked.append(RankedCondition(condition, round(score, 6), tuple(matched)))
    ranked.sort(key=lambda r: (-r.score, r.condition.id))
    return ranked
