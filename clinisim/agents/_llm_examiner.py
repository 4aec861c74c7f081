"""The examiner played by a language model: reports findings the case lists."""

from __future__ import annotations

from collections.abc import Sequence

from clinisim.agents._chat_model import ChatModel, Message
from clinisim.agents._prompt import PromptTemplate
from clinisim.agents._protocols import AgentReply
from clinisim.agents._reply_quality import usable_utterance
from clinisim.schemas import PatientCase, Turn, Visibility

__all__ = ["EXAMINER_PROMPT", "LLMExaminer"]

EXAMINER_PROMPT = PromptTemplate.load("examiner", "1", __file__)


class LLMExaminer:
    """An ``ExaminerAgent`` backed by a chat model. It sees vitals, exam and tests only."""

    prompt = EXAMINER_PROMPT

    def __init__(self, case: PatientCase, model: ChatModel) -> None:
        self.case = case
        self.model = model
        findings = [
            f"- {f.label}: {f.text}"
            for f in case.visible_facts(Visibility.EXAMINER)
            if f.section in {"vitals", "physical_exam", "tests"}
        ]
        self._system = self.prompt.render(findings="\n".join(findings))

    async def examine(self, request: str, transcript: Sequence[Turn]) -> AgentReply:
        """Report the result of ``request``."""
        text, usage = await self.model.chat(self.messages(request), usable_utterance)
        return AgentReply(content=text, usage=usage, state={"ordered": request})

    def messages(self, request: str) -> list[Message]:
        """The chat messages for one order."""
        return [
            {"role": "system", "content": self._system},
            {"role": "user", "content": f"Order: {request}"},
        ]
