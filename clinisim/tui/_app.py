"""``clinisim practice``: the Textual app where a trainee plays the doctor or the counselor.

The app owns a :class:`SessionHost` (a background loop for sessions and model calls)
and a :class:`PracticeKit` (library, record store, checkpoints), opened there while
the start screen is already drawn. Screens: start → settings → consultation or
counseling → feedback; history from anywhere (F2); help on ``?`` and F1.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from clinisim.errors import ClinisimError
from clinisim.tui._help_screen import HelpScreen
from clinisim.tui._session_host import SessionHost
from clinisim.tui._start_screen import StartScreen

if TYPE_CHECKING:
    from clinisim.library import CaseLibrary
    from clinisim.llm import ModelClient, ModelConfig
    from clinisim.schemas import Session
    from clinisim.tui._practice_session import PracticeKit, PracticeSession, PracticeSetup

__all__ = ["ENGINE_LOAD_DELAY", "PracticeApp", "PracticeOptions"]

ENGINE_LOAD_DELAY = 0.3
"""Seconds between listing the library and loading the session engine."""


@dataclass(frozen=True)
class PracticeOptions:
    """How the app is set up (the ``clinisim practice`` flags)."""

    runs_root: Path = Path("runs")
    """Where session records are read for the history (every ``*/sessions/*.json``)."""
    out_dir: Path = Path("runs/practice/sessions")
    """Where the app writes its session records."""
    cases_dir: list[Path] = field(default_factory=list)
    mode: str = "consultation"
    model: str = "offline"
    judge: str = "offline"
    seed: int = 0
    api_base: str | None = None
    checkpoint_file: Path | None = None
    """The checkpoint database (default: the kit's, shared with ``run`` and ``counsel``)."""
    client_factory: Callable[[ModelConfig], ModelClient] | None = None
    """Builds each session's model client (tests pass mock options through it)."""
    warm_up: bool = True
    """Load the embedding model in the background at start."""
    clock: Callable[[], float] = time.monotonic
    """The session screens' clock (tests freeze it so screenshots compare)."""


class PracticeApp(App[None]):
    """Practise consultations and counseling sessions, with feedback grounded in evidence."""

    CSS_PATH = "practice.tcss"
    TITLE = "clinisim practice"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help"),
        Binding("f1", "help", "Help", show=False),
        Binding("f2", "history", "History"),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def __init__(self, options: PracticeOptions | None = None) -> None:
        super().__init__()
        self.options = options or PracticeOptions()
        self.host = SessionHost.shared()
        self.kit: PracticeKit | None = None
        self.library: CaseLibrary | None = None
        self.load_error: str | None = None
        self._kit_ready = asyncio.Event()

    def on_mount(self) -> None:
        self.push_screen(StartScreen(self.options.mode))
        self.run_worker(self._open_kit(), group="load")

    async def _open_kit(self) -> None:
        try:
            library = await self.host.call(_load_library(self.options))
        except ClinisimError as exc:  # a malformed case or client file: exit 2, one line
            self.load_error = exc.one_line()
            self.exit(return_code=2)
            return
        self.library = library
        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.library_ready(library)
        # The session engine loads while the trainee browses the library, once the
        # list is drawn (its imports would otherwise hold the interpreter lock first).
        await asyncio.sleep(ENGINE_LOAD_DELAY)
        self.kit = await self.host.call(_open_kit(self.options, library))
        self._kit_ready.set()
        if self.options.warm_up:
            await self.host.call(self.kit.warm_up())

    async def on_unmount(self) -> None:
        from clinisim.tui._session_screen import SessionScreen

        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen) and not screen.busy:
                screen.session.stop()
        if self.kit is not None:
            await self.host.call(self.kit.close())

    # -- navigation ---------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_history(self) -> None:
        from clinisim.tui._history_screen import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def to_start(self) -> None:
        """Go back to the start screen."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, StartScreen):
            self.pop_screen()

    def choose(self, kind: str, subject_id: str) -> None:
        """Open the settings for ``subject_id``; start the session they describe."""
        if self.kit is None:
            self.notify("Loading the session engine…", timeout=2)
            self.run_worker(self._choose_when_ready(kind, subject_id), group="start")
            return
        self._open_setup(kind, subject_id)

    async def _choose_when_ready(self, kind: str, subject_id: str) -> None:
        await self._kit_ready.wait()
        self._open_setup(kind, subject_id)

    def _open_setup(self, kind: str, subject_id: str) -> None:
        from clinisim.engine import kind_named
        from clinisim.tui._setup_dialog import SetupDialog

        axes = dict(kind_named(kind).persona_axes)
        dialog = SetupDialog(
            kind,
            subject_id,
            axes,
            model=self.options.model,
            judge=self.options.judge,
            seed=self.options.seed,
            api_base=self.options.api_base,
        )
        self.push_screen(dialog, self._setup_done)

    def _setup_done(self, setup: PracticeSetup | None) -> None:
        if setup is not None:
            self.run_worker(self._start(setup), group="start")

    async def _start(self, setup: PracticeSetup) -> None:
        assert self.kit is not None
        try:
            session = await self.host.call(self.kit.start(setup))
        except ClinisimError as exc:
            self.notify(
                exc.one_line(), title="Cannot start", severity="error", timeout=15, markup=False
            )
            return
        self.open_session(session)

    def resume(self, session_id: str) -> None:
        """Resume an unfinished practice session from its checkpoint."""
        self.run_worker(self._resume(session_id), group="start")

    async def _resume(self, session_id: str) -> None:
        await self._kit_ready.wait()
        assert self.kit is not None
        try:
            session = await self.host.call(self.kit.resume(session_id))
            await self.host.call(session.run.restore())
        except ClinisimError as exc:
            self.notify(
                exc.one_line(), title="Cannot resume", severity="error", timeout=15, markup=False
            )
            return
        self.open_session(session, resumed=True)

    def open_session(self, session: PracticeSession, *, resumed: bool = False) -> None:
        """Show the screen for ``session``'s kind."""
        from clinisim.tui._consultation_screen import ConsultationScreen
        from clinisim.tui._counseling_screen import CounselingScreen

        screen = (
            ConsultationScreen(session, resumed=resumed)
            if session.kind == "consultation"
            else CounselingScreen(session, resumed=resumed)
        )
        self.push_screen(screen)

    def show_feedback(self, record: Session, path: Path, *, replace: bool = False) -> None:
        """Show ``record``'s feedback (in place of the session screen with ``replace``)."""
        from clinisim.tui._feedback_screen import FeedbackScreen

        if replace:
            self.pop_screen()
        self.push_screen(FeedbackScreen(record, path))


async def _load_library(options: PracticeOptions) -> CaseLibrary:
    from clinisim.library import resolve_library

    library = resolve_library(list(options.cases_dir))
    _ = library.cases, library.clients, library.conditions  # parse now, off the app's loop
    return library


async def _open_kit(options: PracticeOptions, library: CaseLibrary) -> PracticeKit:
    from clinisim.tui._practice_session import PracticeKit

    return PracticeKit(
        library,
        options.out_dir,
        client_factory=options.client_factory,
        checkpoint_file=options.checkpoint_file,
    )
