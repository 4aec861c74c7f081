"""The offline examiner: loose test-name matching and the unlisted-test policy."""

from __future__ import annotations

import asyncio

import pytest

from clinisim.library import CaseLibrary
from clinisim.offline.examiner import UNLISTED_TEST_POLICY, OfflineExaminer, best_match


@pytest.fixture(scope="module")
def examiner(library: CaseLibrary) -> OfflineExaminer:
    return OfflineExaminer(library.get("stemi-inferior"))


@pytest.mark.parametrize(
    ("ordered", "canonical"),
    [
        ("troponin", "Troponin I"),
        ("hs troponin", "Troponin I"),
        ("CXR", "Chest X-ray"),
        ("chest xray", "Chest X-ray"),
        ("EKG", "ECG"),
        ("12 lead ECG", "ECG"),
        ("CBC", "Full blood count"),
        ("FBC", "Full blood count"),
        ("complete blood count", "Full blood count"),
        ("glucose", "Blood glucose"),
    ],
)
def test_loose_names_match_the_listed_test(
    examiner: OfflineExaminer, ordered: str, canonical: str
) -> None:
    reply = asyncio.run(examiner.examine(ordered, []))
    assert reply.content.startswith(f"{canonical}:")
    assert reply.state is not None and reply.state["matched"] == [canonical]
    assert reply.facts and reply.facts[0].startswith("test.")


@pytest.mark.parametrize("ordered", ["MRI brain", "lipase", "urinalysis", "D-dimer"])
def test_unlisted_tests_follow_the_policy(examiner: OfflineExaminer, ordered: str) -> None:
    reply = asyncio.run(examiner.examine(ordered, []))
    assert reply.content == f"{ordered}: {UNLISTED_TEST_POLICY}."
    assert reply.facts == []
    assert reply.state == {"ordered": ordered, "matched": [None]}


def test_several_tests_in_one_order(examiner: OfflineExaminer) -> None:
    reply = asyncio.run(examiner.examine("ECG and troponin, CXR", []))
    assert [line.split(":")[0] for line in reply.content.splitlines()] == [
        "ECG",
        "Troponin I",
        "Chest X-ray",
    ]


def test_physical_exam_and_vitals(examiner: OfflineExaminer, library: CaseLibrary) -> None:
    case = library.get("stemi-inferior")
    full = asyncio.run(examiner.examine("Physical examination", []))
    exam_ids = {f.id for f in case.facts() if f.section in ("vitals", "physical_exam")}
    assert set(full.facts or []) == exam_ids
    chest = asyncio.run(examiner.examine("examine the chest", []))
    assert chest.content.startswith("Respiratory:")
    vitals = asyncio.run(examiner.examine("blood pressure", []))
    assert vitals.content == "blood pressure: 98/60 mmHg"


def test_unrelated_names_do_not_match() -> None:
    names = [("Troponin I", ["troponin"]), ("Chest X-ray", ["CXR"])]
    assert best_match("thyroid function", names)[0] is None
    assert best_match("X-ray foot", names)[0] is None
