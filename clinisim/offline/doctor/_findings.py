"""What the doctor has learned: affirmed and denied clauses of the replies it got.

Negation follows ``clinisim.language.polar_clauses``: "no fever, cough or rash"
denies all three.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

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


def mentions(text: str, term: str) -> bool:
    """Whether ``term`` occurs in lowercase ``text`` at a word start (``smok`` matches
    ``smoker``, not ``nonsmoker``... but ``non-smoker`` does, after the hyphen)."""
    term = term.lower()
    start = text.find(term)
    while start != -1:
        if start == 0 or not text[start - 1].isalnum():
            return True
        start = text.find(term, start + 1)
    return False
