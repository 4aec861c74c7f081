"""The counseling graph's state: plain JSON-able data, so checkpoints stay portable."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

__all__ = ["CounselingState"]


class CounselingState(TypedDict, total=False):
    """State of one counseling session.

    ``turns`` holds ``Turn`` records as dicts and only grows; the client's state
    after each of its turns is on that turn. ``events`` are risk disclosures.
    """

    meta: dict[str, Any]
    turns: Annotated[list[dict[str, Any]], operator.add]
    counselor_turns: int
    pending: dict[str, Any] | None
    """``{"closes": true}`` after a counselor turn that ends the session."""
    events: Annotated[list[dict[str, Any]], operator.add]
    before: list[dict[str, Any]] | None
    """Questionnaires filled in before the session."""
    after: list[dict[str, Any]] | None
    failed_usage: Annotated[list[dict[str, Any]], operator.add]
    """Usage of model calls that are on no turn: failed calls, the formulation."""
    formulation: dict[str, Any] | None
    formulation_error: str | None
    termination_reason: str | None
    error: dict[str, Any] | None
