"""The session record: one JSON document per session (see DESIGN.md's contract)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Discriminator, Field, Tag

from clinisim.schemas._base import SCHEMA_VERSION, StrictModel

__all__ = [
    "DISCLOSURE_ORDER",
    "ActionKind",
    "ConsultationOutcome",
    "ConsultationTurnState",
    "CounselingOutcome",
    "CounselingTurnState",
    "CounselorAction",
    "CounselorMove",
    "DisclosureLevel",
    "DoctorAction",
    "Emotion",
    "Formulation",
    "ItemResult",
    "QuestionnaireResult",
    "Retrieved",
    "RiskEvent",
    "Role",
    "Score",
    "Session",
    "SessionError",
    "SessionOutcome",
    "SessionStage",
    "TerminationReason",
    "Turn",
    "TurnAction",
    "TurnState",
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
    """Why a session ended. Named constants, never scattered strings.

    Every reason but ``interrupted`` is final: a resumed run never runs such a
    session again.
    """

    DIAGNOSIS_GIVEN = "diagnosis_given"
    TURN_BUDGET = "turn_budget"
    ERROR = "error"
    BUDGET_EXCEEDED = "budget_exceeded"
    INTERRUPTED = "interrupted"
    COUNSELOR_CLOSED = "counselor_closed"
    """The counselor ended the session."""
    CLIENT_LEFT = "client_left"
    """The client walked out (resistance too high, trust too low)."""
    IMPORTED = "imported"
    """A transcript made elsewhere, imported whole (``clinisim sessions import``)."""

    @property
    def is_final(self) -> bool:
        """Whether a session that ended for this reason is done (only ``interrupted`` is not)."""
        return self is not TerminationReason.INTERRUPTED


def _kind_tag(default: str) -> Any:
    """A discriminator reading ``kind`` from a dict or a model; records without one
    (written before counseling existed) are ``default``."""

    def tag(value: Any) -> str:
        if isinstance(value, dict):
            return str(value.get("kind") or default)
        return str(getattr(value, "kind", default))

    return Discriminator(tag)


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


class CounselorMove(StrEnum):
    """What a counselor's turn does, in CBT session terms."""

    AGENDA = "agenda"
    MOOD_CHECK = "mood_check"
    EXPLORE = "explore"
    ELICIT_THOUGHT = "elicit_thought"
    SOCRATIC = "socratic"
    REFLECT = "reflect"
    SUMMARY = "summary"
    HOMEWORK = "homework"
    RISK_CHECK = "risk_check"
    CRISIS_RESPONSE = "crisis_response"
    CONFIDENTIALITY = "confidentiality"
    """Explains the limits of confidentiality (asked to keep a secret)."""
    ADVICE = "advice"
    CLOSE = "close"
    OTHER = "other"


class CounselorAction(StrictModel):
    """The counselor's turn: what it says and the move it makes."""

    kind: Literal["counseling"] = "counseling"
    move: CounselorMove = CounselorMove.OTHER
    closes: bool = False
    """The counselor ends the session with this turn."""


def _action_kind(value: Any) -> str:
    # A doctor's action uses ``kind`` for what it does (ask, order, diagnose), so the
    # session kind is told by the counselor's own tag.
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return "counseling" if kind == "counseling" else "consultation"


TurnAction = Annotated[
    Annotated[DoctorAction, Tag("consultation")] | Annotated[CounselorAction, Tag("counseling")],
    Discriminator(_action_kind),
]
"""A turn's action, by session kind."""


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


class ConsultationTurnState(StrictModel):
    """What a consultation agent noted on its turn (every field optional, by role).

    Extra keys are kept: a record from another version of an agent still loads.
    """

    model_config = ConfigDict(extra="allow", validate_assignment=True)

    kind: Literal["consultation"] = "consultation"
    # doctor
    asked: list[str] | None = None
    targeted: list[str] | None = None
    ordered: list[str] | str | None = None
    """The doctor's orders so far (a list); on an examiner turn, the order it answered."""
    examined: bool | None = None
    targeted_turns: int | None = None
    differential: list[dict[str, Any]] | None = None
    # patient
    persona: dict[str, str | None] | None = None
    disclosed: list[str] | None = None
    # examiner
    matched: list[str | None] | None = None
    refused: str | None = None


class Emotion(StrEnum):
    """The client's felt emotion: a fixed label set, so states compare across sessions."""

    CALM = "calm"
    SAD = "sad"
    ANXIOUS = "anxious"
    ANGRY = "angry"
    ASHAMED = "ashamed"
    HOPELESS = "hopeless"
    GUILTY = "guilty"
    NUMB = "numb"
    HOPEFUL = "hopeful"
    RELIEVED = "relieved"


class DisclosureLevel(StrEnum):
    """Layers of the cognitive model, from surface to deepest."""

    SURFACE = "surface"
    """The reason for coming and the presenting problem."""
    SITUATIONS = "situations"
    """A situation, with its emotions and behaviour."""
    THOUGHTS = "thoughts"
    """Automatic thoughts."""
    BELIEFS = "beliefs"
    """Intermediate and core beliefs, history."""
    RISK = "risk"
    """Risk (suicidal ideation, self-harm, harm to others, abuse)."""


DISCLOSURE_ORDER: tuple[DisclosureLevel, ...] = tuple(DisclosureLevel)


class SessionStage(StrEnum):
    """Where a counseling session is."""

    OPENING = "opening"
    ASSESSMENT = "assessment"
    WORKING = "working"
    CLOSING = "closing"


class CounselingTurnState(StrictModel):
    """The client's inner state after a turn (logged on every turn of a counseling session)."""

    kind: Literal["counseling"] = "counseling"
    emotion: Emotion
    intensity: float = Field(ge=0.0, le=1.0)
    trust: float = Field(ge=0.0, le=1.0)
    resistance: float = Field(ge=0.0, le=1.0)
    disclosure: DisclosureLevel = DisclosureLevel.SURFACE
    """The deepest layer revealed so far."""
    stage: SessionStage = SessionStage.OPENING
    reaction: list[str] = Field(default_factory=list)
    """Why the state moved on this turn (the rules that fired), for review."""
    disclosed: list[str] = Field(default_factory=list)
    """Profile statements (chunk ids) made on this turn."""
    leaves: bool = False
    """The client walks out with this turn."""


TurnState = Annotated[
    Annotated[ConsultationTurnState, Tag("consultation")]
    | Annotated[CounselingTurnState, Tag("counseling")],
    _kind_tag("consultation"),
]
"""A turn's agent state, by session kind."""


class Turn(StrictModel):
    """One utterance in the transcript."""

    index: int
    role: Role
    content: str
    action: TurnAction | None = None
    retrieved: list[Retrieved] | None = None
    facts: list[str] | None = None
    """Ids of the case facts this reply states (offline engine), for grounding checks."""
    state: TurnState | None = None
    usage: Usage | None = None


class ConsultationOutcome(StrictModel):
    """What a consultation concluded."""

    kind: Literal["consultation"] = "consultation"
    diagnosis_given: str | None = None
    differential_given: list[str] = Field(default_factory=list)
    gold_diagnosis: str
    correct: bool | None = None
    """Top-1 matches the gold name or a synonym; ``None`` when no diagnosis was given."""
    matched_name: str | None = None
    tests_ordered: list[str] = Field(default_factory=list)


class QuestionnaireResult(StrictModel):
    """One questionnaire filled in by the client (PHQ-9, GAD-7)."""

    name: str
    items: list[int] | None = None
    """Item answers 0–3 in order; ``None`` when the reply could not be parsed."""
    total: int | None = None
    status: Literal["scored", "unscored"] = "scored"
    detail: str = ""


class RiskEvent(StrictModel):
    """A risk disclosure during a counseling session."""

    turn: int
    flag: str
    """``suicidal_ideation``, ``self_harm``, ``harm_to_others`` or ``abuse``."""
    level: str | None = None
    handled: bool | None = None
    """Whether the counselor responded with risk questions or crisis resources."""


class Formulation(StrictModel):
    """What a counselor (a model, the offline engine, or a trainee) concludes about a
    client's cognitive model, to be compared with the hidden one in the profile."""

    core_belief_categories: list[Literal["helpless", "unlovable", "worthless"]] = Field(
        default_factory=list
    )
    emotions: list[Emotion] = Field(default_factory=list)
    situation: str = ""
    automatic_thought: str = ""
    behavior: str = ""
    author: str = ""
    """Who wrote it: a model string, ``offline``, or a trainee's name."""


class CounselingOutcome(StrictModel):
    """What a counseling session showed."""

    kind: Literal["counseling"] = "counseling"
    before: list[QuestionnaireResult] = Field(default_factory=list)
    after: list[QuestionnaireResult] = Field(default_factory=list)
    trust: list[float] = Field(default_factory=list)
    """Trust after each client turn."""
    deepest_disclosure: DisclosureLevel = DisclosureLevel.SURFACE
    risk_events: list[RiskEvent] = Field(default_factory=list)
    homework: str | None = None
    session_number: int = 1
    formulation: Formulation | None = None
    """The counselor's written formulation, asked for after the session."""
    formulation_error: str | None = None
    """Why there is none: a human counselor, or a model reply that failed to parse."""


SessionOutcome = Annotated[
    Annotated[ConsultationOutcome, Tag("consultation")]
    | Annotated[CounselingOutcome, Tag("counseling")],
    _kind_tag("consultation"),
]
"""A session's outcome, by kind."""


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
    kind: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    """``consultation``, ``counseling``, or a plug-in kind's name (its turns and outcome
    use the record's existing types)."""
    case_id: str
    """The case (consultation) or client (counseling) played."""
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
    outcome: SessionOutcome | None = None
    usage: dict[str, Usage] = Field(default_factory=dict)
    scores: list[Score] = Field(default_factory=list)
    error: SessionError | None = None

    def diagnosis_turn(self) -> tuple[Turn, DoctorAction] | None:
        """The doctor's last diagnosis and its turn, if one was given."""
        for turn in reversed(self.turns):
            action = turn.action
            if isinstance(action, DoctorAction) and action.kind is ActionKind.DIAGNOSE:
                return turn, action
        return None

    @property
    def consultation(self) -> ConsultationOutcome | None:
        """The outcome when it is a consultation's."""
        return self.outcome if isinstance(self.outcome, ConsultationOutcome) else None

    @property
    def counseling(self) -> CounselingOutcome | None:
        """The outcome when it is a counseling session's."""
        return self.outcome if isinstance(self.outcome, CounselingOutcome) else None
