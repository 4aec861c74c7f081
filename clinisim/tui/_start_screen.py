"""The start screen: choose the mode, then a case or a client from the library.

Search matches ids, titles, groups and tags; the filters narrow by specialty (or
topic), tag, severity (a case's setting) and risk. Enter (or Start) opens the
session settings; Random picks from the rows shown.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static, Tab, Tabs

from clinisim.tui._library_entries import (
    EntryFilter,
    LibraryEntry,
    facet_values,
    library_entries,
    pick_random,
)
from clinisim.tui._practice_screen import PracticeScreen

if TYPE_CHECKING:
    from clinisim.library import CaseLibrary

__all__ = ["StartScreen"]

MODES = {
    "consultation": "Consultation (you are the doctor)",
    "counseling": "Counseling (you are the counselor)",
}
COLUMNS = (("title", 46), ("group", 18), ("severity", 12), ("risk", 10), ("id", 30))
_GROUP_LABEL = {"consultation": "Specialty", "counseling": "Topic"}
_SEVERITY_LABEL = {"consultation": "Setting", "counseling": "Severity"}


class StartScreen(PracticeScreen):
    """Pick what to practise."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "random", "Random", priority=True),
        Binding("ctrl+s", "search", "Search", priority=True),
        Binding("f2", "app.history", "History"),
    ]

    def __init__(self, mode: str = "consultation") -> None:
        super().__init__()
        self.mode = mode
        self.entries: list[LibraryEntry] = []
        self.shown: list[LibraryEntry] = []
        self.rng = random.Random()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Tabs(*(Tab(label, id=mode) for mode, label in MODES.items()), id="mode")
        yield Input(
            placeholder="Search cases (id, title, specialty, tag)…", id="search", compact=True
        )
        with Horizontal(id="filters"):
            yield Select[str]([], prompt="Specialty", id="f-group", compact=True)
            yield Select[str]([], prompt="Tag", id="f-tag", compact=True)
            yield Select[str]([], prompt="Setting", id="f-severity", compact=True)
            yield Select[str](
                [("with risk", "yes"), ("without risk", "no")],
                prompt="Risk",
                id="f-risk",
                compact=True,
            )
        yield DataTable(id="library", cursor_type="row", zebra_stripes=True)
        yield Static("Loading the library…", id="count", classes="hint", markup=False)
        with Horizontal(id="start-buttons"):
            yield Button("Start", id="start", variant="primary", compact=True)
            yield Button("Random", id="random", compact=True)
            yield Button("History", id="history", compact=True)
            yield Button("Help", id="help", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "clinisim practice"
        self.sub_title = "choose what to practise"
        self._columns()
        self.query_one("#mode", Tabs).active = self.mode
        if self.practice_app.library is not None:
            self.library_ready(self.practice_app.library)
        self.query_one("#library", DataTable).focus()

    def _columns(self) -> DataTable[str]:
        table: DataTable[str] = self.query_one("#library", DataTable)
        if not table.columns:
            # Fixed widths: the list reads the same before and after its rows are measured.
            for label, width in COLUMNS:
                table.add_column(label, width=width)
        return table

    def library_ready(self, library: CaseLibrary) -> None:
        """Fill the list once the library has loaded."""
        self.entries = library_entries(library, self.mode)
        kind = self.mode
        self.query_one("#search", Input).placeholder = (
            "Search cases (id, title, specialty, tag)…"
            if kind == "consultation"
            else "Search clients (id, name, topic)…"
        )
        for facet, select_id, label in (
            ("group", "#f-group", _GROUP_LABEL[kind]),
            ("tag", "#f-tag", "Tag"),
            ("severity", "#f-severity", _SEVERITY_LABEL[kind]),
        ):
            select = self.query_one(select_id, Select)
            select.set_options((value, value) for value in facet_values(self.entries, facet))
            select.prompt = label
        self.refilter()

    def _filter(self) -> EntryFilter:
        def chosen(select_id: str) -> str | None:
            value = self.query_one(select_id, Select).value
            return value if isinstance(value, str) else None

        risk = chosen("#f-risk")
        return EntryFilter(
            search=self.query_one("#search", Input).value,
            group=chosen("#f-group"),
            tag=chosen("#f-tag"),
            severity=chosen("#f-severity"),
            risky=None if risk is None else risk == "yes",
        )

    def refilter(self) -> None:
        """Show the entries that pass the search and filters."""
        self.shown = self._filter().apply(self.entries)
        table = self._columns()
        table.clear()
        for entry in self.shown:
            table.add_row(
                entry.title, entry.group, entry.severity, entry.risk, entry.id, key=entry.id
            )
        noun = "cases" if self.mode == "consultation" else "clients"
        self.query_one("#count", Static).update(
            f"{len(self.shown)} of {len(self.entries)} {noun} · Enter: choose · Ctrl+R: random"
        )

    @on(Tabs.TabActivated, "#mode")
    def mode_changed(self, event: Tabs.TabActivated) -> None:
        mode = event.tab.id or "consultation"
        if mode == self.mode and self.entries:
            return
        self.mode = mode
        for select_id in ("#f-group", "#f-tag", "#f-severity", "#f-risk"):
            self.query_one(select_id, Select).clear()
        if self.practice_app.library is not None:
            self.library_ready(self.practice_app.library)

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def filters_changed(self) -> None:
        if self.entries:
            self.refilter()

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        self.query_one("#library", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def selected(self) -> LibraryEntry | None:
        table = self.query_one("#library", DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    @on(DataTable.RowSelected, "#library")
    @on(Button.Pressed, "#start")
    def start(self) -> None:
        entry = self.selected()
        if entry is None:
            self.notify("Nothing to start: the list is empty.", severity="warning")
            return
        self.practice_app.choose(self.mode, entry.id)

    @on(Button.Pressed, "#random")
    def action_random(self) -> None:
        entry = pick_random(self.shown, self.rng)
        if entry is None:
            self.notify("No case or client matches the filters.", severity="warning")
            return
        self.query_one("#library", DataTable).move_cursor(row=self.shown.index(entry))
        self.practice_app.choose(self.mode, entry.id)

    @on(Button.Pressed, "#history")
    def open_history(self) -> None:
        self.practice_app.action_history()

    @on(Button.Pressed, "#help")
    def open_help(self) -> None:
        self.practice_app.action_help()
