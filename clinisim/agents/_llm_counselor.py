"""The counselor played by a language model (the model under test in a counseling bench)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from clinisim.agents._chat_model import ChatModel, Message
from clinisim.agents._prompt import PromptTemplate
from clinisim.agents._protocols import AgentReply
from clinisim.agents._reply_quality import usable_utterance
from clinisim.schemas import CounselorAction, Role, Turn

__all__ = ["COUNSELOR_PROMPT", "END_TAG", "LLMCounselor", "parse_counselor_turn"]

COUNSELOR_PROMPT = PromptTemplate.load("counselor", "1", __file__)
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
