"""Does a diagnosis given by the doctor name the gold diagnosis or one of its synonyms?"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clinisim.schemas import Diagnosis

__all__ = ["DiagnosisMatch", "match_diagnosis", "name_variants", "normalize_diagnosis"]

# Words that qualify a diagnosis without changing which disease it is.
_QUALIFIERS = frozenset({"acute", "likely", "probable", "possible", "suspected", "the", "a", "an"})


def normalize_diagnosis(text: str) -> str:
    """Lowercase, British/American spelling folded, punctuation and qualifiers dropped."""
    text = text.lower()
    text = text.replace("haem", "hem").replace("oesoph", "esoph").replace("ischaem", "ischem")
    text = text.replace("'s", "s")
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(w for w in words if w not in _QUALIFIERS)


def name_variants(name: str) -> list[str]:
    """A name and what it abbreviates or spells out, normalised.

    "Benign paroxysmal positional vertigo (BPPV)" gives the full name without the
    parenthesis, "bppv", and both together; "A / B" gives A and B.
    """
    out = [normalize_diagnosis(name)]
    inside = re.findall(r"\(([^()]*)\)", name)
    outside = re.sub(r"\([^()]*\)", " ", name)
    out.append(normalize_diagnosis(outside))
    out.extend(normalize_diagnosis(part) for part in inside)
    for part in re.split(r"\s+/\s+", outside):
        out.append(normalize_diagnosis(part))
    return [v for v in dict.fromkeys(out) if v]


@dataclass(frozen=True)
class DiagnosisMatch:
    """Result of matching one given diagnosis against the gold one."""

    correct: bool
    matched_name: str | None
    """The gold name or synonym that matched."""


def match_diagnosis(given: str | None, gold: Diagnosis) -> DiagnosisMatch:
    """Exact or synonym match after normalisation.

    A given diagnosis also matches when it contains an accepted name as a whole phrase
    ("inferior STEMI with bradycardia" contains "stemi"), since doctors qualify
    diagnoses. It does not match the other way round: "chest pain" does not match
    "chest pain due to costochondritis". Parentheses and abbreviations count both
    ways: "X (ABC)" matches "X" and "ABC".
    """
    if not given or not given.strip():
        return DiagnosisMatch(correct=False, matched_name=None)
    given_forms = [f" {form} " for form in name_variants(given)]
    for name in gold.accepted_names():
        for target in name_variants(name):
            if any(f" {target} " in form for form in given_forms):
                return DiagnosisMatch(correct=True, matched_name=name)
    return DiagnosisMatch(correct=False, matched_name=None)
