"""What the consultation and counseling screens share: the chat, the trainee's input,
the worker that runs each turn, the budgets line and the clock.

Every turn runs in a worker that awaits the session on the host loop, so the screen
keeps drawing and taking keystrokes while a model works. Turns are shown as the
session makes them. A model failure ends the session with its transcript saved; the
screen says what failed and offers the feedback on what was done.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Static

from clinisim.errors import ClinisimError
from clinisim.schemas import Session, Turn
from clinisim.tui._chat_log import ChatLog
from clinisim.tui._practice_screen import PracticeScreen

if TYPE_CHECKING:
    from clinisim.llm import TextSink
    from clinisim.tui._practice_session import PracticeSession, TurnSink

__all__ = ["PARTIAL_EVERY", "SessionScreen"]

PARTIAL_EVERY = 0.03
"""Seconds between two redraws of a reply that streams in."""

_REPLIER = {"consultation": "patient", "counseling": "client"}


class SessionScreen(PracticeScreen):
    """A live session the trainee plays; subclasses add the kind's side panel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "feedback", "Feedback", show=False, priority=True),
        Binding("ctrl+l", "leave", "Save & leave", priority=True),
        Binding("escape", "focus_chat_input", "To chat", show=False),
    ]

    def __init__(self, session: PracticeSession, *, resumed: bool = False) -> None:
        super().__init__()
        self.session = session
        self.resumed = resumed
        self.busy = False
        self.time_up = False
        self._started = 0.0
        self.shown: set[int] = set()
        minutes = session.spec.extra_config.get("time_budget_minutes")
        self.time_budget: float | None = float(minutes) * 60 if minutes else None

    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status", classes="status", markup=False)
        with Horizontal(id="session-body"):
            with Vertical(id="chat-column"):
                yield ChatLog(self.session.role, id="chat")
                yield Input(placeholder=self.input_hint, id="chat-input", compact=True)
            with Vertical(id="side", classes="side"):
                yield from self.compose_side()
        yield Footer()

    input_hint = "Type and press Enter"

    def compose_side(self) -> ComposeResult:
        """The kind's side panel."""
        yield from ()

    def on_mount(self) -> None:
        self.session.partial_sink = self._partial_sink()
        self._started = self.practice_app.options.clock()
        self.title = "clinisim practice"
        self.sub_title = self.subject_title()
        self.query_one("#chat-input", Input).focus()
        self.set_interval(1.0, self.refresh_status)
        self.refresh_status()
        self.side_mounted()
        self.run_turn(self.session.begin, replier=None)

    def side_mounted(self) -> None:
        """A hook for the kind's panels once mounted (Textual calls every class's
        ``on_mount`` itself, so subclasses must not define one)."""

    def subject_title(self) -> str:
        subject = self.session.subject
        name = getattr(subject, "name", None) or getattr(subject, "title", "")
        return f"{name} ({self.session.spec.case_id})"

    # -- the clock and the budgets ------------------------------------------------
    def elapsed(self) -> float:
        return self.practice_app.options.clock() - self._started

    def clock(self) -> str:
        elapsed = self.elapsed()
        if self.time_budget is None:
            return f"{int(elapsed) // 60:02d}:{int(elapsed) % 60:02d} elapsed"
        left = max(0.0, self.time_budget - elapsed)
        return f"{int(left) // 60:02d}:{int(left) % 60:02d} left"

    def budgets(self) -> str:
        """The kind's budget counters for the status line."""
        turns = sum(1 for t in self.session.transcript() if t.role.value == self.session.role)
        return f"turn {turns}/{self.session.spec.max_turns}"

    def refresh_status(self) -> None:
        """Redraw the status line; stop taking turns when the time budget runs out."""
        if self.session.failure:
            state = f"model failed: {self.session.failure}"
        elif self.session.finished:
            state = "ended"
        else:
            state = "waiting…" if self.busy else "your turn"
        self.query_one("#status", Static).update(f"{self.budgets()} · {self.clock()} · {state}")
        if (
            self.time_budget is not None
            and not self.time_up
            and not self.session.finished
            and self.elapsed() >= self.time_budget
        ):
            self.time_up = True
            self.on_time_up()

    def on_time_up(self) -> None:
        """What the kind does when the time budget runs out."""

    # -- turns ------------------------------------------------------------------------
    def show_turn(self, turn: Turn) -> None:
        """Add a turn to the chat (once), and let the kind react to it."""
        if turn.index in self.shown or not self.is_attached:
            return
        self.shown.add(turn.index)
        self.query_one("#chat", ChatLog).add_turn(turn)
        self.turn_shown(turn)

    def turn_shown(self, turn: Turn) -> None:
        """A hook for the kind's panels (a result, the client's state)."""

    def _partial_sink(self) -> TextSink:
        """Forward a streaming reply to the chat, at most every ``PARTIAL_EVERY`` seconds."""
        app = self.app
        last = [0.0]

        def sink(role: str, text: str) -> None:
            now = time.monotonic()
            if now - last[0] >= PARTIAL_EVERY:
                last[0] = now
                app.call_from_thread(self._show_partial, role, text)

        return sink

    def _show_partial(self, role: str, text: str) -> None:
        if self.is_attached:
            self.query_one("#chat", ChatLog).set_typing(role, text)

    def _sink(self) -> TurnSink:
        app = self.app

        def sink(turn: Turn) -> None:
            app.call_from_thread(self.show_turn, turn)

        return sink

    def run_turn(
        self,
        step: Callable[[TurnSink], Coroutine[Any, Any, None]],
        *,
        replier: str | None = "auto",
    ) -> bool:
        """Run one step of the session in a worker; ``False`` when one is already running."""
        if self.busy:
            self.notify("Wait for the reply first.", severity="warning")
            return False
        self.busy = True
        chat = self.query_one("#chat", ChatLog)
        if replier is not None:
            chat.set_typing(_REPLIER.get(self.session.kind, "model"))
        self.refresh_status()
        self.run_worker(self._turn_worker(step), group="session", exclusive=True)
        return True

    async def _turn_worker(self, step: Callable[[TurnSink], Coroutine[Any, Any, None]]) -> None:
        host = self.practice_app.host
        try:
            await host.call(step(self._sink()))
        except ClinisimError as exc:
            self.notify(exc.one_line(), title="Not sent", severity="error", timeout=8, markup=False)
        except Exception as exc:  # a bug: say so, keep the record (the run saved it)
            self.notify(
                f"{type(exc).__name__}: {exc}. The record is saved at {self.session.spec.out}.",
                title="The session failed",
                severity="error",
                timeout=15,
                markup=False,
            )
        finally:
            self.busy = False
        if not self.is_attached:  # the app closed while the model worked
            return
        self.query_one("#chat", ChatLog).set_typing(None)
        for turn in self.session.transcript():  # anything a resumed run did not stream
            self.show_turn(turn)
        self.refresh_status()
        if self.session.failure:
            self.show_failure(self.session.failure)
        elif self.session.finished:
            self.on_session_end()

    def show_failure(self, message: str) -> None:
        """A model failed and the session ended: say what, and where the record is."""
        self.query_one("#chat-input", Input).disabled = True
        self.notify(
            f"{message}\nThe transcript is saved at {self.session.spec.out}. "
            "Press Ctrl+F for feedback on what was done.",
            title="The model failed",
            severity="error",
            timeout=20,
            markup=False,
        )
        self.refresh_status()

    def on_session_end(self) -> None:
        """The session ended normally; the kind decides what comes next."""
        self.query_one("#chat-input", Input).disabled = True

    # -- input ----------------------------------------------------------------------
    @on(Input.Submitted, "#chat-input")
    def send_chat(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        if self.session.finished:
            self.notify("The session has ended.", severity="warning")
            return
        if self.run_turn(lambda sink: self.session.say(text, sink)):
            event.input.value = ""

    def action_focus_chat_input(self) -> None:
        self.query_one("#chat-input", Input).focus()

    # -- leaving --------------------------------------------------------------------
    def finish_payload(self) -> dict[str, Any]:
        """What the kind adds when the session is scored (a formulation, notes)."""
        return {}

    def action_feedback(self) -> None:
        if not self.session.finished:
            self.notify("The session is still going.", severity="warning")
            return
        if self.busy:
            return
        self.busy = True
        self.notify("Scoring the session…", timeout=3)
        self.run_worker(self._finish_worker(), group="session", exclusive=True)

    async def _finish_worker(self) -> None:
        try:
            record: Session = await self.practice_app.host.call(
                self.session.finish(**self.finish_payload())
            )
        except ClinisimError as exc:
            self.busy = False
            self.notify(
                exc.one_line(), title="Could not score", severity="error", timeout=10, markup=False
            )
            return
        self.busy = False
        self.practice_app.show_feedback(record, self.session.spec.out, replace=True)

    def action_leave(self) -> None:
        """Save the session as it stands and go back; an unfinished one can be resumed."""
        if self.busy:
            self.notify("Wait for the reply first.", severity="warning")
            return
        self.session.stop()
        if not self.session.finished:
            self.notify(
                "Saved. Resume it from the history screen (h).", title="Session saved", timeout=6
            )
        self.app.pop_screen()
