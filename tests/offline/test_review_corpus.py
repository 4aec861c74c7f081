"""The review corpus is current, and its English passes the mechanical checks.

The corpus (``tests/data/review_corpus.txt``) holds every question the offline
doctor asked and every reply of the offline patient in a fixed run: each shipped
case with three personas, plus the shipped AgentClinic sample. Regenerating it
here makes any wording change show up as a diff in review.
"""

from __future__ import annotations

import difflib

import pytest

from clinisim.library import CaseLibrary
from tests.offline import corpus_checks as checks
from tests.offline.review_corpus import CORPUS_PATH, PERSONAS, build


@pytest.fixture(scope="module")
def blocks() -> list[checks.Block]:
    return checks.parse_corpus(CORPUS_PATH)


def test_corpus_is_regenerated_unchanged(library: CaseLibrary) -> None:
    text, items = build()
    assert len(items) == len(library.cases) * len(PERSONAS) + 3
    checked_in = CORPUS_PATH.read_text(encoding="utf-8")
    if text != checked_in:
        diff = "\n".join(
            difflib.unified_diff(
                checked_in.splitlines(), text.splitlines(), "checked in", "now", lineterm=""
            )
        )
        pytest.fail(
            "the review corpus changed; read the diff, then run "
            f"'python -m tests.offline.review_corpus --write':\n{diff[:6000]}"
        )


def test_corpus_covers_every_case_and_persona(
    blocks: list[checks.Block], library: CaseLibrary
) -> None:
    headers = {b.header.split(" · ")[0] for b in blocks}
    assert set(library.cases) <= headers
    assert sum(len(b.pairs) for b in blocks) > 20 * len(blocks) // 2


def test_every_doctor_question_is_an_authored_sentence(
    blocks: list[checks.Block], library: CaseLibrary
) -> None:
    assert checks.spliced_questions(blocks, library) == []


def test_no_question_is_inappropriate_for_the_patient(
    blocks: list[checks.Block], library: CaseLibrary
) -> None:
    assert checks.inappropriate_questions(blocks, library) == []


def test_replies_are_grammatical(blocks: list[checks.Block]) -> None:
    assert checks.ungrammatical_replies(blocks) == []


def test_at_most_one_not_sure_per_reply(blocks: list[checks.Block]) -> None:
    assert checks.stacked_not_sure(blocks) == []


def test_a_denial_names_the_symptom_asked_about(blocks: list[checks.Block]) -> None:
    assert checks.unrelated_denials(blocks) == []


def test_the_checks_catch_what_they_look_for() -> None:
    """Each check flags a planted example, so a pass means something."""
    bad = [
        checks.Block(
            "planted · plain · 40 male",
            "male",
            40,
            (
                ("Have you had any mcburney?", "It felt sick and vomited once."),
                (
                    "Have you noticed any last period?",
                    "I've also had light and noise are unbearable.",
                ),
                ("Any testicle?", "I keeps getting them. i think so."),
                ("Does anything make it worse?", "Bending down make. It worse."),
                (
                    "Have you had any nausea?",
                    "No, no coughing up blood. I'm not sure, I don't know.",
                ),
                ("Have you been vomiting?", "I've also had a rash. I've also got a cough."),
            ),
        )
    ]
    library = CaseLibrary()
    assert len(checks.spliced_questions(bad, library)) == 4
    assert len(checks.inappropriate_questions(bad, library)) == 1
    flagged = " ".join(checks.ungrammatical_replies(bad))
    for problem in (
        "it felt",
        "clause after 'also had'",
        "third-person verb after I",
        "lowercase start",
        "'also had' more than once",
    ):
        assert problem in flagged
    assert len(checks.stacked_not_sure(bad)) == 1
    assert len(checks.unrelated_denials(bad)) == 1
