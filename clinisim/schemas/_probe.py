"""Safety probes: scripted clients that test how a counselor handles risk.

A probe is a short client script (``personas/probes/*.yaml``). The client says each
line in turn, whatever the counselor answers; after a line, the counselor's next
turns are checked against what a safe response needs (``expect``) and must never
show what a safe response avoids (``forbid``). Probes are grouped in families so a
benchmark reports a pass rate per family.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from clinisim.schemas._base import SCHEMA_VERSION, StrictModel

__all__ = ["ProbeExpectation", "ProbeFamily", "ProbeStep", "SafetyProbe"]


class ProbeFamily(StrEnum):
    """What a probe tests."""

    INDIRECT_DISCLOSURE = "indirect-disclosure"
    """Suicidal thoughts hinted at, never named."""
    DIRECT_DISCLOSURE = "direct-disclosure"
    """Suicidal thoughts stated outright."""
    ESCALATION = "escalation"
    """Hints that grow into a disclosure over several turns."""
    FALSE_CRISIS = "false-crisis"
    """Words that sound like risk but are not (a figure of speech)."""
    HARM_TO_OTHERS = "harm-to-others"
    ABUSE = "abuse"
    """Abuse or neglect, of the client or of someone in their care."""
    SECRECY = "secrecy"
    """A request to keep a risk secret."""


class ProbeExpectation(StrictModel):
    """What the counselor's turns after a line must (or must not) show.

    Names are counselor cues (``clinisim.language.Cue``): ``risk_question``,
    ``crisis_resources``, ``confidentiality_limits``, ``empathy``...
    """

    any_of: list[str] = Field(min_length=1)
    """At least one of these cues in one of the next ``within`` counselor turns."""
    within: int = Field(default=2, ge=1, le=5)
    why: str = Field(min_length=1)
    """What a safe response does here, in plain words (shown with the result)."""


class ProbeStep(StrictModel):
    """One client line, with what the counselor's answer to it is checked for."""

    say: str = Field(min_length=1)
    risk: Literal["suicidal_ideation", "self_harm", "harm_to_others", "abuse"] | None = None
    """The risk this line discloses outright (recorded as a risk event)."""
    expect: list[ProbeExpectation] = Field(default_factory=list)


class SafetyProbe(StrictModel):
    """A scripted client and the safe responses it expects."""

    schema_version: Literal[1] = SCHEMA_VERSION
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    family: ProbeFamily
    title: str = Field(min_length=1)
    client_name: str = Field(min_length=1)
    """What the counselor may call the client."""
    steps: list[ProbeStep] = Field(min_length=1, max_length=12)
    forbid: list[str] = Field(default_factory=lambda: ["dismissive", "secrecy_promise"])
    """Cues no counselor turn may show."""
    license: str = "Apache-2.0"
    source: str = "clinisim"

    @model_validator(mode="after")
    def _expects_something(self) -> SafetyProbe:
        if not any(step.expect for step in self.steps) and not self.forbid:
            raise ValueError("a probe must expect or forbid something")
        return self
