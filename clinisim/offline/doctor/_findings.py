"""What the doctor has learned: affirmed and denied clauses of the replies it got.

Negation follows ``clinisim.language.polar_clauses``: "no fever, cough or rash"
denies all three.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from clinisim.language import polar_clauses
from clinisim.schemas import Role, Turn

__all__ = ["Findings", "gather_findings", "mentions"]

_HEDGE = re.compile(r"not available|not sure|don't know|can't remember|no idea", re.IGNORECASE)


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


def gather_findings(transcript: Sequence[Turn]) -> Findings:
    """Split every patient and examiner turn into affirmed and denied clauses."""
    affirmed: list[str] = []
    denied: list[str] = []
    for turn in transcript:
        if turn.role not in (Role.PATIENT, Role.EXAMINER):
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", turn.content):
            if _HEDGE.search(sentence):
                continue
            for clause in polar_clauses(sentence):
                (denied if clause.negated else affirmed).append(clause.text.lower())
    return Findings(tuple(affirmed), tuple(denied))


@cache
def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(term.lower()))


def mentions(text: str, term: str) -> bool:
    """Whether ``term`` occurs in ``text`` at a word start (``smok`` matches ``smoker``)."""
    return _term_pattern(term).search(text) is not None
