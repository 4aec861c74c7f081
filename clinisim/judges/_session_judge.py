"""The shape every session judge has."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from clinisim.schemas import Score, Session

__all__ = ["SessionJudge", "offline_judge"]


class SessionJudge(Protocol):
    """A judge: scores a finished session against its case or client.

    Judges are async, like agents: a model-graded judge shares the run's event loop,
    its per-provider limits and its spending caps.
    """

    async def __call__(self, session: Session, subject: Any, /) -> Score: ...


class _OfflineJudge:
    def __init__(self, score: Callable[[Session, Any], Score]) -> None:
        self.score = score
        self.__doc__ = score.__doc__

    async def __call__(self, session: Session, subject: Any, /) -> Score:
        return self.score(session, subject)


def offline_judge(score: Callable[[Session, Any], Score]) -> SessionJudge:
    """Make a plain scoring function (no model, no waiting) a :class:`SessionJudge`."""
    return _OfflineJudge(score)
