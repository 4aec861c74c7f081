"""How the CLI shows turns and the end-of-session summary."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from clinisim.schemas import Session, Turn

__all__ = ["print_summary", "print_turn"]

_ROLE_STYLE = {
    "doctor": "bold cyan",
    "patient": "bold green",
    "examiner": "bold magenta",
    "system": "bold yellow",
}


def print_turn(console: Console, turn: Turn) -> None:
    """One transcript line: ``[index] Role: content``."""
    line = Text()
    line.append(f"{turn.index:>3} ", style="dim")
    line.append(f"{turn.role.value.capitalize()}: ", style=_ROLE_STYLE.get(turn.role.value, "bold"))
    line.append(turn.content)
    console.print(line)


def print_summary(console: Console, session: Session, out: str) -> None:
    """The termination reason, the diagnosis and whether it matches the gold one."""
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("session", session.session_id)
    table.add_row("case", session.case_id)
    reason = session.termination_reason.value if session.termination_reason else "unfinished"
    table.add_row("ended", reason)
    outcome = session.outcome
    if outcome is not None:
        table.add_row("diagnosis given", outcome.diagnosis_given or "(none)")
        table.add_row("gold diagnosis", outcome.gold_diagnosis)
        if outcome.correct is None:
            verdict = Text("no diagnosis", style="yellow")
        elif outcome.correct:
            verdict = Text(f"correct (matches {outcome.matched_name!r})", style="green")
        else:
            verdict = Text("incorrect", style="red")
        table.add_row("match", verdict)
        if outcome.tests_ordered:
            table.add_row("ordered", ", ".join(outcome.tests_ordered))
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
