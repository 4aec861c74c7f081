"""A counseling client: a CBT cognitive model, life context, style, severity and risk.

Text fields are written in the client's own words (first person), as the client
would say them. Every field belongs to a disclosure layer (see ``FIELD_LAYERS``):

- ``surface``: said freely (the reason for coming, the problem, the goal, life
  context);
- ``situations``, ``thoughts``, ``beliefs``: emerge only as trust grows, in that
  order (a situation with its emotions and behaviour; the automatic thought; the
  history, intermediate and core beliefs, coping strategies);
- ``risk``: disclosed as each risk flag says (when asked directly, or with trust).

What is **hidden** is the formulation itself: which core-belief categories the
beliefs fall under, and how situation, thought, emotion and behaviour link up. A
counselor or trainee must infer it; no simulated client ever states a category.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from clinisim.schemas._base import SCHEMA_VERSION, StrictModel
from clinisim.schemas._session import DisclosureLevel, Emotion

__all__ = [
    "CORE_BELIEFS",
    "FIELD_LAYERS",
    "GAD7_BANDS",
    "LAYER_TRUST",
    "PHQ9_BANDS",
    "Attitude",
    "ClientDemographics",
    "ClientProfile",
    "CognitiveModel",
    "ConversationalStyle",
    "CoreBeliefs",
    "LifeContext",
    "PresentingConcern",
    "RiskFlag",
    "RiskKind",
    "Severity",
    "SeverityProfile",
    "Situation",
]


class ConversationalStyle(StrEnum):
    """How the client talks (Patient-Ψ's six styles)."""

    PLAIN = "plain"
    UPSET = "upset"
    VERBOSE = "verbose"
    RESERVED = "reserved"
    TANGENT = "tangent"
    PLEASING = "pleasing"


class Attitude(StrEnum):
    """The client's attitude toward counseling."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class Severity(StrEnum):
    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


PHQ9_BANDS: dict[Severity, tuple[int, int]] = {
    Severity.NONE: (0, 4),
    Severity.MILD: (5, 9),
    Severity.MODERATE: (10, 14),
    Severity.SEVERE: (15, 27),
}
"""PHQ-9 totals per severity (moderately severe, 15–19, is counted as severe)."""

GAD7_BANDS: dict[Severity, tuple[int, int]] = {
    Severity.NONE: (0, 4),
    Severity.MILD: (5, 9),
    Severity.MODERATE: (10, 14),
    Severity.SEVERE: (15, 21),
}

CORE_BELIEFS: dict[str, tuple[str, ...]] = {
    "helpless": (
        "I am incompetent",
        "I am helpless",
        "I am powerless, weak, vulnerable",
        "I am a victim",
        "I am needy",
        "I am trapped",
        "I am out of control",
        "I am a failure, loser",
        "I am defective",
    ),
    "unlovable": (
        "I am unlovable",
        "I am unattractive",
        "I am undesirable, unwanted",
        "I am bound to be rejected",
        "I am bound to be abandoned",
        "I am bound to be alone",
    ),
    "worthless": (
        "I am worthless, waste",
        "I am immoral",
        "I am bad - dangerous, toxic, evil",
        "I don't deserve to live",
    ),
}
"""The fixed option lists of core beliefs, by category (the categories are hidden)."""

FIELD_LAYERS: dict[str, DisclosureLevel] = {
    "presenting.reason": DisclosureLevel.SURFACE,
    "presenting.problem": DisclosureLevel.SURFACE,
    "presenting.goal": DisclosureLevel.SURFACE,
    "demographics": DisclosureLevel.SURFACE,
    "life": DisclosureLevel.SURFACE,
    "situation": DisclosureLevel.SITUATIONS,
    "emotions": DisclosureLevel.SITUATIONS,
    "behavior": DisclosureLevel.SITUATIONS,
    "automatic_thought": DisclosureLevel.THOUGHTS,
    "history": DisclosureLevel.BELIEFS,
    "intermediate_belief": DisclosureLevel.BELIEFS,
    "intermediate_belief_depression": DisclosureLevel.BELIEFS,
    "coping_strategies": DisclosureLevel.BELIEFS,
    "core_belief": DisclosureLevel.BELIEFS,
    "risk": DisclosureLevel.RISK,
}
"""The disclosure layer of every client field: the one source of who may hear what."""

LAYER_TRUST: dict[DisclosureLevel, float] = {
    DisclosureLevel.SURFACE: 0.0,
    DisclosureLevel.SITUATIONS: 0.3,
    DisclosureLevel.THOUGHTS: 0.45,
    DisclosureLevel.BELIEFS: 0.6,
    DisclosureLevel.RISK: 0.7,
}
"""The trust a layer needs before the client opens it (risk: unless asked directly
and the flag says the client answers a direct question)."""


class ClientDemographics(StrictModel):
    age: int = Field(ge=12, le=110)
    sex: Literal["female", "male", "intersex", "unspecified"]
    gender: str | None = None
    occupation: str | None = None


class LifeContext(StrictModel):
    """The client's life, in their own words; each is said freely when asked."""

    work: str | None = None
    relationships: str | None = None
    supports: str | None = None
    sleep: str | None = None
    exercise: str | None = None


class PresentingConcern(StrictModel):
    reason: str = Field(min_length=1)
    """Why they came now."""
    problem: str = Field(min_length=1)
    goal: str = Field(min_length=1)


class Situation(StrictModel):
    """One situation of the cognitive model."""

    situation: str = Field(min_length=1)
    automatic_thought: str = Field(min_length=1)
    emotions: list[Emotion] = Field(min_length=1)
    behavior: str = Field(min_length=1)


class CoreBeliefs(StrictModel):
    """Core beliefs by category; each entry is one of ``CORE_BELIEFS[category]``."""

    helpless: list[str] = Field(default_factory=list)
    unlovable: list[str] = Field(default_factory=list)
    worthless: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _from_the_option_lists(self) -> CoreBeliefs:
        for category, options in CORE_BELIEFS.items():
            for belief in getattr(self, category):
                if belief not in options:
                    raise ValueError(
                        f"{category}: {belief!r} is not one of the {category} core beliefs "
                        f"({'; '.join(options)})"
                    )
        if not (self.helpless or self.unlovable or self.worthless):
            raise ValueError("at least one core belief is needed")
        return self

    def categories(self) -> list[str]:
        """The categories with at least one belief (hidden from every simulated role)."""
        return [c for c in CORE_BELIEFS if getattr(self, c)]

    def all(self) -> list[str]:
        """Every core belief, category order."""
        return [b for c in CORE_BELIEFS for b in getattr(self, c)]


class CognitiveModel(StrictModel):
    """The CBT cognitive conceptualization."""

    history: str = Field(min_length=1)
    core_beliefs: CoreBeliefs
    core_belief_words: str = Field(min_length=1)
    """How the client voices the core belief when it finally comes out."""
    intermediate_belief: str = Field(min_length=1)
    intermediate_belief_depression: str | None = None
    """The rule or assumption they hold while depressed, if different."""
    coping_strategies: str = Field(min_length=1)
    situations: list[Situation] = Field(min_length=1)


class SeverityProfile(StrictModel):
    """Depression and anxiety severity with the PHQ-9 and GAD-7 answers that show it."""

    depression: Severity
    anxiety: Severity
    phq9: list[int] = Field(min_length=9, max_length=9)
    gad7: list[int] = Field(min_length=7, max_length=7)

    @field_validator("phq9", "gad7")
    @classmethod
    def _item_range(cls, items: list[int]) -> list[int]:
        if any(not 0 <= i <= 3 for i in items):
            raise ValueError("each item is answered 0 to 3")
        return items

    @model_validator(mode="after")
    def _consistent(self) -> SeverityProfile:
        for name, total, severity, bands in (
            ("phq9", sum(self.phq9), self.depression, PHQ9_BANDS),
            ("gad7", sum(self.gad7), self.anxiety, GAD7_BANDS),
        ):
            low, high = bands[severity]
            if not low <= total <= high:
                raise ValueError(
                    f"{name} totals {total}, outside {low}–{high} for {severity.value} severity"
                )
        return self


class RiskKind(StrEnum):
    SUICIDAL_IDEATION = "suicidal_ideation"
    SELF_HARM = "self_harm"
    HARM_TO_OTHERS = "harm_to_others"
    ABUSE = "abuse"


class RiskFlag(StrictModel):
    """A risk the client carries, and when and how they disclose it."""

    kind: RiskKind
    level: Literal["low", "moderate", "high"]
    """Low: passive thoughts; moderate: active thoughts, no plan; high: plan or intent."""
    disclosed: Literal["when_asked", "with_trust", "spontaneous"]
    """``when_asked``: answers a direct question truthfully at any trust;
    ``with_trust``: only once trust reaches the risk layer; ``spontaneous``: brings
    it up unprompted once trust reaches it."""
    says: str = Field(min_length=1)
    """The client's words when disclosing."""
    cue: str | None = None
    """A hint dropped earlier (a cue a good counselor should pick up)."""


class ClientProfile(StrictModel):
    """One simulated counseling client (``personas/clients/<id>.yaml``)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    """A one-line description for listings (shown to the counselor)."""
    topics: list[str] = Field(min_length=1)
    """What the case is about: depression, generalised-anxiety, panic, grief..."""
    demographics: ClientDemographics
    life: LifeContext = Field(default_factory=LifeContext)
    presenting: PresentingConcern
    cognitive_model: CognitiveModel
    style: ConversationalStyle = ConversationalStyle.PLAIN
    attitude: Attitude = Attitude.NEUTRAL
    severity: SeverityProfile
    risks: list[RiskFlag] = Field(default_factory=list)
    license: str = "Apache-2.0"
    source: str = "clinisim"

    @property
    def risk_level(self) -> str:
        """The highest risk level, or ``none``."""
        order = ["low", "moderate", "high"]
        levels = [r.level for r in self.risks]
        return max(levels, key=order.index) if levels else "none"
