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


_VITAL = re.compile(
    r"^\s*(?P<name>temperature|heart rate|pulse|blood pressure|respiratory rate|"
    r"oxygen saturation)\s*:\s*(?P<value>\d+(?:\.\d+)?)(?:\s*/\s*(?P<low>\d+))?",
    re.IGNORECASE,
)
_VITAL_SIGNS = {
    # name: (lowest normal, highest normal, word when low, word when high)
    "temperature": (35.5, 37.9, "hypothermia", "fever"),
    "heart rate": (50, 100, "bradycardia", "tachycardia"),
    "pulse": (50, 100, "bradycardia", "tachycardia"),
    "blood pressure": (90, 179, "hypotension", "hypertension"),
    "respiratory rate": (10, 20, "slow breathing", "tachypnoea"),
    "oxygen saturation": (94, 100, "hypoxia, low oxygen saturation", "normal oxygen"),
}


def _vital_sign(line: str) -> tuple[str, bool] | None:
    """A vital-sign line read as a clinician reads it: (what it shows, abnormal).

    "temperature: 36.7 °C" shows no fever; "heart rate: 128" shows tachycardia. The
    name alone must not count as a finding ("temperature" is a fever term).
    """
    found = _VITAL.match(line)
    if found is None:
        return None
    name = found["name"].lower()
    value = float(found["value"])
    lowest, highest, when_low, when_high = _VITAL_SIGNS[name]
    if value < lowest:
        return f"{when_low} ({line.strip()})", True
    if value > highest:
        return f"{when_high} ({line.strip()})", True
    return (when_high if name != "oxygen saturation" else when_low), False


def gather_findings(transcript: Sequence[Turn]) -> Findings:
    """Split every patient and examiner turn into affirmed and denied clauses.

    An examiner's vital-sign lines count by their values: a normal temperature
    denies fever rather than mentioning "temperature".
    """
    affirmed: list[str] = []
    denied: list[str] = []
    for turn in transcript:
        if turn.role not in (Role.PATIENT, Role.EXAMINER):
            continue
        content = turn.content
        if turn.role is Role.EXAMINER:
            kept: list[str] = []
            for line in content.splitlines():
                vital = _vital_sign(line)
                if vital is None:
                    kept.append(line)
                else:
                    (affirmed if vital[1] else denied).append(vital[0].lower())
            content = "\n".join(kept)
        for sentence in re.split(r"(?<=[.!?])\s+|\n", content):
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
