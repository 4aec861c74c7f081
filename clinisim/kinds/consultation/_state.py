"""The consultation graph's state: plain JSON-able data, so checkpoints stay portable."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

__all__ = ["ConsultationState"]


class ConsultationState(TypedDict, total=False):
    """State of one consultation.

    ``turns`` holds ``Turn`` records as dicts and only ever grows (reducer: append).
    ``meta`` holds what is needed to rebuild the agents on resume: case id, persona,
    seed, models, budgets. Nodes return partial updates; routing reads ``pending``.
    """

    meta: dict[str, Any]
    turns: Annotated[list[dict[str, Any]], operator.add]
    doctor_turns: int
    tests_ordered: Annotated[list[str], operator.add]
    pending: dict[str, Any] | None
    """The doctor's last action (a ``DoctorAction`` dict) awaiting a reply."""
    failed_usage: Annotated[list[dict[str, Any]], operator.add]
    """Usage of model calls that produced no turn (a reply that stayed unusable)."""
    termination_reason: str | None
    error: dict[str, Any] | None
