"""Reading and writing session records: atomic writes, clear errors on bad files."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from clinisim.errors import InputError
from clinisim.library import describe_validation_error
from clinisim.schemas import Session

__all__ = ["read_session", "write_atomic", "write_session"]


def write_atomic(path: Path, text: str, *, durable: bool = True) -> None:
    """Write ``text`` to ``path`` via a temp file in the same directory and a rename.

    A reader (or a killed process) never sees a half-written file. ``durable`` also
    syncs the data to disk before the rename, so it survives a power loss; the
    per-step saves of a live session skip that, since the next step rewrites the
    file and the final save is durable.
    """
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:  # the first write into a new directory
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_session(session: Session, path: Path, *, durable: bool = True) -> None:
    """Write a session record atomically as indented JSON (see :func:`write_atomic`)."""
    write_atomic(path, session.model_dump_json(indent=2) + "\n", durable=durable)


def read_session(path: Path) -> Session:
    """Load and validate a session record; a bad file is an ``InputError``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("file not found", file=path) from exc
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON ({exc.msg})", file=path, field=f"line {exc.lineno}"
        ) from exc
    try:
        return Session.model_validate(data)
    except ValidationError as exc:
        field, problem = describe_validation_error(exc)
        raise InputError(problem, file=path, field=field) from exc
