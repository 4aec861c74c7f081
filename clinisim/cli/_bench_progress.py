"""The live view of a benchmark run: a rich progress bar with rate, success and spend."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from clinisim.engine import ReportColumn
from clinisim.runner import RunEvent, RunPlanned, RunStopping, SessionEnded, SessionStatus
from clinisim.schemas import Usage

__all__ = ["BenchProgress"]


def _tokens(n: int) -> str:
    return f"{n / 1000:.1f}k" if n >= 1000 else str(n)


class BenchProgress:
    """Receives runner events and keeps a progress bar current (an ``EventSink``)."""

    def __init__(self, console: Console, success: ReportColumn, *, quiet: bool = False) -> None:
        self.console = console
        self.quiet = quiet
        self.success = success
        """The kind's per-session pass (top-1, completed safely), shown as a running rate."""
        self.progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[stats]}"),
            console=console,
            disable=quiet,
            transient=False,
        )
        self.task: TaskID | None = None
        self.started = time.monotonic()
        self.ended = 0
        self.passed = 0
        self.judged = 0
        self.failed = 0
        self.retries = 0
        self.budget = 0
        self.usage = Usage()

    def __enter__(self) -> BenchProgress:
        self.progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def _stats(self) -> str:
        label = self.success.label.lower()
        parts = [
            f"{label} {self.passed / self.judged:.0%} ({self.passed}/{self.judged})"
            if self.judged
            else f"{label} -"
        ]
        parts.append(
            f"failed {self.failed}" + (f" (+{self.retries} retried)" if self.retries else "")
        )
        if self.budget:
            parts.append(f"budget stops {self.budget}")
        parts.append(f"{_tokens(self.usage.total_tokens)} tok")
        parts.append(f"${self.usage.cost_usd or 0.0:.4f}")
        return " · ".join(parts)

    def _rate(self) -> str:
        minutes = (time.monotonic() - self.started) / 60
        return f"{self.ended / minutes:.1f} sess/min" if minutes > 0 and self.ended else ""

    def __call__(self, event: RunEvent) -> None:
        if isinstance(event, RunPlanned):
            self.started = time.monotonic()
            if event.already_done:
                self.console.print(
                    f"resuming: {event.already_done} of {event.planned} sessions already done"
                )
            self.task = self.progress.add_task(
                "sessions", total=event.todo, rate="", stats=self._stats()
            )
        elif isinstance(event, SessionEnded):
            for usage in event.record.usage.values():
                self.usage = self.usage.add(usage)
            if event.retrying:
                self.retries += 1
            else:
                self.ended += 1
                if event.status is SessionStatus.FAILED:
                    self.failed += 1
                if event.status is SessionStatus.BUDGET_EXCEEDED:
                    self.budget += 1
                if event.status is not SessionStatus.INTERRUPTED:
                    self.judged += 1
                    failed = event.status is SessionStatus.FAILED
                    self.passed += 0 if failed else int(self.success.value(event.record) == 1.0)
            if self.task is not None:
                self.progress.update(
                    self.task,
                    completed=self.ended,
                    rate=self._rate(),
                    stats=self._stats(),
                )
            if event.status is SessionStatus.FAILED and event.record.error and not self.quiet:
                verb = "retrying" if event.retrying else "failed"
                self.progress.console.print(
                    f"[yellow]{verb}[/] {event.plan.session_id} (attempt {event.attempt}): "
                    f"{event.record.error.message[:160]}",
                    highlight=False,
                )
        elif isinstance(event, RunStopping):
            self.progress.console.print(f"[bold yellow]stopping:[/] {event.reason}")
