"""Where a run's sessions execute: on the run's own event loop, or as Ray tasks.

An executor plays one planned session and returns its record, written to the
run directory. The run (:class:`~clinisim.runner.BenchRun`) keeps the queue,
the concurrency, retries, caps and the manifest, whatever the executor.
"""

from __future__ import annotations

from typing import Literal, Protocol

from clinisim.runner._plan import SessionPlan
from clinisim.runner._session_task import SessionContext, run_session
from clinisim.schemas import Session

__all__ = ["EXECUTORS", "ExecutorName", "LocalExecutor", "SessionExecutor"]

ExecutorName = Literal["local", "ray"]
EXECUTORS: tuple[ExecutorName, ...] = ("local", "ray")


class SessionExecutor(Protocol):
    """Plays sessions of one run; the driver awaits each record."""

    charges_run_cap: bool
    """True when the run must charge each record's usage to its run cap itself
    (the calls were made in another process)."""

    async def start(self) -> None:
        """Get ready to play (start workers, connect to a cluster)."""

    async def play(self, plan: SessionPlan, attempt: int) -> Session:
        """Play one session and write its record to the run directory."""

    async def close(self) -> None:
        """Release what :meth:`start` took."""


class LocalExecutor:
    """Sessions as asyncio tasks on the run's event loop (the default)."""

    charges_run_cap = False

    def __init__(self, ctx: SessionContext) -> None:
        self.ctx = ctx

    async def start(self) -> None:
        self.ctx.graph  # noqa: B018  (compile the shared graph before the first session)

    async def play(self, plan: SessionPlan, attempt: int) -> Session:
        return await run_session(self.ctx, plan, attempt)

    async def close(self) -> None:
        return None
