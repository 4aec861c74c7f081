"""Reading a human reference corpus for realism z-scores."""

from __future__ import annotations

from pathlib import Path

from clinisim.errors import InputError

__all__ = ["read_reference"]


def read_reference(path: Path | None) -> list[str] | None:
    """One human utterance per line; ``None`` without a path."""
    if path is None:
        return None
    try:
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    except FileNotFoundError as exc:
        raise InputError("file not found", file=path, field="--reference") from exc
    utterances = [line for line in lines if line]
    if len(utterances) < 2:
        raise InputError(
            "needs at least two utterances, one per line", file=path, field="--reference"
        )
    return utterances
