"""The live view of `clinisim bench`: what the progress line shows as sessions end."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from clinisim.cli._bench_progress import BenchProgress
from clinisim.kinds.consultation._kind import TOP1
from clinisim.runner import RunPlanned, RunStopping, SessionEnded, SessionStatus
from clinisim.runner._plan import SessionPlan
from clinisim.schemas import ConsultationOutcome, Persona, Session, SessionError, Usage


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=240, force_terminal=False, color_system=None), out


def _plan(n: int) -> SessionPlan:
    return SessionPlan(
        session_id=f"s{n}",
        model="offline",
        case_id="gout",
        persona=Persona().axis_values(),
        trial=n,
        seed=n,
    )


def _record(
    n: int,
    *,
    correct: bool | None,
    tokens: tuple[int, int],
    cost: float | None,
    error: str | None = None,
) -> Session:
    return Session(
        session_id=f"s{n}",
        kind="consultation",
        case_id="gout",
        persona={},
        models={"doctor": "offline"},
        seed=n,
        outcome=ConsultationOutcome(gold_diagnosis="Gout", correct=correct),
        usage={
            "doctor": Usage(
                prompt_tokens=tokens[0], completion_tokens=tokens[1], cost_usd=cost, calls=3
            )
        },
        error=SessionError(type="UnusableReply", message=error) if error else None,
    )


def _ended(
    n: int, record: Session, status: SessionStatus, *, retrying: bool = False
) -> SessionEnded:
    return SessionEnded(_plan(n), record, status, attempt=1, retrying=retrying)


def _line(progress: BenchProgress) -> str:
    """The progress bar's current line, rendered as the terminal would show it."""
    console, out = _console()
    console.print(progress.progress.get_renderable())
    return out.getvalue()


def test_progress_line_shows_rate_eta_accuracy_failures_tokens_and_cost() -> None:
    console, out = _console()
    progress = BenchProgress(console, TOP1)
    progress(RunPlanned(planned=6, todo=4, already_done=2))
    assert "resuming: 2 of 6 sessions already done" in out.getvalue()
    first = _line(progress)
    assert "0/4" in first and "ETA" in first and "top-1 -" in first and "failed 0" in first

    progress.started -= 60.0  # one minute into the run, so the rate is exact
    progress(
        _ended(1, _record(1, correct=True, tokens=(1200, 300), cost=0.01), SessionStatus.COMPLETED)
    )
    failed = _record(2, correct=None, tokens=(400, 100), cost=None, error="empty reply")
    progress(_ended(2, failed, SessionStatus.FAILED, retrying=True))
    progress(_ended(2, failed, SessionStatus.FAILED))
    line = _line(progress)
    assert "2/4" in line
    assert "2.0 sess/min" in line  # two sessions ended (the retry is not one) in a minute
    assert "top-1 50% (1/2)" in line  # a failed session counts as not correct
    assert "failed 1 (+1 retried)" in line
    assert "2.5k tok" in line  # every attempt's tokens: 1500 + 500 + 500
    assert "$0.0100" in line  # an unknown cost adds nothing
    printed = out.getvalue()
    assert "retrying s2 (attempt 1): empty reply" in printed
    assert "failed s2 (attempt 1): empty reply" in printed


def test_budget_stops_and_run_stopping_are_shown() -> None:
    console, out = _console()
    progress = BenchProgress(console, TOP1)
    progress(RunPlanned(planned=2, todo=2, already_done=0))
    capped = _record(1, correct=None, tokens=(50, 0), cost=0.5)
    progress(_ended(1, capped, SessionStatus.BUDGET_EXCEEDED))
    progress(RunStopping("run budget reached: usd 0.5 of 0.5"))
    line = _line(progress)
    assert "budget stops 1" in line and "top-1 0% (0/1)" in line and "$0.5000" in line
    assert "stopping: run budget reached: usd 0.5 of 0.5" in out.getvalue()


@pytest.mark.parametrize("quiet", [True, False])
def test_interrupted_sessions_are_not_judged(quiet: bool) -> None:
    console, out = _console()
    progress = BenchProgress(console, TOP1, quiet=quiet)
    progress(RunPlanned(planned=1, todo=1, already_done=0))
    cut = _record(1, correct=None, tokens=(10, 0), cost=None, error="cut off")
    progress(_ended(1, cut, SessionStatus.INTERRUPTED))
    assert "top-1 -" in _line(progress) and "failed 0" in _line(progress)
    assert "cut off" not in out.getvalue()  # only failures are printed
