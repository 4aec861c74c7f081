"""Negation reaches over lists and stops at a contrast or a new statement."""

from __future__ import annotations

import pytest

from clinisim.language import list_items, polar_clauses


def _polar(text: str) -> list[tuple[str, bool]]:
    return [(c.text, c.negated) for c in polar_clauses(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Denies chest pain, palpitations, shortness of breath.",
            [("Denies chest pain, palpitations, shortness of breath", True)],
        ),
        ("No fever, cough, or rash.", [("No fever, cough, or rash", True)]),
        ("Fever, rigors and night sweats are absent.", [("Fever, rigors and night sweats", True)]),
        (
            "No fever or cough but has a sore throat.",
            [("No fever or cough", True), ("has a sore throat", False)],
        ),
        (
            "Chest pain, no palpitations or breathlessness, and she has had a cough.",
            [
                ("Chest pain", False),
                ("no palpitations or breathlessness", True),
                ("and she has had a cough", False),
            ],
        ),
        (
            "Smokes 10 a day; denies alcohol.",
            [("Smokes 10 a day", False), ("denies alcohol", True)],
        ),
    ],
)
def test_polar_clauses(text: str, expected: list[tuple[str, bool]]) -> None:
    assert _polar(text) == expected


def test_list_items() -> None:
    assert list_items("chest pain, palpitations, or shortness of breath") == [
        "chest pain",
        "palpitations",
        "shortness of breath",
    ]
    assert list_items("fever and rigors") == ["fever", "rigors"]
