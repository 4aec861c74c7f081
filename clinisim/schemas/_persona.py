"""Patient persona: the four PatientSim axes plus an optional cognitive bias.

The enums here are the single source of truth for the axis values. The shipped
``personas/axes.yaml`` adds a description for each value (used in LLM prompts and
``clinisim cases show``) and is validated against these enums.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from clinisim.schemas._base import StrictModel

__all__ = [
    "PERSONA_AXES",
    "Bias",
    "Confusion",
    "LanguageProficiency",
    "Persona",
    "Personality",
    "Recall",
]


class Personality(StrEnum):
    PLAIN = "plain"
    VERBOSE = "verbose"
    PLEASING = "pleasing"
    IMPATIENT = "impatient"
    DISTRUST = "distrust"
    OVERANXIOUS = "overanxious"


class LanguageProficiency(StrEnum):
    A = "A"
    """Basic: short sentences, lay words only."""
    B = "B"
    """Intermediate."""
    C = "C"
    """Advanced: may use medical terms."""


class Recall(StrEnum):
    LOW = "low"
    HIGH = "high"


class Confusion(StrEnum):
    NORMAL = "normal"
    MODERATE = "moderate"
    HIGH = "high"


class Bias(StrEnum):
    """AgentClinic-style patient cognitive biases."""

    RECENCY = "recency"
    FREQUENCY = "frequency"
    FALSE_CONSENSUS = "false_consensus"
    SELF_DIAGNOSIS = "self_diagnosis"
    CULTURAL = "cultural"
    SOCIOECONOMIC = "socioeconomic"


class Persona(StrictModel):
    """How the simulated patient behaves. Defaults give a plain, fluent, reliable patient."""

    personality: Personality = Personality.PLAIN
    language: LanguageProficiency = LanguageProficiency.C
    recall: Recall = Recall.HIGH
    confusion: Confusion = Confusion.NORMAL
    bias: Bias | None = Field(default=None)

    def axis_values(self) -> dict[str, str | None]:
        """The axis values as plain strings, as recorded on a session."""
        return {
            "personality": self.personality.value,
            "language": self.language.value,
            "recall": self.recall.value,
            "confusion": self.confusion.value,
            "bias": self.bias.value if self.bias else None,
        }


PERSONA_AXES: dict[str, type[StrEnum]] = {
    "personality": Personality,
    "language": LanguageProficiency,
    "recall": Recall,
    "confusion": Confusion,
    "bias": Bias,
}
"""Axis name to its enum, in display order."""
