"""What the doctor has learned about who the patient is: sex and age.

The doctor never reads the case. It learns age and sex from what the patient (or
a parent) says, and asks when a question it wants to put depends on them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from clinisim.schemas import Role, Turn

__all__ = ["PatientProfile", "profile_from"]


@dataclass(frozen=True)
class PatientProfile:
    """Sex and age as far as the conversation has told them (``None``: not yet)."""

    sex: str | None = None
    age: int | None = None
    spoken_for: bool = False
    """A parent or carer is answering for the patient."""


_AGE = re.compile(
    r"\b(?:i'm|i am|she's|he's|she is|he is|aged|age)\s+(\d{1,3})\b(?!\s*(?:/|out of|mg|kg|cm|%))"
    r"|\b(\d{1,3})[- ](?:years?|yrs?)[- ]old\b",
    re.IGNORECASE,
)
_FEMALE = re.compile(
    r"\b(?:i'm|i am|she's|she is)\s+(?:a\s+)?(?:woman|female|girl|lady)\b|^\s*female\b",
    re.IGNORECASE,
)
_MALE = re.compile(
    r"\b(?:i'm|i am|he's|he is)\s+(?:a\s+)?(?:man|male|boy|gentleman)\b|^\s*male\b",
    re.IGNORECASE,
)
# Only in the opening complaint: "my daughter has..." means a parent speaks for her.
_CHILD_FEMALE = re.compile(r"\bmy (?:daughter|granddaughter|little girl)\b", re.I)
_CHILD_MALE = re.compile(r"\bmy (?:son|grandson|little boy)\b", re.I)
_SPOKEN_FOR = re.compile(r"\bmy (?:daughter|son|child|baby|little (?:girl|boy))\b", re.I)


def profile_from(transcript: Sequence[Turn]) -> PatientProfile:
    """Sex and age stated in the patient's turns so far."""
    sex: str | None = None
    age: int | None = None
    spoken_for = False
    patient_turns = [t for t in transcript if t.role == Role.PATIENT]
    if patient_turns:
        opening = patient_turns[0].content
        spoken_for = bool(_SPOKEN_FOR.search(opening))
        if _CHILD_FEMALE.search(opening):
            sex = "female"
        elif _CHILD_MALE.search(opening):
            sex = "male"
    for turn in patient_turns:
        text = turn.content
        if sex is None:
            if _FEMALE.search(text):
                sex = "female"
            elif _MALE.search(text):
                sex = "male"
        if age is None:
            match = _AGE.search(text)
            if match:
                value = int(match.group(1) or match.group(2))
                age = value if value <= 120 else None
    return PatientProfile(sex, age, spoken_for)
