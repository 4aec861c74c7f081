"""Notes in the third or second person become the patient's own words, with agreement."""

from __future__ import annotations

import pytest

from clinisim.language import base_form, second_to_first, third_to_first


@pytest.mark.parametrize(
    ("note", "said"),
    [
        ("She keeps pulling at it", "I keep pulling at it"),
        ("She often has headaches", "I often have headaches"),
        ("He is a smoker and drinks wine", "I am a smoker and drink wine"),
        (
            "The patient reports that she has had a cough for a week",
            "I have had a cough for a week",
        ),
        (
            "He has had a cough for five days and now feels short of breath",
            "I have had a cough for five days and now feel short of breath",
        ),
        ("Codeine makes her very sick", "Codeine makes me very sick"),
        ("She always goes to bed late", "I always go to bed late"),
    ],
)
def test_third_to_first(note: str, said: str) -> None:
    assert third_to_first(note) == said


def test_a_relatives_pronouns_stay_theirs() -> None:
    assert third_to_first("Mother had her gallbladder removed", about_relative=True) == (
        "Mother had her gallbladder removed"
    )
    assert third_to_first("Her mother has similar headaches", about_relative=True) == (
        "My mother has similar headaches"
    )


def test_second_to_first() -> None:
    assert second_to_first("You have had a rash on your arm. Your doctor told you to rest.") == (
        "I have had a rash on my arm. My doctor told me to rest."
    )


@pytest.mark.parametrize(
    ("verb", "base"),
    [("keeps", "keep"), ("has", "have"), ("carries", "carry"), ("goes", "go"), ("washes", "wash")],
)
def test_base_form(verb: str, base: str) -> None:
    assert base_form(verb) == base
