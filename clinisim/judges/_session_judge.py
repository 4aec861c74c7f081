"""The shape every session judge has."""

from __future__ import annotations

from collections.abc import Callable

from clinisim.schemas import PatientCase, Score, Session

__all__ = ["SessionJudge"]

SessionJudge = Callable[[Session, PatientCase], Score]
"""A judge that scores a finished session against its case."""
