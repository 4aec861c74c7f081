"""The model-judged diagnosis moderator: strict yes/no, reported separately."""

from __future__ import annotations

import pytest

from clinisim.judges import DiagnosisModerator, judge_diagnosis, parse_yes_no
from clinisim.library import CaseLibrary
from clinisim.llm import ModelClient, load_model_config
from clinisim.schemas import ActionKind, DoctorAction, Role, Session, Turn


async def _no_wait(_seconds: float) -> None:
    return None


def _session(diagnosis: str) -> Session:
    action = DoctorAction(kind=ActionKind.DIAGNOSE, diagnosis=diagnosis, differential=[diagnosis])
    return Session(
        session_id="s",
        kind="consultation",
        case_id="gout",
        persona={},
        models={},
        seed=0,
        turns=[
            Turn(index=0, role=Role.DOCTOR, content=f"DIAGNOSIS READY: {diagnosis}", action=action)
        ],
    )


def _moderator(reply: str) -> DiagnosisModerator:
    config = load_model_config({"judge": "openai/gpt-4o-mini"}, env={})
    client = ModelClient(config, call_options={"mock_response": reply}, sleep=_no_wait)
    return DiagnosisModerator(client.chat_model(Role.JUDGE))


@pytest.mark.parametrize(
    ("text", "value"),
    [("Yes.", True), ("no, different", False), ("  YES", True), ("Maybe", None), ("", None)],
)
def test_parse_yes_no(text: str, value: bool | None) -> None:
    assert parse_yes_no(text) is value


async def test_moderator_can_accept_what_string_matching_rejects(library: CaseLibrary) -> None:
    case = library.get("gout")
    session = _session("Crystal arthropathy of the first MTP joint")
    assert judge_diagnosis(session, case).value == 0.0
    moderated = await _moderator("Yes")(session, case)
    assert moderated.name == "diagnosis-moderator" and moderated.value == 1.0
    assert moderated.items[0].evidence == [0] and moderated.prompt_hash


async def test_unclear_answers_are_unscored(library: CaseLibrary) -> None:
    score = await _moderator("It depends on the joint fluid.")(
        _session("Gout"), library.get("gout")
    )
    assert score.status == "unscored" and score.value is None
