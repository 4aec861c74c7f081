"""How the CLI shows turns and the end-of-session summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from clinisim.schemas import CounselingTurnState, Session, Turn

if TYPE_CHECKING:
    from clinisim.engine import SummaryColumn

__all__ = ["print_summary", "print_turn"]

_ROLE_STYLE = {
    "doctor": "bold cyan",
    "patient": "bold green",
    "examiner": "bold magenta",
    "system": "bold yellow",
    "counselor": "bold cyan",
    "client": "bold green",
}


def print_turn(console: Console, turn: Turn) -> None:
    """One transcript line: ``[index] Role: content``."""
    line = Text()
    line.append(f"{turn.index:>3} ", style="dim")
    line.append(f"{turn.role.value.capitalize()}: ", style=_ROLE_STYLE.get(turn.role.value, "bold"))
    line.append(turn.content)
    state = turn.state
    if isinstance(state, CounselingTurnState):
        line.append(
            f"  [{state.emotion.value} {state.intensity:.1f} · trust {state.trust:.2f} · "
            f"resistance {state.resistance:.2f} · {state.disclosure.value}]",
            style="dim",
        )
    console.print(line)


def print_summary(
    console: Console, session: Session, out: str, columns: Sequence[SummaryColumn] = ()
) -> None:
    """The termination reason, the kind's own rows (diagnosis, trust...), usage, scores."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("session", session.session_id)
    table.add_row("case", session.case_id)
    reason = session.termination_reason.value if session.termination_reason else "unfinished"
    table.add_row("ended", reason)
    for column in columns:
        value = column.value(session)
        if value is not None:
            style = column.style(session) if column.style else ""
            table.add_row(column.name, Text(value, style=style))
    for role, usage in sorted(session.usage.items()):
        cost = f", ${usage.cost_usd:.4f}" if usage.cost_usd is not None else ""
        table.add_row(
            f"usage {role}",
            f"{usage.calls} calls, {usage.prompt_tokens}+{usage.completion_tokens} tokens{cost}",
        )
    for score in session.scores:
        value = f"{score.value:.2f}" if score.value is not None else score.status
        table.add_row(f"score {score.name}", value)
    if session.error is not None:
        table.add_row("error", Text(session.error.message, style="red"))
    table.add_row("record", out)
    console.print(table)
