"""The doctor played by a language model: the model under evaluation."""

from __future__ import annotations

from collections.abc import Sequence

from clinisim.agents._chat_model import ChatModel, Message
from clinisim.agents._doctor_action import parse_doctor_action
from clinisim.agents._prompt import PromptTemplate
from clinisim.agents._protocols import AgentReply
from clinisim.schemas import ActionKind, DoctorAction, Role, Turn

__all__ = ["AGENTCLINIC_DOCTOR_PROMPT", "DOCTOR_PROMPT", "LLMDoctor"]

DOCTOR_PROMPT = PromptTemplate.load("doctor", "1", __file__)

AGENTCLINIC_DOCTOR_PROMPT = PromptTemplate.load("doctor-agentclinic", "1", __file__)
"""The AgentClinic protocol: tags only, so published accuracies compare like for like."""

_OPENING = "The patient has just come in. Begin the consultation."


class LLMDoctor:
    """A ``DoctorAgent`` backed by a chat model. On its last turn it must diagnose."""

    prompt = DOCTOR_PROMPT

    def __init__(
        self, model: ChatModel, max_turns: int = 20, prompt: PromptTemplate = DOCTOR_PROMPT
    ) -> None:
        self.model = model
        self.max_turns = max_turns
        self.prompt = prompt
        self._system = self.prompt.render(max_turns=str(max_turns))

    async def act(self, transcript: Sequence[Turn]) -> AgentReply:
        """The next doctor turn."""
        action, usage = await self.model.chat(self.messages(transcript), parse_doctor_action)
        return AgentReply(content=_render(action), action=action, usage=usage)

    def messages(self, transcript: Sequence[Turn]) -> list[Message]:
        """The chat messages for the next doctor turn."""
        messages: list[Message] = [{"role": "system", "content": self._system}]
        messages.append({"role": "user", "content": _OPENING})
        for turn in transcript:
            if turn.role == Role.DOCTOR:
                messages.append({"role": "assistant", "content": turn.content})
            else:
                messages.append({"role": "user", "content": f"{turn.role.value}: {turn.content}"})
        done = sum(1 for t in transcript if t.role == Role.DOCTOR)
        if done + 1 >= self.max_turns:
            messages.append(
                {"role": "user", "content": "This is your last turn: reply DIAGNOSIS READY: ..."}
            )
        return messages


def _render(action: DoctorAction) -> str:
    if action.kind == ActionKind.ORDER:
        return f"REQUEST TEST: {action.test or action.text}"
    if action.kind == ActionKind.DIAGNOSE:
        return f"DIAGNOSIS READY: {action.diagnosis or action.text}"
    return action.text
