"""What a benchmark run reports while it works (the CLI renders these; the runner never prints)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from clinisim.runner._plan import SessionPlan
from clinisim.runner._session_status import SessionStatus
from clinisim.schemas import Session

__all__ = [
    "CallWorkersReady",
    "EventSink",
    "RunEvent",
    "RunPlanned",
    "RunStopping",
    "SessionEnded",
    "SessionStarted",
]


@dataclass(frozen=True)
class RunPlanned:
    """The run knows its work: ``todo`` of ``planned`` sessions still need running."""

    planned: int
    todo: int
    already_done: int


@dataclass(frozen=True)
class SessionStarted:
    """A session attempt was handed to the executor."""

    plan: SessionPlan
    attempt: int


@dataclass(frozen=True)
class SessionEnded:
    """A session attempt ended and its record was written."""

    plan: SessionPlan
    record: Session
    status: SessionStatus
    attempt: int
    retrying: bool
    """True when the run will try this session again (error policy)."""


@dataclass(frozen=True)
class CallWorkersReady:
    """The run's call worker processes are ready: model calls flow from now on."""

    count: int


@dataclass(frozen=True)
class RunStopping:
    """The run stops early; ``reason`` says why."""

    reason: str


RunEvent = RunPlanned | SessionStarted | SessionEnded | CallWorkersReady | RunStopping
EventSink = Callable[[RunEvent], None]
