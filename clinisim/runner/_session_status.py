"""What state a session of a run is in, read from its file (the source of truth)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from clinisim.engine import read_session
from clinisim.errors import InputError
from clinisim.schemas import Session, TerminationReason

__all__ = ["SessionStatus", "needs_run", "read_if_valid", "status_of"]


class SessionStatus(StrEnum):
    """A session's status within a run."""

    COMPLETED = "completed"
    """Ended for a final reason of its kind: a diagnosis, the turn budget, the
    counselor closing, the client leaving."""
    BUDGET_EXCEEDED = "budget_exceeded"
    FAILED = "failed"
    """Ended with an error (model unreachable, unusable replies, timeout, crash)."""
    INTERRUPTED = "interrupted"
    """Cut off by an abort or a kill before it ended."""
    MISSING = "missing"
    """No readable record yet."""


def status_of(record: Session | None) -> SessionStatus:
    """The status of a saved record (``None``: no record)."""
    if record is None:
        return SessionStatus.MISSING
    match record.termination_reason:
        case None | TerminationReason.INTERRUPTED:
            return SessionStatus.INTERRUPTED
        case TerminationReason.BUDGET_EXCEEDED:
            return SessionStatus.BUDGET_EXCEEDED
        case TerminationReason.ERROR:
            return SessionStatus.FAILED
        case _:
            # Every other reason is final, whatever kind of session wrote it.
            return SessionStatus.COMPLETED


def needs_run(record: Session | None) -> bool:
    """Whether a resume runs this session again.

    Missing, failed and interrupted sessions run again. A session stopped by the
    run-wide budget runs again (the resume may bring more budget); one stopped by
    its own session cap is final, since it would stop there again.
    """
    status = status_of(record)
    if status is SessionStatus.BUDGET_EXCEEDED:
        return (
            record is not None
            and record.error is not None
            and (record.error.type == "RunBudgetExceeded")
        )
    return status in (SessionStatus.MISSING, SessionStatus.FAILED, SessionStatus.INTERRUPTED)


def read_if_valid(path: Path) -> Session | None:
    """The record at ``path``, or ``None`` when it is missing or unreadable."""
    if not path.is_file():
        return None
    try:
        return read_session(path)
    except InputError:
        return None
