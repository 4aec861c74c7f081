"""The app's screens at 80x24 and 120x40, compared with accepted screenshots.

Update them after an intended change of layout with
``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from textual.pilot import Pilot

from clinisim.tui import PracticeApp, PracticeOptions
from tests.tui._pilot import library_loaded, say, screen_name, turn_done, type_into, wait_until

SIZES = [(80, 24), (120, 40)]


async def _at_start(pilot: Pilot[None]) -> None:
    await library_loaded(pilot)


async def _in_consultation(pilot: Pilot[None]) -> None:
    await library_loaded(pilot)
    await type_into(pilot, "#search", "acute-appendicitis")
    pilot.app.screen.query_one("#library").focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen_name(pilot) == "SetupDialog")
    await pilot.click("#begin")
    await wait_until(pilot, lambda: screen_name(pilot) == "ConsultationScreen")
    await turn_done(pilot)
    await say(pilot, "When did the pain start?")


async def _in_counseling(pilot: Pilot[None]) -> None:
    await library_loaded(pilot)
    await type_into(pilot, "#search", "aaron-trauma")
    pilot.app.screen.query_one("#library").focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen_name(pilot) == "SetupDialog")
    await pilot.click("#begin")
    await wait_until(pilot, lambda: screen_name(pilot) == "CounselingScreen")
    await turn_done(pilot)
    await say(pilot, "What would you like to talk about today?")


async def _setup_dialog(pilot: Pilot[None]) -> None:
    await library_loaded(pilot)
    pilot.app.screen.query_one("#library").focus()
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen_name(pilot) == "SetupDialog")


async def _help(pilot: Pilot[None]) -> None:
    await library_loaded(pilot)
    await pilot.press("f1")
    await wait_until(pilot, lambda: screen_name(pilot) == "HelpScreen")


SCREENS: dict[str, tuple[str, Callable[[Pilot[None]], Any]]] = {
    "start": ("consultation", _at_start),
    "setup": ("consultation", _setup_dialog),
    "consultation": ("consultation", _in_consultation),
    "counseling": ("counseling", _in_counseling),
    "help": ("consultation", _help),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_matches_its_snapshot(
    name: str, size: tuple[int, int], options: PracticeOptions, snap_compare: Any
) -> None:
    mode, run_before = SCREENS[name]
    app = PracticeApp(replace(options, mode=mode, warm_up=False))
    assert snap_compare(app, terminal_size=size, run_before=run_before)
