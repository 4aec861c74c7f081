"""The session record: one JSON document per session (see DESIGN.md's contract)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from clinisim.schemas._base import SCHEMA_VERSION, StrictModel

__all__ = [
    "ActionKind",
    "ConsultationOutcome",
    "DoctorAction",
    "ItemResult",
    "Retrieved",
    "Role",
    "Score",
    "Session",
    "SessionError",
    "TerminationReason",
    "Turn",
    "Usage",
    "utc_now",
]


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Role(StrEnum):
    DOCTOR = "doctor"
    PATIENT = "patient"
    EXAMINER = "examiner"
    JUDGE = "judge"
    COUNSELOR = "counselor"
    CLIENT = "client"
    SYSTEM = "system"


class TerminationReason(StrEnum):
    """Why a session ended. Named constants, never scattered strings."""

    DIAGNOSIS_GIVEN = "diagnosis_given"
    TURN_BUDGET = "turn_budget"
    ERROR = "error"
    BUDGET_EXCEEDED = "budget_exceeded"
    INTERRUPTED = "interrupted"


class ActionKind(StrEnum):
    ASK = "ask"
    ORDER = "order"
    """Order a test or a physical exam."""
    DIAGNOSE = "diagnose"


class DoctorAction(StrictModel):
    """The doctor's turn, parsed into what it does."""

    kind: ActionKind
    text: str = ""
    """What is said to the patient (ask), or the doctor's words around the action."""
    test: str | None = None
    """For ``order``: the test or exam requested, as the doctor named it."""
    diagnosis: str | None = None
    """For ``diagnose``: the top diagnosis."""
    differential: list[str] = Field(default_factory=list)
    """For ``diagnose``: a ranked list, the top diagnosis first."""


class Usage(StrictModel):
    """Token usage and cost of a role's model calls."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    """Known only when litellm has a price for the model; ``None`` means unknown."""
    calls: int = 0
    cache_hits: int = 0
    """Calls answered from the response cache: they cost no tokens and no money."""

    def add(self, other: Usage) -> Usage:
        """The sum of two usages; the cost stays unknown only if both are unknown."""
        cost: float | None
        if self.cost_usd is None and other.cost_usd is None:
            cost = None
        else:
            cost = (self.cost_usd or 0.0) + (other.cost_usd or 0.0)
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=cost,
            calls=self.calls + other.calls,
            cache_hits=self.cache_hits + other.cache_hits,
        )

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens


class Retrieved(StrictModel):
    """A chunk the speaker retrieved from the record store for this turn."""

    chunk_id: str
    fact_id: str
    distance: float


class Turn(StrictModel):
    """One utterance in the transcript."""

    index: int
    role: Role
    content: str
    action: DoctorAction | None = None
    retrieved: list[Retrieved] | None = None
    facts: list[str] | None = None
    """Ids of the case facts this reply states (offline engine), for grounding checks."""
    state: dict[str, Any] | None = None
    usage: Usage | None = None


class ConsultationOutcome(StrictModel):
    """What a consultation concluded."""

    diagnosis_given: str | None = None
    differential_given: list[str] = Field(default_factory=list)
    gold_diagnosis: str
    correct: bool | None = None
    """Top-1 matches the gold name or a synonym; ``None`` when no diagnosis was given."""
    matched_name: str | None = None
    tests_ordered: list[str] = Field(default_factory=list)


class ItemResult(StrictModel):
    """One rubric item's result."""

    id: str
    criterion: str = ""
    met: bool | None = None
    value: float | None = None
    points: float | None = None
    tags: list[str] = Field(default_factory=list)
    """The rubric item's tags (``axis:...``, ``theme:...``), for aggregates by axis."""
    explanation: str = ""
    evidence: list[int] = Field(default_factory=list)
    """Indices of the turns that evidence the result."""
    status: Literal["scored", "unscored"] = "scored"


class Score(StrictModel):
    """One rubric's or judge's result on a session."""

    name: str
    version: str
    judge_model: str
    prompt_hash: str | None = None
    value: float | None
    """``None`` when the judge could not score (status ``unscored``)."""
    status: Literal["scored", "unscored"] = "scored"
    items: list[ItemResult] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)


class SessionError(StrictModel):
    """Why a session failed. The partial transcript stays on the session."""

    type: str
    message: str
    role: Role | None = None


class Session(StrictModel):
    """A complete or partial session record."""

    schema_version: Literal[1] = SCHEMA_VERSION
    session_id: str
    kind: Literal["consultation", "counseling"]
    case_id: str
    persona: dict[str, str | None]
    models: dict[str, str]
    """Role to model string. Never holds keys: api keys are read from the environment."""
    seed: int
    started_at: datetime = Field(default_factory=utc_now)
    ended_at: datetime | None = None
    config: dict[str, Any] = Field(default_factory=dict)
    """Budgets and options: ``max_turns``, ``max_tests``, ``api_base``..."""
    prompt_hashes: dict[str, str] = Field(default_factory=dict)
    kit_version: str = ""
    turns: list[Turn] = Field(default_factory=list)
    termination_reason: TerminationReason | None = None
    outcome: ConsultationOutcome | None = None
    usage: dict[str, Usage] = Field(default_factory=dict)
    scores: list[Score] = Field(default_factory=list)
    error: SessionError | None = None
