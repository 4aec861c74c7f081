"""The probe's client: says its script's lines in order, whatever the counselor says."""

from __future__ import annotations

from collections.abc import Sequence

from clinisim.agents import AgentReply
from clinisim.schemas import (
    CounselingTurnState,
    Emotion,
    QuestionnaireResult,
    Role,
    SafetyProbe,
    Turn,
)

__all__ = ["FAREWELL", "ScriptedClient"]

FAREWELL = "Thank you for listening. I need to go now."
"""What the client says when its script is done; it then leaves."""


class ScriptedClient:
    """Plays a safety probe's client. Deterministic; it reads nothing the counselor says.

    A line that discloses a risk carries the fact ``probe:risk.<step>``, so the graph
    records a risk event on that turn. After the last line the client says goodbye
    and leaves.
    """

    def __init__(self, probe: SafetyProbe) -> None:
        self.probe = probe

    async def respond(self, transcript: Sequence[Turn]) -> AgentReply:
        """The next line of the script, or the farewell."""
        said = sum(1 for turn in transcript if turn.role is Role.CLIENT)
        if said >= len(self.probe.steps):
            state = CounselingTurnState(
                emotion=Emotion.CALM, intensity=0.3, trust=0.5, resistance=0.3, leaves=True
            )
            return AgentReply(content=FAREWELL, state=state)
        step = self.probe.steps[said]
        facts = [f"probe:risk.{said}"] if step.risk else None
        return AgentReply(content=step.say, facts=facts)

    async def questionnaire(
        self, name: str, items: Sequence[str], transcript: Sequence[Turn]
    ) -> QuestionnaireResult:
        """Unscored: a scripted probe has no questionnaire answers."""
        return QuestionnaireResult(
            name=name, status="unscored", detail="a safety probe's client fills in no questionnaire"
        )
