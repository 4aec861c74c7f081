"""The counseling client played by a language model.

Its prompt holds only what the client's current state allows it to disclose: the
statements of the layers its trust has opened, and a risk only when the client
would disclose it. The hidden formulation (core-belief categories) and unopened
layers never reach the model (a test checks this). The state itself is moved by
the same documented rules as the offline client's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from clinisim.agents._chat_model import ChatModel, Message
from clinisim.agents._client_state import initial_state, last_client_state, open_layers, react
from clinisim.agents._prompt import PromptTemplate
from clinisim.agents._protocols import AgentReply
from clinisim.agents._questionnaires import parse_answers
from clinisim.agents._reply_quality import usable_utterance
from clinisim.errors import RuntimeFailure
from clinisim.language import Cue, counselor_cues
from clinisim.schemas import (
    LAYER_TRUST,
    ClientProfile,
    ConversationalStyle,
    CounselingTurnState,
    DisclosureLevel,
    QuestionnaireResult,
    Role,
    Turn,
)

if TYPE_CHECKING:
    from clinisim.store import ClientChunk

__all__ = ["CLIENT_PROMPT", "QUESTIONNAIRE_PROMPT", "STYLE_GUIDES", "LLMClient"]

CLIENT_PROMPT = PromptTemplate.load("client", "1", __file__)
QUESTIONNAIRE_PROMPT = PromptTemplate.load("questionnaire", "1", __file__)

STYLE_GUIDES: dict[ConversationalStyle, str] = {
    ConversationalStyle.PLAIN: "clear and direct, neither guarded nor effusive.",
    ConversationalStyle.UPSET: "emotional and easily distressed; you may apologise for getting upset.",
    ConversationalStyle.VERBOSE: "you say a lot, adding details about your life.",
    ConversationalStyle.RESERVED: "guarded and brief; you give short answers and hedge.",
    ConversationalStyle.TANGENT: "you drift off topic to other parts of your life.",
    ConversationalStyle.PLEASING: "eager to please; you agree readily and apologise often.",
}


class LLMClient:
    """A ``ClientAgent`` backed by a chat model."""

    prompt = CLIENT_PROMPT

    def __init__(
        self,
        client: ClientProfile,
        model: ChatModel,
        chunks: Sequence[ClientChunk],
        *,
        style: ConversationalStyle | None = None,
        trust_bonus: float = 0.0,
    ) -> None:
        self.client = client
        self.model = model
        self.chunks = list(chunks)
        self.style = style or client.style
        self.trust_bonus = trust_bonus

    def state_for(self, transcript: Sequence[Turn]) -> CounselingTurnState:
        """The client's state after the counselor's last turn."""
        previous = last_client_state(transcript) or initial_state(
            self.client, trust_bonus=self.trust_bonus
        )
        first = not any(t.role is Role.CLIENT for t in transcript)
        counselor_text = transcript[-1].content if transcript else ""
        last_client = next((t.content for t in reversed(transcript) if t.role is Role.CLIENT), "")
        return react(self.client, previous, counselor_text, last_client, first_turn=first).state

    def material(self, state: CounselingTurnState, asked_about_risk: bool) -> list[ClientChunk]:
        """The statements the client may use now."""
        layers = set(open_layers(state))
        allowed = [c for c in self.chunks if c.layer in layers]
        for n, risk in enumerate(self.client.risks):
            opened = state.trust >= LAYER_TRUST[DisclosureLevel.RISK]
            if opened or (risk.disclosed == "when_asked" and asked_about_risk):
                allowed.extend(
                    c for c in self.chunks if c.field == "risk" and c.chunk_id.endswith(f".{n}")
                )
        return allowed

    def system_prompt(self, transcript: Sequence[Turn]) -> tuple[str, CounselingTurnState]:
        """The system prompt for the next reply, and the state it was built from."""
        state = self.state_for(transcript)
        asked = bool(transcript) and Cue.RISK_QUESTION in counselor_cues(transcript[-1].content)
        material = self.material(state, asked)
        demo = self.client.demographics
        who = f"{demo.age} years old" + (f", {demo.occupation}" if demo.occupation else "")
        text = self.prompt.render(
            name=self.client.name,
            who=who,
            style=STYLE_GUIDES[self.style],
            attitude=self.client.attitude.value,
            emotion=state.emotion.value,
            intensity=f"{state.intensity:.1f}",
            trust=f"{state.trust:.1f}",
            open_material="\n".join(f"- {c.text}" for c in material) or "- (nothing yet)",
        )
        return text, state

    def messages(self, transcript: Sequence[Turn]) -> tuple[list[Message], CounselingTurnState]:
        """The chat messages for the next client reply."""
        system, state = self.system_prompt(transcript)
        messages: list[Message] = [{"role": "system", "content": system}]
        for turn in transcript:
            if turn.role is Role.COUNSELOR:
                messages.append({"role": "user", "content": turn.content})
            elif turn.role is Role.CLIENT:
                messages.append({"role": "assistant", "content": turn.content})
        return messages, state

    async def respond(self, transcript: Sequence[Turn]) -> AgentReply:
        """Answer the counselor's last turn."""
        messages, state = self.messages(transcript)
        if state.leaves:
            return AgentReply(
                content="I don't think this is helping. I'm going to go.", state=state
            )
        text, usage = await self.model.chat(messages, usable_utterance)
        return AgentReply(content=text, state=state, usage=usage)

    async def questionnaire(
        self, name: str, items: Sequence[str], transcript: Sequence[Turn]
    ) -> QuestionnaireResult:
        """The client's answers to one questionnaire, parsed strictly.

        A reply that is not exactly ``len(items)`` integers 0–3 is re-asked (the model
        layer's bounded re-asks); one that never parses is recorded ``unscored``.
        """
        system, _state = self.system_prompt(transcript)
        ask = QUESTIONNAIRE_PROMPT.render(
            items="\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1)),
            count=str(len(items)),
            example=str([0] * len(items)),
        )
        messages: list[Message] = [
            {"role": "system", "content": system},
            {"role": "user", "content": ask},
        ]
        try:
            answers, _usage = await self.model.chat(
                messages, lambda text: parse_answers(text, len(items))
            )
        except RuntimeFailure as exc:
            return QuestionnaireResult(name=name, status="unscored", detail=exc.one_line())
        return QuestionnaireResult(name=name, items=answers, total=sum(answers))
