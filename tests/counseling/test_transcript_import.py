"""Outside transcripts as session records, and judge–human agreement per dimension."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinisim.judges import dimension_agreement
from clinisim.library import CaseLibrary, import_transcripts, ratings_of
from clinisim.schemas import (
    ActionKind,
    DoctorAction,
    ItemResult,
    Role,
    Score,
    Session,
    TerminationReason,
)

SAMPLE = Path(__file__).parents[1] / "data" / "counseling_messages_sample.jsonl"


def test_messages_become_counseling_records_and_bad_lines_are_reported() -> None:
    result = import_transcripts(SAMPLE, kind="counseling")
    assert [s.session_id for s in result.sessions] == [
        "panic-good",
        "sleep-middling",
        "low-poor",
        "grief-warm",
        "party-cold",
        "mood-ok",
    ]
    assert [n for n, _ in result.failures] == [5, 6]
    assert "no 'messages'" in result.failures[0][1] and "not valid JSON" in result.failures[1][1]
    first = result.sessions[0]
    # The system message is left out; the assistant is the counselor.
    assert first.turns[0].role is Role.COUNSELOR and first.turns[0].content.startswith("Hello")
    assert [t.index for t in first.turns] == list(range(len(first.turns)))
    assert first.models == {"counselor": "someone/counselor-v1", "client": "transcript"}
    assert first.termination_reason is TerminationReason.IMPORTED
    assert first.config["imported"]["line"] == 1
    assert result.sessions[3].case_id == "helen-grief"


def test_every_ratings_shape_becomes_one_value_per_rater() -> None:
    result = import_transcripts(SAMPLE, kind="counseling")
    ratings = {s.session_id: s.config["human_ratings"] for s in result.sessions}
    assert ratings["panic-good"]["alliance"] == [5.0, 6.0]  # a list per dimension
    assert ratings["low-poor"]["agenda"] == [0.0, 0.0]  # one object per rater
    assert ratings["grief-warm"]["communication"] == [6.0, 5.0]  # an object of raters
    assert ratings["party-cold"]["alliance"] == [1.0]  # one value
    with pytest.raises(ValueError, match="must be a number"):
        ratings_of({"alliance": "great"})


def test_the_clinician_side_can_be_swapped() -> None:
    swapped = import_transcripts(SAMPLE, kind="counseling", clinician="user")
    first = swapped.sessions[0]
    assert first.turns[0].role is Role.CLIENT and first.turns[1].role is Role.COUNSELOR


def test_a_consultation_needs_its_case_and_keeps_a_tagged_diagnosis(
    tmp_path: Path, library: CaseLibrary
) -> None:
    path = tmp_path / "osce.jsonl"
    lines = [
        {
            "case_id": "gout",
            "messages": [
                {"role": "assistant", "content": "Where does it hurt?"},
                {"role": "user", "content": "My big toe, since last night."},
                {"role": "assistant", "content": "DIAGNOSIS READY: Gout"},
            ],
        },
        {"messages": [{"role": "assistant", "content": "Hello?"}]},
        {"case_id": "no-such-case", "messages": [{"role": "assistant", "content": "Hi"}]},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    result = import_transcripts(path, kind="consultation", cases=library.cases)
    (session,) = result.sessions
    action = session.turns[2].action
    assert isinstance(action, DoctorAction) and action.kind is ActionKind.DIAGNOSE
    assert session.consultation is not None and session.consultation.diagnosis_given == "Gout"
    assert [n for n, _ in result.failures] == [2, 3]
    assert "needs its case" in result.failures[0][1] and "unknown case" in result.failures[1][1]


def _rated(judge: float, human: list[float]) -> Session:
    return Session(
        session_id="s",
        kind="counseling",
        case_id="c",
        persona={},
        models={},
        seed=0,
        config={"human_ratings": {"Alliance": human}},
        scores=[
            Score(
                name="counseling-dimensions",
                version="1",
                judge_model="offline",
                value=0.5,
                items=[ItemResult(id="alliance", value=judge)],
            )
        ],
    )


def test_spearman_per_dimension_uses_the_mean_over_raters() -> None:
    records = [_rated(1, [1, 3]), _rated(2, [2, 2]), _rated(3, [5, 5])]
    (row,) = dimension_agreement(records)
    # Judge ranks 1, 2, 3; human means 2, 2, 5 rank 1.5, 1.5, 3:
    # cov 1.5 / (sqrt 2 * sqrt 1.5) = 0.866.
    assert row.dimension == "Alliance" and row.source == "counseling-dimensions/alliance"
    assert row.sessions == 3 and row.raters == 2.0
    assert row.rho == pytest.approx(1.5 / (2**0.5 * 1.5**0.5))
    assert row.low is not None and row.high is not None and -1 <= row.low <= row.high <= 1
    unmatched = dimension_agreement([*records[:1], _rated(2, [4])], resamples=10)
    assert unmatched[0].sessions == 2


def test_a_dimension_no_judge_scores_is_reported_without_rho() -> None:
    record = _rated(2, [3]).model_copy(update={"config": {"human_ratings": {"warmth": [4]}}})
    (row,) = dimension_agreement([record])
    assert row.source is None and row.sessions == 0 and row.rho is None
