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
    """Every term of a knowledge base, which findings carry it, and which of them
    each clause mentions.

    Terms are bucketed by their first three characters, so a clause is read once,
    word start by word start, instead of once per term. Each clause is read once
    per process: a transcript only grows, and clauses said earlier keep their terms.
    Rankings are kept for the findings they were made from: a doctor ranks after
    every reply, and most replies add nothing the knowledge base knows.
    """

    def __init__(self, conditions: Mapping[str, Condition]) -> None:
        self.members = tuple(conditions.values())
        self.profiles = [_Profile.of(c) for c in self.members]
        self._unmatched = [RankedCondition(c, 0.0, ()) for c in self.members]
        self.finding_terms: dict[str, list[tuple[int, int]]] = {}
        self.against_terms: dict[str, list[tuple[int, int]]] = {}
        for i, profile in enumerate(self.profiles):
            for j, (_name, _weight, terms) in enumerate(profile.findings):
                for term in terms:
                    self.finding_terms.setdefault(term, []).append((i, j))
            for j, (_weight, terms) in enumerate(profile.against):
                for term in terms:
                    self.against_terms.setdefault(term, []).append((i, j))
        self.buckets: dict[str, list[str]] = {}
        for term in sorted({*self.finding_terms, *self.against_terms}):
            self.buckets.setdefault(term[:_KEY], []).append(term)
        self._clauses: dict[str, frozenset[str]] = {}
        self._rankings: dict[tuple[object, ...], list[RankedCondition]] = {}

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

    @staticmethod
    def _hits(
        terms: frozenset[str], carriers: Mapping[str, list[tuple[int, int]]]
    ) -> dict[int, set[int]]:
        """Condition index -> indexes of its findings that one of ``terms`` names."""
        hits: dict[int, set[int]] = {}
        for term in terms:
            for i, j in carriers.get(term, ()):
                hits.setdefault(i, set()).add(j)
        return hits

    def rank(
        self, affirmed: frozenset[str], denied: frozenset[str], sex: str | None, age: int | None
    ) -> list[RankedCondition]:
        key = (affirmed, denied, sex, age)
        known = self._rankings.get(key)
        if known is not None:
            return list(known)
        said = self._hits(affirmed, self.finding_terms)
        refused = self._hits(denied, self.finding_terms)
        opposed = self._hits(affirmed, self.against_terms)
        ranked: list[RankedCondition] = []
        for i, profile in enumerate(self.profiles):
            condition = profile.condition
            if not condition.possible_for(sex, age):
                continue
            yes, no, contra = said.get(i, ()), refused.get(i, ()), opposed.get(i, ())
            if not (yes or no or contra):
                ranked.append(self._unmatched[i])
                continue
            gained = refuted = 0.0
            matched: list[str] = []
            if yes or no:
                for j, (name, weight, _terms) in enumerate(profile.findings):
                    if j in yes:
                        gained += weight
                        matched.append(name)
                    elif j in no:
                        refuted += DENIAL_PENALTY * weight
            against = sum(profile.against[j][0] for j in contra)
            score = (gained - refuted - against) / (profile.total**0.5)
            ranked.append(RankedCondition(condition, round(score, 6), tuple(matched)))
        ranked.sort(key=lambda r: (-r.score, r.condition.id))
        if len(self._rankings) > 4096:
            self._rankings.clear()
        self._rankings[key] = ranked
        return list(ranked)


_KEY = 3
"""Characters of a term that key its bucket."""


_INDEXES: dict[tuple[int, ...], _TermIndex] = {}


def _index(conditions: Mapping[str, Condition]) -> _TermIndex:
    """The term index of a knowledge base, by the identity of its conditions.

    Every session's doctor holds its own mapping of the same (cached) condition
    objects, so they share one index; the index keeps the objects, so their ids
    stay theirs while it is cached.
    """
    key = tuple(map(id, conditions.values()))
    known = _INDEXES.get(key)
    if known is not None:
        return known
    if len(_INDEXES) > 64:
        _INDEXES.clear()
    index = _INDEXES[key] = _TermIndex(conditions)
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
    return index.rank(
        index.mentioned(findings.affirmed), index.mentioned(findings.denied), sex, age
    )
