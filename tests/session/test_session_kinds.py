"""The shared engine: kinds, registries, the record's unions and final reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinisim.engine import AgentContext, SessionSpec, build_agents, kind_named, read_session
from clinisim.errors import InputError
from clinisim.judges import default_judge_names, judges_by_name
from clinisim.library import CaseLibrary
from clinisim.runner import SessionStatus, needs_run, status_of
from clinisim.schemas import (
    ConsultationOutcome,
    ConsultationTurnState,
    DoctorAction,
    Role,
    Session,
    TerminationReason,
)
from clinisim.store import RecordStore
from tests.session.conftest import drain, make_run


def test_both_kinds_are_registered_and_unknown_kinds_are_input_errors() -> None:
    assert kind_named("consultation").tested_role is Role.DOCTOR
    assert kind_named("counseling").tested_role is Role.COUNSELOR
    assert TerminationReason.CLIENT_LEFT in kind_named("counseling").termination_reasons
    with pytest.raises(InputError, match="unknown session kind"):
        kind_named("triage")


def test_judges_are_registered_with_the_kinds_they_apply_to() -> None:
    assert "diagnosis" in default_judge_names(False, "consultation")
    assert "diagnosis" not in default_judge_names(False, "counseling")
    with pytest.raises(InputError, match="does not apply to counseling"):
        judges_by_name(["diagnosis"], kind="counseling")


def test_a_role_no_agent_can_play_is_an_input_error(
    library: CaseLibrary, store: RecordStore, tmp_path: Path
) -> None:
    spec = SessionSpec(session_id="x", case_id="gout", seed=0, models={}, out=tmp_path / "x.json")
    context = AgentContext(library, store, chat_model=lambda role: None)
    with pytest.raises(InputError, match="no offline agent can play the examiner"):
        build_agents("counseling", [Role.EXAMINER], spec, library.get("gout"), context)


async def test_records_written_before_kinds_existed_still_load(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run = await make_run(tmp_path, library, store, case_id="gout")
    await drain(run)
    data = json.loads(run.spec.out.read_text())
    data["outcome"].pop("kind")
    for turn in data["turns"]:
        if isinstance(turn.get("state"), dict):
            turn["state"].pop("kind", None)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    record = read_session(old)
    assert isinstance(record.outcome, ConsultationOutcome)
    assert record.consultation is not None and record.counseling is None
    states = [t.state for t in record.turns if t.state is not None]
    assert states and all(isinstance(s, ConsultationTurnState) for s in states)
    assert any(isinstance(t.action, DoctorAction) for t in record.turns)


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        (TerminationReason.DIAGNOSIS_GIVEN, SessionStatus.COMPLETED),
        (TerminationReason.TURN_BUDGET, SessionStatus.COMPLETED),
        (TerminationReason.COUNSELOR_CLOSED, SessionStatus.COMPLETED),
        (TerminationReason.CLIENT_LEFT, SessionStatus.COMPLETED),
        (TerminationReason.ERROR, SessionStatus.FAILED),
        (TerminationReason.INTERRUPTED, SessionStatus.INTERRUPTED),
        (None, SessionStatus.INTERRUPTED),
    ],
)
def test_every_final_reason_is_final_on_resume(
    reason: TerminationReason | None, status: SessionStatus
) -> None:
    record = Session(
        session_id="s",
        kind="counseling",
        case_id="maya-work-stress",
        persona={},
        models={},
        seed=0,
        termination_reason=reason,
    )
    assert status_of(record) is status
    assert needs_run(record) is (status is not SessionStatus.COMPLETED)
    if reason is not None:
        assert reason.is_final is (reason is not TerminationReason.INTERRUPTED)
