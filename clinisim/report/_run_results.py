"""A benchmark run read back from disk: its manifest and its session records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clinisim.errors import InputError
from clinisim.runner import Manifest, read_if_valid, read_manifest
from clinisim.schemas import Session

__all__ = ["SESSIONS_DIR", "RunResults", "load_run"]

SESSIONS_DIR = "sessions"


@dataclass
class RunResults:
    """Everything a report is computed from.

    ``unreadable`` lists the session files that exist but could not be parsed; their
    sessions count as missing, as they would for a resume.
    """

    run_dir: Path
    manifest: Manifest
    records: list[Session]
    unreadable: list[Path]


def load_run(run_dir: Path) -> RunResults:
    """Read ``run_dir/manifest.json`` and every ``run_dir/sessions/*.json``.

    Raises ``InputError`` when the directory has no valid manifest or no
    ``sessions`` directory. Records are in file-name order, so reports are stable.
    """
    manifest = read_manifest(run_dir)
    sessions_dir = run_dir / SESSIONS_DIR
    if not sessions_dir.is_dir():
        raise InputError(
            f"no {SESSIONS_DIR}/ directory: not a clinisim run directory", file=run_dir
        )
    records: list[Session] = []
    unreadable: list[Path] = []
    for path in sorted(sessions_dir.glob("*.json")):
        record = read_if_valid(path)
        if record is None:
            unreadable.append(path)
        else:
            records.append(record)
    return RunResults(run_dir=run_dir, manifest=manifest, records=records, unreadable=unreadable)
