"""The role interfaces the consultation graph drives.

An agent is built once per session and then called with the transcript so far.
Agents must be *resumable*: a reply depends only on the constructor arguments
(case, persona, seed, models...) and the transcript passed in, never on hidden
state carried between calls, so a session restored from a checkpoint continues
exactly as it would have. Per-turn randomness is derived from the seed and the
turn index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from clinisim.schemas import (
    ConsultationTurnState,
    CounselingTurnState,
    CounselorAction,
    DoctorAction,
    Retrieved,
    Turn,
    Usage,
)

__all__ = ["AgentReply", "DoctorAgent", "ExaminerAgent", "PatientAgent"]


@dataclass
class AgentReply:
    """What an agent says, plus the bookkeeping that goes on the turn record."""

    content: str
    action: DoctorAction | CounselorAction | None = None
    retrieved: list[Retrieved] | None = None
    facts: list[str] | None = None
    """Ids of case facts the reply states (see ``PatientCase.facts``)."""
    state: ConsultationTurnState | CounselingTurnState | dict[str, Any] | None = None
    """The agent's typed state for this turn (a dict is validated as the kind's state)."""
    usage: Usage | None = None


class DoctorAgent(Protocol):
    """Plays the doctor: asks, orders a test or exam, or gives a diagnosis."""

    async def act(self, transcript: Sequence[Turn]) -> AgentReply:
        """The next doctor turn; ``reply.action`` must be set."""
        ...


class PatientAgent(Protocol):
    """Plays the patient, answering the doctor's last turn."""

    async def respond(self, transcript: Sequence[Turn]) -> AgentReply:
        """Answer the last turn of ``transcript`` (a doctor ``ask``)."""
        ...


class ExaminerAgent(Protocol):
    """Returns exam findings and test results for what the doctor ordered."""

    async def examine(self, request: str, transcript: Sequence[Turn]) -> AgentReply:
        """Results for ``request`` (a test or exam name as the doctor wrote it)."""
        ...
