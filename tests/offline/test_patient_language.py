"""The patient's list answers and denials: one "also", and a "no" only about what was asked."""

from __future__ import annotations

import pytest

from clinisim.offline.patient._first_person import merge_list_sentences
from clinisim.offline.patient._relevance import names_same_symptom


def test_had_sentences_join_and_also_is_said_once() -> None:
    merged = merge_list_sentences(
        [
            "I've also got an itchy rash.",
            "I've also had wheezy breathing.",
            "I felt faint and dizzy.",
            "I've also had tummy cramps.",
        ]
    )
    assert merged == [
        "I've also got an itchy rash.",
        "I've had wheezy breathing and tummy cramps.",
        "I felt faint and dizzy.",
    ]
    assert merge_list_sentences(["I've also had nausea.", "I've also had a headache."]) == [
        "I've also had nausea and a headache."
    ]


def test_a_name_with_its_own_commas_or_and_keeps_its_sentence() -> None:
    sentences = [
        "I've had high blood pressure for years, poorly controlled.",
        "I've had the shivers and felt hot.",
        "I've had high cholesterol.",
    ]
    assert merge_list_sentences(sentences) == sentences


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        ("Any chest pain?", "Chest pain"),
        ("Does your chest hurt?", "No chest pain"),
        ("Have you had any nausea?", "Nausea or vomiting"),
        ("Any vomiting?", "Nausea or vomiting"),
        ("Have you had a temperature?", "Fever"),
        ("Does it sting when you pass urine?", "Pain passing urine"),
        ("Have you lost weight without trying?", "Weight loss"),
        ("Have you had a fall or a knock to the head recently?", "Recent head injury"),
        ("Do you get night sweats?", "Denies weight loss, night sweats, fevers"),
    ],
)
def test_a_denial_answers_the_symptom_asked(question: str, listed: str) -> None:
    assert names_same_symptom(question, listed)


@pytest.mark.parametrize(
    ("question", "listed"),
    [
        ("Does your chest feel tight?", "Chest pain"),
        ("Any cough?", "Coughing up blood"),
        ("Has your vision been blurred?", "Double vision"),
        ("Has your weight gone up without you eating more?", "Weight loss"),
        ("Have you been sick?", "Blood in the vomit"),
    ],
)
def test_a_denial_of_another_symptom_does_not_answer(question: str, listed: str) -> None:
    assert not names_same_symptom(question, listed)
