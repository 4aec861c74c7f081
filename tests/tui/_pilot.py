"""Helpers to drive the app with Textual's Pilot."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input

from clinisim.tui import PracticeApp


async def wait_until(pilot: Pilot[None], done: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until ``done()`` holds; fail after ``timeout`` seconds."""
    waited = 0.0
    while not done():
        if waited >= timeout:
            raise AssertionError(f"the app never reached the expected state ({done})")
        await pilot.pause(0.05)
        waited += 0.05


async def library_loaded(pilot: Pilot[None]) -> None:
    """Wait for the start screen's list and the session engine behind it."""
    app = pilot.app
    assert isinstance(app, PracticeApp)
    await wait_until(pilot, lambda: app.library is not None and app.kit is not None)
    await pilot.pause()


def screen_name(pilot: Pilot[None]) -> str:
    """The class name of the screen on top."""
    return type(pilot.app.screen).__name__


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    """Focus the input ``selector`` and enter ``text``: the last key is pressed, the rest
    set at once (Pilot takes about 0.16 s a key here; typing itself is tested apart)."""
    box = pilot.app.screen.query_one(selector, Input)
    box.focus()
    await pilot.pause()  # focusing selects the text, so set it after
    box.value = text[:-1]
    box.cursor_position = len(box.value)
    await pilot.press(text[-1])


async def say(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` into the chat, press Enter, and wait for the replies."""
    session = getattr(pilot.app.screen, "session", None)
    assert session is not None, f"not a session screen: {pilot.app.screen}"
    before = len(session.transcript())
    await type_into(pilot, "#chat-input", text)
    await pilot.press("enter")
    await wait_until(pilot, lambda: len(session.transcript()) > before)
    await turn_done(pilot)


async def turn_done(pilot: Pilot[None]) -> None:
    """Wait until the session screen waits for the trainee again (or the session ended)."""
    screen = pilot.app.screen
    session = getattr(screen, "session", None)
    assert session is not None, f"not a session screen: {screen}"

    def settled() -> bool:
        ready = session.waiting is not None or session.finished
        return ready and not getattr(screen, "busy", False)

    await wait_until(pilot, settled)
    await pilot.pause()
