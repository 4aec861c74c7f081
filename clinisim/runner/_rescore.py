"""Re-score mode: run only the judges again on a run's saved sessions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from clinisim.agents import ChatModel
from clinisim.engine import kind_named, write_session
from clinisim.judges import SessionJudge, judges_by_name, rejudge
from clinisim.library import CaseLibrary, case_dirs
from clinisim.runner._session_status import SessionStatus, read_if_valid, status_of
from clinisim.schemas import Session

__all__ = ["rescore_run"]


async def rescore_run(
    run_dir: Path,
    names: Sequence[str] | None,
    model: ChatModel | None,
    *,
    on_session: Callable[[Session], None] | None = None,
) -> int:
    """Replace the named scores on every ended session of ``run_dir``; return how many.

    Interrupted and missing sessions are left alone (they have no end to judge).
    Cases imported for the run are read from ``run_dir/cases``.
    """
    library = CaseLibrary(extra_case_dirs=[run_dir / "cases", *case_dirs()])
    judges: dict[str, list[SessionJudge]] = {}
    done = 0
    for path in sorted((run_dir / "sessions").glob("*.json")):
        record = read_if_valid(path)
        if status_of(record) in (SessionStatus.MISSING, SessionStatus.INTERRUPTED):
            continue
        assert record is not None
        if record.kind not in judges:
            judges[record.kind] = judges_by_name(names, model, kind=record.kind)
        subject = kind_named(record.kind).subject(library, record.case_id)
        await rejudge(record, subject, judges[record.kind])
        write_session(record, path)
        done += 1
        if on_session is not None:
            on_session(record)
    return done
