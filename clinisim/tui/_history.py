"""Past sessions for the history screen, read from the standard session records.

Every ``*.json`` record under the runs directory is listed: the app's own practice
sessions and those of ``run``, ``counsel`` and ``bench``. A file that is not a
session record is reported, not silently dropped. A practice session that never
ended (the app was closed mid-session) can be resumed from its checkpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from clinisim.schemas import Session

__all__ = ["HistoryEntry", "SkippedFile", "read_history"]


@dataclass(frozen=True)
class HistoryEntry:
    """One past session."""

    path: Path
    session: Session

    @property
    def resumable(self) -> bool:
        """A practice session (a human in the tested role) that has not ended."""
        reason = self.session.termination_reason
        practice = bool(self.session.config.get("practice"))
        return practice and (reason is None or reason.value == "interrupted")

    @property
    def status(self) -> str:
        """How it ended, or ``unfinished``."""
        reason = self.session.termination_reason
        return reason.value if reason is not None else "unfinished"


@dataclass(frozen=True)
class SkippedFile:
    """A file that looked like a record but could not be read as one."""

    path: Path
    problem: str


def read_history(root: Path, limit: int = 500) -> tuple[list[HistoryEntry], list[SkippedFile]]:
    """The newest ``limit`` session records under ``root``, newest first, and the
    files that could not be read."""
    if not root.is_dir():
        return [], []
    files = sorted(
        (p for p in root.rglob("*.json") if p.parent.name == "sessions"),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )[:limit]
    entries: list[HistoryEntry] = []
    skipped: list[SkippedFile] = []
    for path in files:
        try:
            session = Session.model_validate_json(path.read_bytes())
        except (OSError, ValueError, ValidationError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            skipped.append(SkippedFile(path, first[:200]))
            continue
        entries.append(HistoryEntry(path, session))
    return entries, skipped
