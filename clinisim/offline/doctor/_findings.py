"""What the doctor has learned: affirmed and denied statements, split into clauses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from clinisim.schemas import Role, Turn

__all__ = ["Findings", "gather_findings", "mentions"]

_CLAUSE_SPLIT = re.compile(r"[.;!?\n]+|,\s+|\s+but\s+|\s+although\s+", re.IGNORECASE)
_NEGATION = re.compile(
    r"\b(no|not|never|denies|denied|without|none|nil|negative for|absent|haven't|hasn't|"
    r"don't|doesn't|didn't|isn't|wasn't|can't|normal)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Findings:
    """Clauses the patient or examiner affirmed, and clauses they denied."""

    affirmed: tuple[str, ...]
    denied: tuple[str, ...]

    @property
    def affirmed_text(self) -> str:
        return " | ".join(self.affirmed)

    @property
    def denied_text(self) -> str:
        return " | ".join(self.denied)


def _clauses(text: str) -> list[str]:
    return [c.strip().lower() for c in _CLAUSE_SPLIT.split(text) if c and c.strip()]


def gather_findings(transcript: Sequence[Turn]) -> Findings:
    """Split every patient and examiner turn into affirmed and denied clauses."""
    affirmed: list[str] = []
    denied: list[str] = []
    for turn in transcript:
        if turn.role not in (Role.PATIENT, Role.EXAMINER):
            continue
        for clause in _clauses(turn.content):
            if "not available" in clause or "not sure" in clause or "don't know" in clause:
                continue
            (denied if _NEGATION.search(clause) else affirmed).append(clause)
    return Findings(tuple(affirmed), tuple(denied))


@cache
def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(term.lower()))


def mentions(text: str, term: str) -> bool:
    """Whether ``term`` occurs in ``text`` at a word start (``smok`` matches ``smoker``)."""
    return _term_pattern(term).search(text) is not None
