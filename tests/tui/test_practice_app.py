"""The trainee app, driven with Textual's Pilot from the start screen to the feedback."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Checkbox, DataTable, Input, SelectionList

from clinisim.engine import read_session
from clinisim.llm import ModelClient, ModelConfig
from clinisim.schemas import TerminationReason
from clinisim.tui import PracticeApp, PracticeOptions
from clinisim.tui._chat_log import ChatLog, TurnView
from tests.tui._pilot import library_loaded, say, screen_name, turn_done, type_into, wait_until


async def _choose(pilot, case_id: str) -> None:  # type: ignore[no-untyped-def]
    """Search the start screen for ``case_id`` and open its settings."""
    await type_into(pilot, "#search", case_id)
    await pilot.pause()
    table = pilot.app.screen.query_one("#library", DataTable)
    assert table.row_count == 1
    table.focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen_name(pilot) == "SetupDialog")


async def _begin(pilot, expected: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.click("#begin")
    await wait_until(pilot, lambda: screen_name(pilot) == expected)
    await turn_done(pilot)


async def _ask(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await say(pilot, text)


async def test_a_full_consultation_from_start_screen_to_feedback(options: PracticeOptions) -> None:
    app = PracticeApp(options)
    async with app.run_test(size=(80, 24)) as pilot:
        await library_loaded(pilot)
        await _choose(pilot, "acute-appendicitis")
        await _begin(pilot, "ConsultationScreen")
        await _ask(pilot, "When did the pain start?")
        await _ask(pilot, "Where is the pain now?")
        chat = app.screen.query_one("#chat", ChatLog)
        said = [view.turn for view in chat.query(TurnView)]
        assert [t.role.value for t in said] == ["doctor", "patient", "doctor", "patient"]
        assert "right side" in said[3].content

        await pilot.press("ctrl+o")
        await type_into(pilot, "#order-input", "full blood count")
        await pilot.press("enter")
        await turn_done(pilot)
        results = app.screen.query_one("#results")
        assert "White cells" in str(results.query(".result").first().render())

        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: screen_name(pilot) == "DiagnosisDialog")
        await type_into(pilot, "#dx-main", "Acute appendicitis")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen_name(pilot) == "FeedbackScreen", timeout=60)

        feedback = app.screen
        record = feedback.record  # type: ignore[attr-defined]
        assert record.termination_reason is TerminationReason.DIAGNOSIS_GIVEN
        assert record.consultation.correct is True
        on_disk = read_session(Path(feedback.path))  # type: ignore[attr-defined]
        assert on_disk.session_id == record.session_id and on_disk.scores

        # Items: selecting one with evidence highlights exactly its turns.
        await pilot.press("i")
        table = feedback.query_one("#items", DataTable)
        rows = feedback._rows  # type: ignore[attr-defined]
        cited = [
            i
            for i, (s, item) in enumerate(rows)
            if feedback.feedback.evidence_of(s, item)  # type: ignore[attr-defined]
        ]
        assert cited, "some item cites the turns that earned it"
        table.focus()
        table.move_cursor(row=cited[0])
        await pilot.pause()
        score, item = rows[cited[0]]
        expected = feedback.feedback.evidence_of(score, item)  # type: ignore[attr-defined]
        assert feedback.query_one("#evidence-log", ChatLog).highlighted() == expected


async def test_a_full_counseling_session_with_formulation(options: PracticeOptions) -> None:
    app = PracticeApp(replace(options, mode="counseling"))
    async with app.run_test(size=(80, 24)) as pilot:
        await library_loaded(pilot)
        await _choose(pilot, "aaron-trauma")
        await _begin(pilot, "CounselingScreen")
        await _ask(pilot, "What would you like to talk about today?")
        await _ask(pilot, "What goes through your mind when the alarm sounds?")
        screen = app.screen

        await pilot.press("ctrl+t")  # the educator's view of the client's state
        await pilot.pause()
        assert "trust" in str(screen.query_one("#state-now").render())

        await pilot.press("ctrl+g")
        screen.query_one("#belief-helpless", Checkbox).value = True
        screen.query_one("#f-emotions", SelectionList).select("anxious")
        screen.query_one("#f-situation", Input).value = "an alarm beeping at work"
        await type_into(pilot, "#chat-input", "Thank you for today, Aaron.")
        await pilot.press("ctrl+e")
        await turn_done(pilot)
        assert screen.session.finished  # type: ignore[attr-defined]
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: screen_name(pilot) == "FeedbackScreen", timeout=60)

        record = app.screen.record  # type: ignore[attr-defined]
        assert record.termination_reason is TerminationReason.COUNSELOR_CLOSED
        assert record.counseling.formulation.core_belief_categories == ["helpless"]
        assert record.counseling.formulation.situation == "an alarm beeping at work"
        names = {s.name for s in record.scores}
        assert {"formulation", "ctrs", "counseling-safety"} <= names
        assert record.turns[-2].content == "Thank you for today, Aaron."
        answer = app.screen.feedback.answer  # type: ignore[attr-defined]
        assert [row.field for row in answer][:2] == ["core beliefs", "emotions"]


async def test_typing_goes_on_while_a_slow_model_replies(options: PracticeOptions) -> None:
    def slow(config: ModelConfig) -> ModelClient:
        return ModelClient(
            config, call_options={"mock_response": "It hurts here.", "mock_delay": 2.0}
        )

    slow_options = replace(options, model="openai/slow-patient", client_factory=slow)
    app = PracticeApp(slow_options)
    async with app.run_test(size=(80, 24)) as pilot:
        await library_loaded(pilot)
        await _choose(pilot, "acute-appendicitis")
        await _begin(pilot, "ConsultationScreen")
        await type_into(pilot, "#chat-input", "Where does it hurt?")
        await pilot.press("enter")
        await pilot.pause(0.2)
        screen = app.screen
        assert screen.busy  # type: ignore[attr-defined]
        await pilot.press(*"And since when")
        box = screen.query_one("#chat-input", Input)
        assert box.value == "And since when"
        assert screen.busy, "the keys were taken while the model was still replying"  # type: ignore[attr-defined]
        assert "is replying" in str(screen.query_one(".typing").render())
        await turn_done(pilot)
        assert screen.session.transcript()[-1].content == "It hurts here."  # type: ignore[attr-defined]


async def test_a_model_failure_is_shown_and_the_transcript_kept(options: PracticeOptions) -> None:
    async def no_wait(_seconds: float) -> None:
        return None

    def unreachable(config: ModelConfig) -> ModelClient:
        return ModelClient(config, sleep=no_wait)

    failing = replace(
        options,
        model="openai/nobody",
        api_base="http://127.0.0.1:9/v1",
        client_factory=unreachable,
    )
    app = PracticeApp(failing)
    async with app.run_test(size=(80, 24)) as pilot:
        await library_loaded(pilot)
        await _choose(pilot, "migraine")
        await _begin(pilot, "ConsultationScreen")
        await _ask(pilot, "Tell me about the headache.")
        screen = app.screen
        status = str(screen.query_one("#status").render())
        assert "model failed" in status and "unreachable" in status
        messages = [n.message for n in app._notifications]
        assert any("transcript is saved" in m for m in messages)
        assert screen.query_one("#chat-input", Input).disabled
        record = read_session(screen.session.spec.out)  # type: ignore[attr-defined]
        assert record.termination_reason is TerminationReason.ERROR
        assert record.turns[0].content == "Tell me about the headache."


async def test_history_reopens_feedback_and_resumes_an_unfinished_session(
    options: PracticeOptions,
) -> None:
    app = PracticeApp(options)
    async with app.run_test(size=(120, 40)) as pilot:
        await library_loaded(pilot)
        await _choose(pilot, "migraine")
        await _begin(pilot, "ConsultationScreen")
        await _ask(pilot, "Tell me about the headache.")
        session_id = app.screen.session.spec.session_id  # type: ignore[attr-defined]
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: screen_name(pilot) == "StartScreen")

        await pilot.press("f2")
        await wait_until(pilot, lambda: screen_name(pilot) == "HistoryScreen")
        history = app.screen
        await wait_until(pilot, lambda: bool(history.entries))  # type: ignore[attr-defined]
        entry = history.entries[0]  # type: ignore[attr-defined]
        assert entry.session.session_id == session_id and entry.resumable
        await pilot.press("o")
        await wait_until(pilot, lambda: screen_name(pilot) == "ConsultationScreen")
        await turn_done(pilot)
        screen = app.screen
        assert screen.resumed  # type: ignore[attr-defined]
        shown = [v.turn.content for v in screen.query_one("#chat", ChatLog).query(TurnView)]
        assert shown[0] == "Tell me about the headache." and len(shown) == 2
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: screen_name(pilot) == "DiagnosisDialog")
        await type_into(pilot, "#dx-main", "Migraine")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen_name(pilot) == "FeedbackScreen", timeout=60)
        await pilot.press("escape")  # back to the history
        await wait_until(pilot, lambda: screen_name(pilot) == "HistoryScreen")
        history = app.screen
        history.action_reload()  # type: ignore[attr-defined]
        await wait_until(
            pilot,
            lambda: bool(history.entries) and not history.entries[0].resumable,  # type: ignore[attr-defined]
        )
        await pilot.press("o")
        await wait_until(pilot, lambda: screen_name(pilot) == "FeedbackScreen")
        assert app.screen.record.session_id == session_id  # type: ignore[attr-defined]


async def test_help_opens_on_question_mark_and_closes(options: PracticeOptions) -> None:
    app = PracticeApp(options)
    async with app.run_test(size=(80, 24)) as pilot:
        await library_loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: screen_name(pilot) == "HelpScreen")
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen_name(pilot) == "StartScreen")
        await pilot.press("f1")
        await wait_until(pilot, lambda: screen_name(pilot) == "HelpScreen")


async def test_start_screen_filters_and_random_choice(options: PracticeOptions) -> None:
    app = PracticeApp(replace(options, mode="counseling"))
    async with app.run_test(size=(80, 24)) as pilot:
        await library_loaded(pilot)
        screen = app.screen
        total = len(screen.entries)  # type: ignore[attr-defined]
        screen.query_one("#f-risk").value = "yes"
        await pilot.pause()
        risky = screen.shown  # type: ignore[attr-defined]
        assert 0 < len(risky) < total and all(e.risk != "none" for e in risky)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: screen_name(pilot) == "SetupDialog")
        assert app.screen.subject_id in {e.id for e in risky}  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen_name(pilot) == "StartScreen")
        screen.query_one("#mode").active = "consultation"
        await wait_until(pilot, lambda: screen.mode == "consultation")  # type: ignore[attr-defined]
        assert any(e.id == "acute-appendicitis" for e in screen.entries)  # type: ignore[attr-defined]
