"""The feedback screen: scores, the answer beside the gold one, what to do next, and
every judged item with the turns that earned it.

It shows :func:`clinisim.report.session_feedback`, the view the HTML page
(``clinisim view``) renders too. Selecting an item in "Items" highlights its
evidence turns in the transcript beside it.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import (
    DataTable,
    Footer,
    Header,
    Label,
    Sparkline,
    Static,
    TabbedContent,
    TabPane,
)

from clinisim.report import SessionFeedback, session_feedback
from clinisim.schemas import Session, Turn
from clinisim.tui._chat_log import ChatLog
from clinisim.tui._practice_screen import PracticeScreen

__all__ = ["FeedbackScreen"]


def _answer_table(feedback: SessionFeedback) -> Table:
    table = Table(expand=True, show_lines=False, title="Your answer and the gold one")
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("yours")
    table.add_column("gold")
    table.add_column("match", no_wrap=True)
    for row in feedback.answer:
        style = {"yes": "green", "no": "red"}.get(row.match, "")
        table.add_row(row.field, row.given, row.gold, Text(row.match, style=style))
    return table


def _axes_table(feedback: SessionFeedback) -> Table:
    overall = "unscored" if feedback.overall is None else f"{feedback.overall:.2f}"
    table = Table(expand=True, title=f"Overall {overall}")
    table.add_column("axis", style="bold")
    table.add_column("score", justify="right")
    table.add_column("judge")
    for score in feedback.axes:
        table.add_row(score.name, score.shown, f"{score.judge} v{score.version}")
    return table


def _summary(feedback: SessionFeedback, path: Path) -> list[Static]:
    """What matters most first: scores, the answer, what to do next; then the facts."""
    session = feedback.session
    blocks = [Static(_axes_table(feedback))]
    if feedback.safety_flags:
        flags = Text("Safety\n", style="bold red")
        for flag in feedback.safety_flags:
            flags.append(f"• {flag}\n", style="red")
        blocks.append(Static(flags, id="safety"))
    if feedback.answer:
        blocks.append(Static(_answer_table(feedback), id="answer"))
    steps = Text("Three things to do differently next time\n", style="bold")
    for number, step in enumerate(feedback.next_steps, 1):
        steps.append(f"{number}. {step.text}")
        if step.evidence:
            steps.append(f" (turns {', '.join(map(str, step.evidence))})", style="dim")
        steps.append("\n")
    if not feedback.next_steps:
        steps.append("Nothing missed that the judges could name.\n")
    blocks.append(Static(steps, id="next-steps"))
    facts = Text()
    facts.append(f"{session.kind} · {feedback.subject_label} {session.case_id}\n", style="bold")
    for name, value in feedback.facts:
        facts.append(f"{name}: ", style="bold")
        facts.append(f"{value}\n")
    blocks.append(Static(facts))
    blocks.append(
        Static(
            Text(
                f"Record: {path}\nShare it as a page: clinisim view {path} --html page.html",
                style="dim",
            )
        )
    )
    return blocks


class FeedbackScreen(PracticeScreen):
    """How the session went, with the evidence."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "tab('tab-summary')", "Summary"),
        Binding("i", "tab('tab-items')", "Items"),
        Binding("t", "tab('tab-transcript')", "Transcript"),
        Binding("w", "write_page", "Write page"),
        Binding("n", "new_session", "New session"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, session: Session, path: Path) -> None:
        super().__init__()
        self.record = session
        self.path = path
        self.feedback = session_feedback(session)
        self._rows: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="feedback-tabs", initial="tab-summary"):
            with TabPane("Summary", id="tab-summary"), VerticalScroll(id="summary"):
                yield from _summary(self.feedback, self.path)
                if self.feedback.trust:
                    yield Label("Client trust by turn")
                    yield Sparkline(self.feedback.trust, id="trust")
            with TabPane("Items", id="tab-items"), Vertical():
                yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
                yield ChatLog(self.feedback.tested_role, id="evidence-log")
            with TabPane("Transcript", id="tab-transcript"):
                yield ChatLog(self.feedback.tested_role, id="transcript")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "clinisim practice · feedback"
        self.sub_title = self.record.session_id
        table = self.query_one("#items", DataTable)
        for label, width in (("result", 7), ("item", 48), ("turns", 8), ("judge", 22)):
            table.add_column(label, width=width)
        # The trainee's own judges first; those of the simulated roles after them.
        ordered = sorted(self.feedback.scores, key=lambda score: not score.grades_trainee)
        for score in ordered:
            for item in score.items:
                style = (
                    {True: "green", False: "red"}.get(item.met, "") if item.met is not None else ""
                )
                table.add_row(
                    Text(item.result, style=style),
                    item.criterion,
                    ", ".join(map(str, item.evidence)),
                    score.name,
                    key=f"{score.name}/{item.id}",
                )
                self._rows.append((score.name, item.id))
        turns: list[Turn] = list(self.record.turns)
        self.query_one("#evidence-log", ChatLog).add_turns(turns)
        self.query_one("#transcript", ChatLog).add_turns(turns)

    @on(DataTable.RowHighlighted, "#items")
    def show_evidence(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row < 0 or event.cursor_row >= len(self._rows):
            return
        score, item = self._rows[event.cursor_row]
        self.query_one("#evidence-log", ChatLog).highlight(self.feedback.evidence_of(score, item))

    def action_tab(self, tab: str) -> None:
        self.query_one("#feedback-tabs", TabbedContent).active = tab

    def action_write_page(self) -> None:
        from clinisim.engine import write_atomic
        from clinisim.report import render_session_page

        target = self.path.with_suffix(".html")
        write_atomic(target, render_session_page(self.record))
        self.notify(f"Wrote {target}", title="Feedback page", timeout=8, markup=False)

    def action_new_session(self) -> None:
        self.practice_app.to_start()

    def action_back(self) -> None:
        self.app.pop_screen()
