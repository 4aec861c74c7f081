"""Finding the session records to export: run directories, folders or files.

Every path given is read the same way: a run directory (``runs/<id>/``, with its
``manifest.json`` and ``sessions/``), any folder of session JSON files, or one file.
A file that is not a readable session record is reported by path with the reason,
never dropped in silence.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from clinisim.errors import InputError
from clinisim.schemas import Session

__all__ = [
    "FoundSession",
    "RunInfo",
    "Skipped",
    "find_sessions",
    "read_session_file",
    "session_files",
]


@dataclass(frozen=True)
class RunInfo:
    """What a run's manifest says about where its sessions came from."""

    run_id: str | None
    suite: str | None
    suite_source: str | None
    judges: dict[str, str]
    """Score name to judge version, as the run recorded them."""
    path: Path


@dataclass(frozen=True)
class FoundSession:
    record: Session
    path: Path
    run: RunInfo


@dataclass(frozen=True)
class Skipped:
    """A file that could not be used, and why."""

    path: Path
    reason: str


def _run_info(directory: Path) -> RunInfo:
    manifest = directory / "manifest.json"
    if not manifest.is_file():
        return RunInfo(None, None, None, {}, directory)
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return RunInfo(directory.name, None, None, {}, directory)
    suite = data.get("suite") if isinstance(data.get("suite"), dict) else {}
    rubrics = data.get("rubrics") if isinstance(data.get("rubrics"), dict) else {}
    return RunInfo(
        run_id=str(data.get("run_id") or directory.name),
        suite=str(suite.get("name")) if suite.get("name") else None,
        suite_source=str(data["suite_source"]) if data.get("suite_source") else None,
        judges={str(k): str(v) for k, v in rubrics.items()},
        path=directory,
    )


def _session_files(path: Path) -> tuple[list[Path], RunInfo]:
    if path.is_file():
        return [path], _run_info(path.parent.parent if path.parent.name == "sessions" else path)
    sessions = path / "sessions"
    folder = sessions if sessions.is_dir() else path
    files = sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))
    if folder is path:
        files = [p for p in files if p.name != "manifest.json"]
    return files, _run_info(path)


def read_session_file(path: Path) -> Session | str:
    """The record in ``path``, or why it cannot be used."""
    try:
        text = path.read_bytes()
    except OSError as exc:
        return f"unreadable ({type(exc).__name__}: {exc})"
    try:
        # The common case in one step: pydantic parses and validates the JSON itself.
        return Session.model_validate_json(text)
    except ValidationError:
        pass  # say why below, in a user's terms
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f"line {exc.lineno}: {exc.msg}" if isinstance(exc, json.JSONDecodeError) else exc
        return f"not valid JSON ({where})"
    if not isinstance(data, dict) or "turns" not in data or "session_id" not in data:
        return "not a clinisim session record (no session_id and turns)"
    try:
        return Session.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "record"
        return f"not a valid session record ({where}: {first['msg']})"


def session_files(paths: Sequence[Path]) -> list[tuple[Path, RunInfo]]:
    """Every JSON file under ``paths`` that may be a session record, in a stable
    order, with the run it belongs to. A path may be a run, a folder of runs, a
    folder of session files or one file.

    A path that does not exist is an ``InputError``; so is a path holding no JSON
    file at all (most likely a wrong directory).
    """
    found: list[tuple[Path, RunInfo]] = []
    for path in paths:
        if not path.exists():
            raise InputError("no such file or directory", file=path, field="RUN_DIR")
        files, run = _session_files(path)
        runs_below = sorted(p.parent for p in path.glob("*/sessions") if p.is_dir())
        if not files and path.is_dir() and runs_below:
            # A folder of runs (runs/): every run in it.
            for below in runs_below:
                more, info = _session_files(below)
                found += [(file, info) for file in more]
            continue
        if not files:
            raise InputError(
                "no session records here (expected a run directory with sessions/, "
                "a folder of session JSON files, or a file)",
                file=path,
                field="RUN_DIR",
            )
        found += [(file, run) for file in files]
    return found


def find_sessions(paths: Sequence[Path]) -> Iterator[FoundSession | Skipped]:
    """Every session record under ``paths`` (see :func:`session_files`), and every
    file skipped with the reason."""
    for file, run in session_files(paths):
        record = read_session_file(file)
        if isinstance(record, str):
            yield Skipped(file, record)
        else:
            yield FoundSession(record, file, run)
