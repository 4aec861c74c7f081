"""Playing a session live in the terminal: the transcript, human turns, Ctrl-C, summary.

Shared by ``clinisim run`` and ``clinisim counsel``.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.prompt import Prompt

from clinisim.cli._transcript_view import print_summary, print_turn
from clinisim.errors import InputError, RuntimeFailure

if TYPE_CHECKING:
    from clinisim.engine import HumanTurnNeeded, SessionRun

__all__ = ["ask_human", "drive_session"]


async def ask_human(console: Console, role: str) -> str:
    """Read a human turn without blocking the event loop.

    The prompt runs in a daemon thread, so Ctrl-C cancels the session at once and an
    unanswered prompt never keeps the process alive.
    """
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str] = loop.create_future()

    def read() -> None:
        try:
            text = Prompt.ask(f"[bold]{role.capitalize()}[/] (you)", console=console)
        except BaseException as exc:  # EOF on a closed stdin, for one
            loop.call_soon_threadsafe(_settle, answer, None, exc)
            return
        loop.call_soon_threadsafe(_settle, answer, text, None)

    threading.Thread(target=read, name="human-turn", daemon=True).start()
    return await answer


def _settle(future: asyncio.Future[str], text: str | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(InputError(f"no input for the human turn ({type(error).__name__})"))
    else:
        future.set_result(text or "")


async def drive_session(
    console: Console, session_run: SessionRun, *, resume: str | None, quiet: bool, command: str
) -> None:
    """Stream ``session_run`` to its end, asking a human where a role is played by one.

    The record is rewritten as the session goes (see ``SessionRun.stream``). Ctrl-C saves the partial record and
    exits 1 with the command that resumes it; a session that ends in error exits 1.
    """
    from clinisim.engine import TurnMade
    from clinisim.schemas import TerminationReason

    spec = session_run.spec
    await session_run.restore()
    if resume and session_run.is_finished():
        raise InputError(f"session {resume!r} already finished", field="--resume")
    if not quiet:
        title = getattr(session_run.subject, "title", None) or getattr(
            session_run.subject, "name", spec.case_id
        )
        console.rule(f"[bold]{title}[/] ({spec.case_id}) · seed {spec.seed}")
        if resume:
            for turn in session_run.record().turns:
                print_turn(console, turn)
    human_input: str | None = None
    try:
        while True:
            paused: HumanTurnNeeded | None = None
            async for event in session_run.stream(human_input):
                if isinstance(event, TurnMade):
                    if not quiet:
                        print_turn(console, event.turn)
                else:
                    paused = event
            if paused is None:
                break
            human_input = await ask_human(console, paused.role)
    except (KeyboardInterrupt, asyncio.CancelledError):
        record = session_run.save(durable=True)
        console.print(
            f"\n[yellow]interrupted[/]; resume with: clinisim {command} --resume {spec.session_id}"
        )
        print_summary(console, record, str(spec.out), session_run.kind.summary_columns)
        raise typer.Exit(1) from None
    except InputError as exc:
        session_run.save(durable=True)
        raise InputError(
            f"{exc.problem}; partial record saved to {spec.out}; "
            f"resume with: clinisim {command} --resume {spec.session_id}",
            field=exc.field,
        ) from exc
    except Exception as exc:
        raise RuntimeFailure(
            f"session crashed ({type(exc).__name__}: {exc}); partial record saved to {spec.out}"
        ) from exc
    record = await session_run.finish()
    print_summary(console, record, str(spec.out), session_run.kind.summary_columns)
    if record.termination_reason == TerminationReason.ERROR:
        message = record.error.message if record.error else "session failed"
        raise RuntimeFailure(f"{message}; partial record saved to {spec.out}")
