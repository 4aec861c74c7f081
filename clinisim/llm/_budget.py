"""Spending caps on model calls, per session and per run.

A cap is checked before every model call: once the spend charged to it has reached
the cap, the next call raises :class:`BudgetExceeded` instead of going out, and the
session ends with ``termination_reason: budget_exceeded``. A session therefore
stops at the first call after its cap is reached; the call that crossed the cap
is kept and counted, never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinisim.errors import RuntimeFailure
from clinisim.schemas import TerminationReason, Usage

__all__ = ["BudgetExceeded", "RunBudgetExceeded", "SessionBudgetExceeded", "SpendingCap"]


class BudgetExceeded(RuntimeFailure):
    """A spending cap was reached; the session ends with ``budget_exceeded``."""

    termination_reason = TerminationReason.BUDGET_EXCEEDED

    def __init__(self, problem: str, *, scope: str, role: str) -> None:
        self.scope = scope
        self.role = role
        self.usage = Usage()
        super().__init__(problem, field=f"{scope} budget")


class SessionBudgetExceeded(BudgetExceeded):
    """The session's own cap was reached: re-running it would hit the cap again."""


class RunBudgetExceeded(BudgetExceeded):
    """The run-wide cap was reached: the session may run again on a resume with more budget."""


@dataclass
class SpendingCap:
    """A cap in USD and/or tokens over the calls charged to it.

    ``scope`` is ``session`` or ``run``. ``spent_*`` may start above zero (a resumed
    run carries the spend of its saved sessions).
    """

    scope: str
    max_usd: float | None = None
    max_tokens: int | None = None
    spent_usd: float = 0.0
    spent_tokens: int = 0

    def charge(self, usage: Usage) -> None:
        """Count one call's usage against the cap."""
        self.spent_usd += usage.cost_usd or 0.0
        self.spent_tokens += usage.total_tokens

    def reached(self) -> str | None:
        """Why the cap is reached, or ``None`` while there is room."""
        if self.max_tokens is not None and self.spent_tokens >= self.max_tokens:
            return f"{self.scope} token cap of {self.max_tokens} reached ({self.spent_tokens} used)"
        if self.max_usd is not None and self.spent_usd >= self.max_usd:
            return (
                f"{self.scope} cost cap of ${self.max_usd:.4f} reached "
                f"(${self.spent_usd:.4f} spent)"
            )
        return None

    def check(self, role: str) -> None:
        """Raise :class:`BudgetExceeded` when the cap is reached."""
        why = self.reached()
        if why is not None:
            kind = RunBudgetExceeded if self.scope == "run" else SessionBudgetExceeded
            raise kind(why, scope=self.scope, role=role)
