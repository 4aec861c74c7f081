"""Diagnosis matching: exact, synonym, qualified, spelling, and non-matches."""

from __future__ import annotations

import pytest

from clinisim.judges import match_diagnosis
from clinisim.schemas import Diagnosis

GOLD = Diagnosis(
    name="Subarachnoid haemorrhage",
    synonyms=["SAH", "bleed on the brain"],
)


@pytest.mark.parametrize(
    ("given", "matched"),
    [
        ("Subarachnoid haemorrhage", "Subarachnoid haemorrhage"),
        ("subarachnoid hemorrhage", "Subarachnoid haemorrhage"),
        ("Acute SAH", "SAH"),
        ("Likely a bleed on the brain.", "bleed on the brain"),
        ("Aneurysmal subarachnoid haemorrhage, Hunt-Hess 2", "Subarachnoid haemorrhage"),
    ],
)
def test_matches(given: str, matched: str) -> None:
    result = match_diagnosis(given, GOLD)
    assert result.correct
    assert result.matched_name == matched


@pytest.mark.parametrize("given", ["Migraine", "haemorrhage", "", None, "SAHARA syndrome"])
def test_non_matches(given: str | None) -> None:
    assert not match_diagnosis(given, GOLD).correct


def test_parentheses_and_abbreviations_match_both_ways() -> None:
    from clinisim.judges import match_diagnosis as match
    from clinisim.schemas import Diagnosis as Gold

    bppv = Gold(name="Benign Paroxysmal Positional Vertigo (BPPV)")
    assert match("Benign paroxysmal positional vertigo", bppv).correct
    assert match("BPPV", bppv).correct
    cap = Gold(name="Community-acquired pneumonia")
    assert match("Community-acquired pneumonia (CAP)", cap).correct
    assert not match("Vestibular neuritis", bppv).correct
