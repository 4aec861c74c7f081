"""The history screen: past sessions from the session records, newest first.

Enter opens a session's feedback; an unfinished practice session resumes where it
stopped, through its checkpoint. Records that cannot be read are counted and named.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from clinisim.report import session_feedback
from clinisim.tui._history import HistoryEntry, SkippedFile, read_history
from clinisim.tui._practice_screen import PracticeScreen

if TYPE_CHECKING:
    pass

__all__ = ["HistoryScreen"]


class HistoryScreen(PracticeScreen):
    """Past sessions."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open", "Open / resume"),
        Binding("r", "reload", "Reload"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[HistoryEntry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Static("Reading session records…", id="history-note", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "clinisim practice · history"
        self.sub_title = str(self.practice_app.options.runs_root)
        table = self.query_one("#history", DataTable)
        for label, width in (
            ("started", 16),
            ("kind", 12),
            ("subject", 30),
            ("ended", 16),
            ("overall", 7),
        ):
            table.add_column(label, width=width)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.run_worker(self._load(), group="history", exclusive=True)

    async def _load(self) -> None:
        root = self.practice_app.options.runs_root
        entries, skipped = await self.practice_app.host.call(_read(root))
        self.entries = entries
        table = self.query_one("#history", DataTable)
        table.clear()
        for entry in entries:
            session = entry.session
            overall = session_feedback(session).overall if session.scores else None
            table.add_row(
                f"{session.started_at:%Y-%m-%d %H:%M}",
                session.kind,
                session.case_id,
                "resumable" if entry.resumable else entry.status,
                "—" if overall is None else f"{overall:.2f}",
            )
        note = f"{len(entries)} sessions under {root} · Enter: open or resume"
        if skipped:
            names = ", ".join(str(s.path) for s in skipped[:3])
            note += f" · {len(skipped)} unreadable: {names}"
        self.query_one("#history-note", Static).update(note)

    def action_open(self) -> None:
        table = self.query_one("#history", DataTable)
        if not self.entries or not 0 <= table.cursor_row < len(self.entries):
            return
        entry = self.entries[table.cursor_row]
        if entry.resumable:
            self.practice_app.resume(entry.session.session_id)
        else:
            self.practice_app.show_feedback(entry.session, entry.path)

    @on(DataTable.RowSelected, "#history")
    def row_selected(self) -> None:
        self.action_open()

    def action_back(self) -> None:
        self.app.pop_screen()


async def _read(root: Path) -> tuple[list[HistoryEntry], list[SkippedFile]]:
    return read_history(root)
