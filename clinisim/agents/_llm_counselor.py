"""The counselor played by a language model (the model under test in a counseling bench)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from pydantic import ValidationError

from clinisim.agents._chat_model import ChatModel, Message
from clinisim.agents._prompt import PromptTemplate
from clinisim.agents._protocols import AgentReply
from clinisim.agents._reply_quality import usable_utterance
from clinisim.schemas import CounselorAction, Emotion, Formulation, Role, Turn, Usage

__all__ = [
    "COUNSELOR_PROMPT",
    "END_TAG",
    "FORMULATION_PROMPT",
    "LLMCounselor",
    "parse_counselor_turn",
    "parse_formulation",
]

COUNSELOR_PROMPT = PromptTemplate.load("counselor", "1", __file__)
FORMULATION_PROMPT = PromptTemplate.load("formulation", "1", __file__)
_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def parse_formulation(text: str) -> Formulation | None:
    """A formulation from a model's JSON reply; ``None`` when it is not one (strict)."""
    match = _OBJECT.search(text)
    if not match:
        return None
    try:
        data = json.loads(match.group(0))
        return Formulation.model_validate(data) if isinstance(data, dict) else None
    except (json.JSONDecodeError, ValidationError):
        return None


END_TAG = "[END SESSION]"
_END = re.compile(r"\[\s*END\s+SESSION\s*\]", re.I)


def parse_counselor_turn(text: str) -> tuple[str, CounselorAction] | None:
    """The turn without the end tag, and whether it closes; ``None`` when unusable."""
    closes = bool(_END.search(text))
    said = usable_utterance(_END.sub("", text).strip())
    if said is None:
        return None
    return said, CounselorAction(closes=closes)


class LLMCounselor:
    """A ``CounselorAgent`` backed by a chat model."""

    prompt = COUNSELOR_PROMPT
    formulation_prompt = FORMULATION_PROMPT

    def __init__(
        self,
        model: ChatModel,
        client_name: str,
        *,
        max_turns: int = 20,
        session_number: int = 1,
        memory: str = "",
    ) -> None:
        self.model = model
        self.max_turns = max_turns
        self._system = self.prompt.render(
            name=client_name,
            session_number=str(session_number),
            memory=f"From earlier sessions: {memory}" if memory else "",
        )

    def messages(self, transcript: Sequence[Turn]) -> list[Message]:
        """The chat messages for the next counselor turn."""
        messages: list[Message] = [{"role": "system", "content": self._system}]
        for turn in transcript:
            role = "assistant" if turn.role is Role.COUNSELOR else "user"
            messages.append({"role": role, "content": turn.content})
        if not transcript:
            messages.append({"role": "user", "content": "(The client has just sat down.)"})
        done = sum(1 for t in transcript if t.role is Role.COUNSELOR)
        if done + 1 >= self.max_turns:
            messages.append(
                {"role": "user", "content": f"(This is your last turn: close with {END_TAG}.)"}
            )
        return messages

    async def act(self, transcript: Sequence[Turn]) -> AgentReply:
        """The next counselor turn."""
        (text, action), usage = await self.model.chat(
            self.messages(transcript), parse_counselor_turn
        )
        return AgentReply(content=text, action=action, usage=usage)

    async def formulate(self, transcript: Sequence[Turn]) -> tuple[Formulation, Usage]:
        """The counselor's formulation after the session, parsed strictly (a reply that
        fails is re-asked a bounded number of times, then ``RuntimeFailure``)."""
        lines = "\n".join(f"{t.role.value}: {t.content}" for t in transcript)
        prompt = self.formulation_prompt.render(
            transcript=lines, emotions=", ".join(f'"{e.value}"' for e in Emotion)
        )
        formulation, usage = await self.model.chat(
            [{"role": "user", "content": prompt}], parse_formulation
        )
        return formulation.model_copy(update={"author": self.model.model}), usage
