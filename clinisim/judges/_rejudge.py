"""Scoring a saved record again: fresh scores replace those of the same name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clinisim.judges._session_judge import SessionJudge
from clinisim.schemas import Score, Session

__all__ = ["rejudge"]


async def rejudge(record: Session, subject: Any, judges: Sequence[SessionJudge]) -> list[Score]:
    """Run ``judges`` on ``record``, replace its scores of the same names; return the new ones."""
    fresh = [await judge(record, subject) for judge in judges]
    replaced = {score.name for score in fresh}
    record.scores = [s for s in record.scores if s.name not in replaced] + fresh
    return fresh
