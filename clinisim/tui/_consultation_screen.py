"""The consultation screen: the trainee is the doctor.

The chat asks the patient; the side panel orders examinations and tests (results
appear under "Results"), keeps notes and a working differential; Ctrl+D submits the
diagnosis and opens the feedback.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TabbedContent, TabPane, TextArea

from clinisim.schemas import ConsultationOutcome, TerminationReason, Turn
from clinisim.tui._chat_log import turn_text
from clinisim.tui._session_screen import SessionScreen

__all__ = ["ConsultationScreen", "DiagnosisDialog"]


def _split_differential(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ";").split(";") if part.strip()]


class DiagnosisDialog(ModalScreen[tuple[str, list[str]] | None]):
    """Ask for the diagnosis and the rest of the differential."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, working: list[str]) -> None:
        super().__init__()
        self.working = working

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Submit your diagnosis", classes="dialog-title")
            yield Label("Most likely diagnosis")
            yield Input(value=self.working[0] if self.working else "", id="dx-main", compact=True)
            yield Label("Rest of the differential, most likely first (separate with ;)")
            yield Input(value="; ".join(self.working[1:]), id="dx-rest", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Submit", id="dx-submit", variant="primary", compact=True)
                yield Button("Cancel", id="dx-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#dx-main", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#dx-submit")
    def submit(self) -> None:
        main = self.query_one("#dx-main", Input).value.strip()
        if not main:
            self.notify("Name the most likely diagnosis.", severity="warning")
            return
        self.dismiss((main, _split_differential(self.query_one("#dx-rest", Input).value)))

    @on(Button.Pressed, "#dx-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConsultationScreen(SessionScreen):
    """Take a history, examine, order tests, diagnose."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+d", "diagnose", "Diagnose", priority=True),
        Binding("ctrl+o", "order", "Order test", priority=True),
        Binding("ctrl+r", "results", "Results", priority=True),
        Binding("ctrl+n", "notes", "Notes", priority=True),
        Binding("ctrl+f", "feedback", "Feedback", priority=True),
    ]

    input_hint = "Ask the patient… (Enter sends)"

    def compose_side(self) -> ComposeResult:
        with TabbedContent(id="side-tabs", initial="tab-results"):
            with TabPane("Results", id="tab-results"):
                yield VerticalScroll(
                    Static("No results yet. Order an exam or a test (Ctrl+O).", id="no-results"),
                    id="results",
                )
            with TabPane("Order", id="tab-order"):
                yield Label("Examination or test")
                yield Input(placeholder="e.g. abdominal exam, ECG", id="order-input", compact=True)
                yield Button("Order", id="order-button", compact=True)
                yield Static(id="tests-left", classes="hint")
            with TabPane("Notes", id="tab-notes"):
                yield Label("Working differential (; between)")
                yield Input(id="differential", compact=True)
                yield TextArea(id="notes")

    def side_mounted(self) -> None:
        self._refresh_tests_left()

    def tests_ordered(self) -> int:
        return sum(1 for t in self.session.transcript() if t.role.value == "examiner")

    def budgets(self) -> str:
        max_tests = self.session.spec.budget("max_tests", 8)
        return f"{super().budgets()} · tests {self.tests_ordered()}/{max_tests}"

    def _refresh_tests_left(self) -> None:
        left = self.session.spec.budget("max_tests", 8) - self.tests_ordered()
        self.query_one("#tests-left", Static).update(f"{left} orders left")

    def turn_shown(self, turn: Turn) -> None:
        if turn.role.value in ("examiner", "system"):
            results = self.query_one("#results", VerticalScroll)
            for placeholder in results.query("#no-results"):
                placeholder.remove()
            results.mount(
                Static(turn_text(turn.role.value, turn.content), classes="result", markup=False)
            )
            results.scroll_end(animate=False)
            self._refresh_tests_left()
            self.query_one("#side-tabs", TabbedContent).active = "tab-results"

    # -- actions --------------------------------------------------------------------
    def action_order(self) -> None:
        self.query_one("#side-tabs", TabbedContent).active = "tab-order"
        self.query_one("#order-input", Input).focus()

    def action_results(self) -> None:
        self.query_one("#side-tabs", TabbedContent).active = "tab-results"

    def action_notes(self) -> None:
        self.query_one("#side-tabs", TabbedContent).active = "tab-notes"
        self.query_one("#differential", Input).focus()

    @on(Input.Submitted, "#order-input")
    @on(Button.Pressed, "#order-button")
    def send_order(self) -> None:
        box = self.query_one("#order-input", Input)
        test = box.value.strip()
        if not test:
            self.notify("Name an examination or a test to order.", severity="warning")
            return
        if self.session.finished:
            self.notify("The session has ended.", severity="warning")
            return
        if self.run_turn(lambda sink: self.session.order(test, sink)):
            box.value = ""
            self.query_one("#chat-input", Input).focus()

    def action_diagnose(self) -> None:
        if self.session.finished:
            self.notify("The session has ended; Ctrl+F shows the feedback.", severity="warning")
            return
        working = _split_differential(self.query_one("#differential", Input).value)
        self.app.push_screen(DiagnosisDialog(working), self._diagnosis_given)

    def _diagnosis_given(self, answer: tuple[str, list[str]] | None) -> None:
        if answer is None:
            return
        main, rest = answer
        self.query_one("#differential", Input).value = "; ".join([main, *rest])
        self.run_turn(lambda sink: self.session.diagnose(main, rest, sink), replier=None)

    def on_time_up(self) -> None:
        self.query_one("#chat-input", Input).disabled = True
        self.query_one("#order-input", Input).disabled = True
        self.notify("Time is up: submit your diagnosis (Ctrl+D).", severity="warning", timeout=10)

    def on_session_end(self) -> None:
        super().on_session_end()
        record = self.session.record()
        if record.termination_reason is TerminationReason.DIAGNOSIS_GIVEN:
            self.action_feedback()
            return
        outcome = record.outcome
        if isinstance(outcome, ConsultationOutcome) and outcome.diagnosis_given is None:
            self.notify(
                "The turn budget is used up and no diagnosis was given. Press Ctrl+F for feedback.",
                severity="warning",
                timeout=15,
            )

    def finish_payload(self) -> dict[str, Any]:
        notes = self.query_one("#notes", TextArea).text.strip()
        differential = self.query_one("#differential", Input).value.strip()
        payload = {k: v for k, v in (("notes", notes), ("differential", differential)) if v}
        return {"notes": payload} if payload else {}
