"""The patient played by a language model, grounded in the patient-visible profile.

The prompt holds the persona, the patient-visible facts of the case and the record
excerpts retrieved for the doctor's latest question. It is built only from facts
whose visibility is ``patient``: examiner-only findings and the hidden diagnosis
never reach it (a test checks this).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from clinisim.agents._chat_model import ChatModel, Message
from clinisim.agents._prompt import PromptTemplate
from clinisim.agents._protocols import AgentReply
from clinisim.agents._reply_quality import usable_utterance
from clinisim.schemas import PatientCase, Persona, Retrieved, Role, Turn, Visibility

if TYPE_CHECKING:
    from clinisim.store import RecordStore

__all__ = ["PATIENT_PROMPT", "LLMPatient", "patient_profile"]

PATIENT_PROMPT = PromptTemplate.load("patient", "1", __file__)


def patient_profile(case: PatientCase) -> str:
    """The patient-visible facts as bullet lines, records excluded (they are retrieved)."""
    lines = [
        f"- {fact.label}: {fact.text}"
        for fact in case.visible_facts(Visibility.PATIENT)
        if fact.section != "records"
    ]
    return "\n".join(lines)


def _persona_lines(persona: Persona, descriptions: dict[str, dict[str, str]]) -> str:
    lines: list[str] = []
    for axis, value in persona.axis_values().items():
        if value is None:
            continue
        text = descriptions.get(axis, {}).get(value, value)
        lines.append(f"- {axis}: {text}")
    return "\n".join(lines)


def _who(case: PatientCase) -> str:
    demo = case.demographics
    parts = [f"a {demo.age}-year-old {demo.sex}"]
    if demo.occupation:
        parts.append(f"working as a {demo.occupation}")
    return ", ".join(parts)


class LLMPatient:
    """A ``PatientAgent`` backed by a chat model."""

    prompt = PATIENT_PROMPT

    def __init__(
        self,
        case: PatientCase,
        persona: Persona,
        store: RecordStore,
        model: ChatModel,
        axis_descriptions: dict[str, dict[str, str]],
        k: int = 4,
    ) -> None:
        self.case = case
        self.persona = persona
        self.store = store
        self.model = model
        self.k = k
        self._who = _who(case)
        self._persona = _persona_lines(persona, axis_descriptions)
        self._profile = patient_profile(case)

    def system_prompt(self, question: str) -> tuple[str, list[Retrieved]]:
        """The system prompt for answering ``question``, and what was retrieved for it."""
        chunks = self.store.query(self.case.id, question, (Visibility.PATIENT,), k=self.k)
        # The store only holds patient collections for this query; re-check anyway so a
        # store bug can never leak an examiner-only chunk into the prompt.
        chunks = [c for c in chunks if c.visibility == Visibility.PATIENT]
        excerpts = "\n".join(f"- {c.label}: {c.text}" for c in chunks if c.section == "records")
        text = self.prompt.render(
            who=self._who,
            persona=self._persona,
            profile=self._profile,
            excerpts=excerpts or "- (none)",
        )
        retrieved = [
            Retrieved(chunk_id=c.chunk_id, fact_id=c.fact_id, distance=c.distance) for c in chunks
        ]
        return text, retrieved

    async def respond(self, transcript: Sequence[Turn]) -> AgentReply:
        """Answer the doctor's last turn."""
        messages, retrieved = self.messages(transcript)
        text, usage = await self.model.chat(messages, usable_utterance)
        return AgentReply(content=text, retrieved=retrieved, usage=usage)

    def messages(self, transcript: Sequence[Turn]) -> tuple[list[Message], list[Retrieved]]:
        """The chat messages answering the doctor's last turn, and what was retrieved."""
        question = transcript[-1].content if transcript else ""
        system, retrieved = self.system_prompt(question)
        messages: list[Message] = [{"role": "system", "content": system}]
        for turn in transcript:
            if turn.role == Role.DOCTOR:
                messages.append({"role": "user", "content": turn.content})
            elif turn.role == Role.PATIENT:
                messages.append({"role": "assistant", "content": turn.content})
        return messages, retrieved
