"""A trainee's session without the UI: the same engine, graph and record as ``run``."""

from __future__ import annotations

from typing import Any

import pytest

from clinisim.engine import read_session
from clinisim.llm import ModelClient, ModelConfig
from clinisim.schemas import Formulation, Role, TerminationReason, Turn
from clinisim.tui import PracticeKit, PracticeSetup


def _sink(turns: list[Turn]) -> Any:
    return turns.append


async def test_a_consultation_played_by_the_trainee_is_a_standard_record(kit: PracticeKit) -> None:
    session = await kit.start(PracticeSetup(kind="consultation", subject_id="acute-appendicitis"))
    seen: list[Turn] = []
    await session.begin(_sink(seen))
    assert session.waiting is not None and session.waiting["role"] == "doctor"
    await session.say("When did the pain start?", _sink(seen))
    assert [t.role for t in seen] == [Role.DOCTOR, Role.PATIENT]
    assert "yesterday" in seen[1].content
    await session.order("full blood count", _sink(seen))
    assert seen[-1].role is Role.EXAMINER and "White cells" in seen[-1].content
    await session.diagnose("Acute appendicitis", ["Renal colic", ""], _sink(seen))
    assert session.finished
    record = await session.finish(notes={"differential": "appendicitis; renal colic"})

    assert record.models["doctor"] == "human" and record.models["patient"] == "offline"
    assert record.termination_reason is TerminationReason.DIAGNOSIS_GIVEN
    assert record.consultation is not None
    assert record.consultation.correct is True
    assert record.consultation.differential_given == ["Acute appendicitis", "Renal colic"]
    assert record.consultation.tests_ordered == ["full blood count"]
    assert record.config["practice"] is True
    assert record.config["trainee_notes"] == {"differential": "appendicitis; renal colic"}
    assert {s.name for s in record.scores} >= {"diagnosis", "history-taking"}
    on_disk = read_session(session.spec.out)
    assert on_disk.scores == record.scores and len(on_disk.turns) == len(record.turns)


async def test_the_trainee_formulation_is_scored_against_the_client(kit: PracticeKit) -> None:
    session = await kit.start(PracticeSetup(kind="counseling", subject_id="aaron-trauma"))
    seen: list[Turn] = []
    await session.begin(_sink(seen))
    await session.say("What would you like to talk about today?", _sink(seen))
    assert seen[-1].role is Role.CLIENT and seen[-1].state is not None
    await session.close("", _sink(seen))
    assert session.finished
    assert seen[-2].content.startswith("Let's stop here for today")
    assert "[END SESSION]" not in seen[-2].content
    formulation = Formulation(
        core_belief_categories=["helpless", "worthless"],
        emotions=["anxious", "angry"],
        situation="a van reversing with its alarm beeping",
        author="trainee",
    )
    record = await session.finish(formulation=formulation)

    assert record.termination_reason is TerminationReason.COUNSELOR_CLOSED
    assert record.counseling is not None and record.counseling.formulation == formulation
    assert record.counseling.formulation_error is None
    score = next(s for s in record.scores if s.name == "formulation")
    items = {item.id: item.value for item in score.items}
    assert items["core-belief-categories"] == 1.0 and items["emotions"] == 1.0
    fields = {row["field"]: row for row in score.details["comparison"]}
    assert fields["core beliefs"]["gold"] == "helpless, worthless"
    assert fields["situation"]["given"] == "a van reversing with its alarm beeping"
    assert "reversed" in fields["situation"]["gold"]


async def test_a_session_left_midway_resumes_from_its_checkpoint(kit: PracticeKit) -> None:
    session = await kit.start(PracticeSetup(kind="consultation", subject_id="migraine"))
    seen: list[Turn] = []
    await session.begin(_sink(seen))
    await session.say("Tell me about the headache.", _sink(seen))
    saved = session.stop()
    assert saved.termination_reason is None and len(saved.turns) == 2

    again = await kit.resume(session.spec.session_id)
    later: list[Turn] = []
    await again.begin(_sink(later))
    assert again.waiting is not None and len(again.transcript()) == 2
    await again.say("Does light bother you?", _sink(later))
    assert [t.index for t in later] == [2, 3]
    await again.diagnose("Migraine", [], _sink(later))
    record = await again.finish()
    assert record.consultation is not None and record.consultation.correct is True
    assert len(record.turns) == 5


async def test_resuming_a_session_that_was_not_practice_is_refused(kit: PracticeKit) -> None:
    from clinisim.errors import InputError

    with pytest.raises(InputError, match="no checkpoint"):
        await kit.resume("never-was")


async def test_a_failing_model_ends_the_session_with_its_transcript_saved(
    kit: PracticeKit, library: Any
) -> None:
    async def no_wait(_seconds: float) -> None:
        return None

    def unreachable(config: ModelConfig) -> ModelClient:
        return ModelClient(config, sleep=no_wait)

    failing = PracticeKit(
        library, kit.out_dir, client_factory=unreachable, checkpoint_file=kit.out_dir / "cp.sqlite"
    )
    try:
        session = await failing.start(
            PracticeSetup(
                kind="consultation",
                subject_id="migraine",
                model="openai/nobody",
                api_base="http://127.0.0.1:9/v1",
            )
        )
        seen: list[Turn] = []
        await session.begin(_sink(seen))
        await session.say("Tell me about the headache.", _sink(seen))
    finally:
        await failing.close()
    assert session.finished and session.failure is not None
    assert "patient" in session.failure and "unreachable" in session.failure
    record = read_session(session.spec.out)
    assert record.termination_reason is TerminationReason.ERROR
    assert record.turns[0].content == "Tell me about the headache."


async def test_a_model_reply_streams_to_the_partial_sink(library: Any, kit: PracticeKit) -> None:
    reply = "It began last night and it has got worse since."

    def mocked(config: ModelConfig) -> ModelClient:
        return ModelClient(config, call_options={"mock_response": reply})

    streaming = PracticeKit(
        library, kit.out_dir, client_factory=mocked, checkpoint_file=kit.out_dir / "cp.sqlite"
    )
    try:
        session = await streaming.start(
            PracticeSetup(kind="consultation", subject_id="migraine", model="openai/gpt-4o-mini")
        )
        partials: list[tuple[str, str]] = []
        session.partial_sink = lambda role, text: partials.append((role, text))
        seen: list[Turn] = []
        await session.begin(_sink(seen))
        await session.say("When did it start?", _sink(seen))
    finally:
        await streaming.close()
    assert seen[-1].content == reply
    assert len(partials) > 2 and partials[-1] == ("patient", reply)
    assert partials[0][1] != reply  # it arrived in pieces
