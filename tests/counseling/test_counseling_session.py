"""Counseling sessions end to end: the record, risk, questionnaires, memory, models, humans."""

from __future__ import annotations

from pathlib import Path

from clinisim.agents import LLMClient, parse_answers
from clinisim.engine import HumanTurnNeeded, TurnMade, read_session
from clinisim.kinds.counseling import remember_session
from clinisim.library import CaseLibrary
from clinisim.schemas import (
    CounselingTurnState,
    DisclosureLevel,
    Emotion,
    Role,
    TerminationReason,
    Turn,
)
from clinisim.store import RecordStore, client_chunks
from tests.counseling.conftest import client_lines, counseling_run, run_to_end

LLM = "openai/gpt-4o-mini"


async def test_an_offline_session_record_is_complete(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    record = await run_to_end(counseling_run(tmp_path, library, client_store, "maya-work-stress"))
    assert read_session(tmp_path / f"{record.session_id}.json") == record
    assert record.kind == "counseling"
    assert record.termination_reason is TerminationReason.COUNSELOR_CLOSED
    outcome = record.counseling
    assert outcome is not None
    assert [q.name for q in outcome.before] == ["PHQ-9", "GAD-7"] == [q.name for q in outcome.after]
    assert outcome.before[0].total == sum(library.get_client("maya-work-stress").severity.phq9)
    states = [t.state for t in record.turns if t.role is Role.CLIENT]
    assert all(isinstance(s, CounselingTurnState) for s in states)
    assert outcome.trust == [s.trust for s in states if isinstance(s, CounselingTurnState)]
    assert outcome.trust[-1] > outcome.trust[0]
    assert outcome.deepest_disclosure in (DisclosureLevel.THOUGHTS, DisclosureLevel.BELIEFS)
    assert outcome.homework and "thought record" in outcome.homework
    counselor_moves = [t.action.move.value for t in record.turns if t.role is Role.COUNSELOR]  # type: ignore[union-attr]
    order = ["agenda", "mood_check", "explore", "elicit_thought", "socratic", "summary", "homework"]
    positions = [counselor_moves.index(move) for move in order]
    assert positions == sorted(positions), counselor_moves
    assert record.persona == {
        "style": "plain",
        "attitude": "positive",
        "depression": "mild",
        "anxiety": "moderate",
    }


async def test_a_disclosed_risk_is_an_event_and_is_handled(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    record = await run_to_end(
        counseling_run(tmp_path, library, client_store, "nadia-suicidal-passive")
    )
    outcome = record.counseling
    assert outcome is not None and len(outcome.risk_events) == 1
    event = outcome.risk_events[0]
    assert event.flag == "suicidal_ideation" and event.level == "low"
    assert event.handled is True
    disclosed = record.turns[event.turn]
    assert disclosed.role is Role.CLIENT and "didn't wake up" in disclosed.content
    following = next(t for t in record.turns if t.index > event.turn and t.role is Role.COUNSELOR)
    assert "988" in following.content or "Samaritans" in following.content


async def test_memory_carries_across_a_course(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    profile = library.get_client("helen-grief")
    course = f"course-{tmp_path.name}"
    first = await run_to_end(
        counseling_run(
            tmp_path,
            library,
            client_store,
            profile.id,
            extra_config={"course": course, "session_number": 1},
        )
    )
    remember_session(client_store, profile, first, course)
    second = await run_to_end(
        counseling_run(
            tmp_path,
            library,
            client_store,
            profile.id,
            seed=1,
            extra_config={"course": course, "session_number": 2},
        )
    )
    opening = second.turns[0]
    assert opening.role is Role.COUNSELOR and "Last time" in opening.content
    assert "homework" in client_lines(second)[0]
    assert first.counseling is not None and second.counseling is not None
    assert second.counseling.session_number == 2
    assert second.counseling.before[0].total == first.counseling.after[0].total
    assert second.counseling.trust[0] > first.counseling.trust[0]


def test_questionnaire_answers_are_parsed_strictly() -> None:
    assert parse_answers("My answers: [0, 1, 2, 3, 0, 1, 2, 3, 0]", 9) == [
        0,
        1,
        2,
        3,
        0,
        1,
        2,
        3,
        0,
    ]
    assert parse_answers("[0, 1, 2]", 9) is None
    assert parse_answers("[0, 1, 2, 3, 0, 1, 2, 3, 4]", 9) is None
    assert parse_answers("[0, 1, 2, 3, 0, 1, 2, 3, true]", 9) is None
    assert parse_answers("zero, one, two", 9) is None
    assert parse_answers("", 7) is None


async def test_a_model_client_that_cannot_answer_is_unscored_not_defaulted(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    garbled = await run_to_end(
        counseling_run(
            tmp_path,
            library,
            client_store,
            "maya-work-stress",
            models={"client": LLM},
            max_turns=2,
            call_options={"mock_response": "I'd rather not fill in forms."},
        )
    )
    assert garbled.counseling is not None
    for result in garbled.counseling.before:
        assert result.status == "unscored" and result.total is None and result.items is None
    answered = await run_to_end(
        counseling_run(
            tmp_path,
            library,
            client_store,
            "maya-work-stress",
            models={"client": LLM},
            max_turns=2,
            call_options={"mock_response": "[1, 1, 1, 1, 1, 1, 1, 1, 1]"},
        )
    )
    assert answered.counseling is not None
    phq9 = answered.counseling.before[0]
    assert phq9.status == "scored" and phq9.total == 9
    gad7 = answered.counseling.before[1]
    assert gad7.status == "unscored"  # nine numbers are not a GAD-7 answer


def test_hidden_fields_never_reach_the_model_clients_prompt(library: CaseLibrary) -> None:
    profile = library.get_client("ryan-suicidal-plan")
    chunks = client_chunks(profile)
    model_client = LLMClient(profile, model=None, chunks=chunks)  # type: ignore[arg-type]
    transcript = [Turn(index=0, role=Role.COUNSELOR, content="How are things at the moment?")]
    prompt, state = model_client.system_prompt(transcript)
    assert state.trust < 0.3
    for category in ("helpless", "unlovable", "worthless"):
        assert category not in prompt.lower()
    for belief in profile.cognitive_model.core_beliefs.all():
        assert belief not in prompt
    deeper = [c for c in chunks if c.layer is not DisclosureLevel.SURFACE]
    assert deeper and not any(c.text in prompt for c in deeper)
    assert profile.risks[0].says not in prompt
    assert profile.presenting.problem in prompt


async def test_a_model_counselor_closes_with_the_end_tag(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    record = await run_to_end(
        counseling_run(
            tmp_path,
            library,
            client_store,
            "maya-work-stress",
            models={"counselor": LLM},
            call_options={"mock_response": "Thank you for today. [END SESSION]"},
        )
    )
    assert record.termination_reason is TerminationReason.COUNSELOR_CLOSED
    assert record.turns[0].content == "Thank you for today."
    assert [t.role for t in record.turns] == [Role.COUNSELOR, Role.CLIENT]
    assert "See you next time" in record.turns[1].content  # the client says goodbye
    assert "counselor@1" in record.prompt_hashes and "formulation@1" in record.prompt_hashes
    # Asked for its formulation, the model answers with prose again: re-asked, then
    # recorded as missing with the reason, and the formulation score is unscored.
    outcome = record.counseling
    assert outcome is not None and outcome.formulation is None
    assert outcome.formulation_error is not None and "re-ask" in outcome.formulation_error
    assert record.usage["counselor"].calls > 1  # the turn, then the formulation's calls
    score = next(s for s in record.scores if s.name == "formulation")
    assert score.status == "unscored" and score.details["reason"] == outcome.formulation_error


async def test_a_model_counselor_writes_a_formulation_that_is_scored(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    written = (
        '{"core_belief_categories": ["helpless"], "emotions": ["anxious"], '
        '"situation": "A deadline at work.", "automatic_thought": "I will fail.", '
        '"behavior": "Stayed late."} [END SESSION]'
    )
    record = await run_to_end(
        counseling_run(
            tmp_path,
            library,
            client_store,
            "maya-work-stress",
            models={"counselor": LLM},
            call_options={"mock_response": written},
        )
    )
    outcome = record.counseling
    assert outcome is not None and outcome.formulation is not None
    assert outcome.formulation.author == LLM and outcome.formulation.emotions == [Emotion.ANXIOUS]
    score = next(s for s in record.scores if s.name == "formulation")
    assert score.status == "scored" and score.value is not None
    assert {i.id for i in score.items} == {
        "core-belief-categories",
        "emotions",
        "situation",
        "automatic-thought",
        "behavior",
    }


async def test_the_offline_counselor_writes_its_formulation_from_the_clients_words(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    record = await run_to_end(counseling_run(tmp_path, library, client_store, "helen-grief"))
    outcome = record.counseling
    assert outcome is not None and outcome.formulation is not None
    formulation = outcome.formulation
    assert formulation.author == "offline" and formulation.situation
    said = " ".join(t.content for t in record.turns if t.role is Role.CLIENT)
    assert formulation.situation in said and formulation.automatic_thought.split(".")[0] in said
    assert next(s for s in record.scores if s.name == "formulation").status == "scored"


async def test_a_human_counselor_plays_through_interrupts(
    tmp_path: Path, library: CaseLibrary, client_store: RecordStore
) -> None:
    from tests.session.conftest import checkpointer_at

    run = counseling_run(
        tmp_path,
        library,
        client_store,
        "priya-panic",
        models={"counselor": "human"},
        checkpointer=checkpointer_at(tmp_path / "cp"),
    )
    events = [e async for e in run.stream()]
    assert isinstance(events[-1], HumanTurnNeeded) and events[-1].role == "counselor"
    reply = [e async for e in run.stream("What brings you here today?")]
    turns = [e.turn for e in reply if isinstance(e, TurnMade)]
    assert [t.role for t in turns] == [Role.COUNSELOR, Role.CLIENT]
    assert "train" in turns[1].content
    end = [e async for e in run.stream("Let's stop there for today. [END SESSION]")]
    assert not any(isinstance(e, HumanTurnNeeded) for e in end)
    record = await run.finish()
    assert record.termination_reason is TerminationReason.COUNSELOR_CLOSED
