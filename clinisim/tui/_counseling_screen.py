"""The counseling screen: the trainee is the counselor.

The side panel holds the formulation form (core beliefs by category, the situation,
automatic thought, emotions and behaviour), to fill in during or after the session,
and, behind a toggle for educators, the client's live state. Ctrl+E says the last
words and ends the session; Ctrl+F scores it, formulation included.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import (
    Checkbox,
    Input,
    Label,
    SelectionList,
    Sparkline,
    Static,
    TabbedContent,
    TabPane,
)

from clinisim.schemas import CounselingTurnState, Emotion, Formulation, Turn
from clinisim.tui._chat_log import ChatLog
from clinisim.tui._session_screen import SessionScreen

__all__ = ["CounselingScreen"]

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("helpless", "Helpless (I can't cope, I'm trapped)"),
    ("unlovable", "Unlovable (I'll be rejected, I'm alone)"),
    ("worthless", "Worthless (I'm bad, I'm a failure)"),
)


class CounselingScreen(SessionScreen):
    """Talk with the client, then write the formulation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+e", "end_session", "End session", priority=True),
        Binding("ctrl+t", "toggle_state", "Client state", priority=True),
        Binding("ctrl+g", "formulation", "Formulation", priority=True),
        Binding("ctrl+f", "feedback", "Feedback", priority=True),
    ]

    input_hint = "Say something to the client… (Enter sends)"

    def compose_side(self) -> ComposeResult:
        with TabbedContent(id="side-tabs", initial="tab-formulation"):
            with TabPane("Formulation", id="tab-formulation"), VerticalScroll():
                yield Label("Core beliefs", classes="form-label")
                for category, label in CATEGORIES:
                    yield Checkbox(label, id=f"belief-{category}", compact=True)
                yield Label("Situation", classes="form-label")
                yield Input(id="f-situation", compact=True)
                yield Label("Automatic thought", classes="form-label")
                yield Input(id="f-thought", compact=True)
                yield Label("Emotions", classes="form-label")
                yield SelectionList[str](
                    *((emotion.value, emotion.value) for emotion in Emotion), id="f-emotions"
                )
                yield Label("Behaviour", classes="form-label")
                yield Input(id="f-behavior", compact=True)
            with TabPane("Client state", id="tab-state"):
                yield Static(
                    "Hidden. Ctrl+T shows the client's state.", id="state-now", markup=False
                )
                yield Label("Trust by turn")
                yield Sparkline([], id="trust-line")

    def side_mounted(self) -> None:
        self.query_one("#side-tabs", TabbedContent).hide_tab("tab-state")
        self.states_shown = False

    # -- the client's state ------------------------------------------------------------
    def _trust(self) -> list[float]:
        return [
            t.state.trust
            for t in self.session.transcript()
            if isinstance(t.state, CounselingTurnState)
        ]

    def turn_shown(self, turn: Turn) -> None:
        state = turn.state
        if isinstance(state, CounselingTurnState):
            self.query_one("#state-now", Static).update(
                f"emotion: {state.emotion.value} ({state.intensity:.1f})\n"
                f"trust: {state.trust:.2f}\nresistance: {state.resistance:.2f}\n"
                f"disclosure: {state.disclosure.value}\nstage: {state.stage.value}"
            )
            self.query_one("#trust-line", Sparkline).data = self._trust()

    def action_toggle_state(self) -> None:
        self.states_shown = not self.states_shown
        tabs = self.query_one("#side-tabs", TabbedContent)
        if self.states_shown:
            tabs.show_tab("tab-state")
            tabs.active = "tab-state"
        else:
            tabs.hide_tab("tab-state")
            tabs.active = "tab-formulation"
        self.query_one("#chat", ChatLog).show_states(self.states_shown)

    def action_formulation(self) -> None:
        self.query_one("#side-tabs", TabbedContent).active = "tab-formulation"
        self.query_one("#belief-helpless", Checkbox).focus()

    # -- ending -----------------------------------------------------------------------
    def action_end_session(self) -> None:
        if self.session.finished:
            self.notify("The session has ended; Ctrl+F shows the feedback.", severity="warning")
            return
        box = self.query_one("#chat-input", Input)
        words = box.value
        if self.run_turn(lambda sink: self.session.close(words, sink)):
            box.value = ""

    def on_time_up(self) -> None:
        self.notify(
            "Time is up: say your last words and end the session (Ctrl+E).",
            severity="warning",
            timeout=10,
        )

    def on_session_end(self) -> None:
        super().on_session_end()
        record = self.session.record()
        reason = record.termination_reason.value if record.termination_reason else "ended"
        self.notify(
            f"The session has ended ({reason.replace('_', ' ')}). Finish your formulation, "
            "then press Ctrl+F for feedback.",
            title="Session over",
            timeout=15,
            markup=False,
        )
        self.action_formulation()

    def formulation(self) -> Formulation | None:
        """The form as the trainee left it (``None`` when left empty)."""
        written = Formulation(
            core_belief_categories=[
                category
                for category, _label in CATEGORIES
                if self.query_one(f"#belief-{category}", Checkbox).value
            ],
            emotions=[Emotion(v) for v in self.query_one("#f-emotions", SelectionList).selected],
            situation=self.query_one("#f-situation", Input).value.strip(),
            automatic_thought=self.query_one("#f-thought", Input).value.strip(),
            behavior=self.query_one("#f-behavior", Input).value.strip(),
            author="trainee",
        )
        empty = Formulation(author="trainee")
        return None if written == empty else written

    def finish_payload(self) -> dict[str, Any]:
        formulation = self.formulation()
        if formulation is None:
            return {"formulation_missing": "the trainee left the formulation form empty"}
        return {"formulation": formulation}
