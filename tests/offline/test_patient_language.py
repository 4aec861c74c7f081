"""The patient's list answers and denials: one "also", and a "no" only about what was asked."""

from __future__ import annotations

import pytest

from clinisim.offline.patient._first_person import Speaker, first_person, merge_list_sentences
from clinisim.offline.patient._relevance import names_same_symptom
from clinisim.schemas import CaseFact


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


def _fact(where: str, text: str, says: str | None = None) -> CaseFact:
    section, _, label = where.partition(".")
    return CaseFact(
        id=where,
        section=section,
        label=label or section,
        text=text,
        visibility="patient",
        says=says,
    )


@pytest.mark.parametrize(
    ("section", "note", "said"),
    [
        ("social_history", "Does not smoke", "I don't smoke."),
        ("hpi.radiation", "Does not spread", "It doesn't spread."),
        ("hpi.relieving", "Paracetamol did not help", "Paracetamol didn't help."),
        (
            "medications",
            "Ibuprofen 400 mg three times a day for two days",
            "I've been taking ibuprofen 400 mg three times a day for two days.",
        ),
        ("medications", "Ramipril 5 mg daily", "I take ramipril 5 mg daily."),
    ],
)
def test_a_note_is_said_the_way_people_speak(section: str, note: str, said: str) -> None:
    assert first_person(_fact(section, note)) == said


def test_a_parent_speaks_of_a_childs_course_in_the_third_person() -> None:
    speaker = Speaker(for_child=True)
    fact = _fact("medications", "Amoxicillin 250 mg three times a day for three days")
    assert first_person(fact, speaker) == (
        "She's been taking amoxicillin 250 mg three times a day for three days."
    )


def test_an_authored_line_is_said_as_written() -> None:
    fact = _fact("social_history", "Does not smoke", says="I do not smoke, never have.")
    assert first_person(fact) == "I do not smoke, never have."


@pytest.mark.parametrize(
    ("said", "vaguely"),
    [
        ("I take ramipril 5 mg daily.", "I think I take some tablets, but I forget the names."),
        (
            "I've been taking ibuprofen 400 mg three times a day for two days.",
            "I think I've been taking some tablets, but I forget the names.",
        ),
    ],
)
def test_a_patient_with_low_recall_forgets_the_names_of_a_course_too(
    said: str, vaguely: str
) -> None:
    from clinisim.offline.patient._persona_style import vague

    assert vague(said, "medications") == vaguely
