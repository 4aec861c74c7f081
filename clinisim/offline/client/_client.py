"""The offline counseling client: grounded in its profile, gated by trust, styled.

Each reply is built from the client's own statements in the profile, retrieved
from the record store among the layers the current trust has opened (see
``clinisim.agents`` for the state rules). A question about a closed layer gets a
deflection that states nothing. The reply depends only on the profile, the seed
and the transcript, so a resumed session continues exactly as it would have.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from clinisim.agents import (
    AgentReply,
    initial_state,
    last_client_state,
    offline_answers,
    open_layers,
    react,
)
from clinisim.language import Cue, asked_risks, counselor_cues
from clinisim.offline.client._client_voice import (
    deflection,
    frame,
    fresh_line,
    goodbye,
    nothing_more,
)
from clinisim.schemas import (
    DISCLOSURE_ORDER,
    FIELD_LAYERS,
    LAYER_TRUST,
    ClientProfile,
    ConversationalStyle,
    CounselingTurnState,
    CounselorAction,
    DisclosureLevel,
    QuestionnaireResult,
    Role,
    Severity,
    Turn,
)
from clinisim.store import ClientChunk, MemoryItem, client_chunks

if TYPE_CHECKING:
    from clinisim.store import RecordStore

__all__ = ["OfflineClient", "mood_rating"]

_MOOD = {Severity.NONE: 7, Severity.MILD: 5, Severity.MODERATE: 4, Severity.SEVERE: 2}
_BELIEF_ORDER = (
    "intermediate_belief",
    "core_belief",
    "history",
    "coping_strategies",
    "intermediate_belief_depression",
)
_LEAVING = "I don't think this is helping. I'm going to go."
_ASSENT: dict[tuple[str, bool], str] = {
    ("homework", True): "Okay. I can try that.",
    ("homework", False): "I'll see. I'm not sure I'll get round to it.",
    ("summary", True): "Yes, that's about right.",
    ("summary", False): "I suppose so.",
}
_LOOK_BACK = {
    "remember": "Yes, I remember what we talked about last time.",
    "did": "I did try the homework. It was harder than I expected, but I did some of it.",
    "did not": "To be honest, I didn't really get round to the homework.",
}
_STILL_THERE = "Like I said, it's still there."
_SAME_AGAIN = "The same as before, really."
"""Before restating a thought or feeling already told, when asked about it again."""
_NO_OTHER_TIME = "Nothing else really stands out. It's mostly times like that one."
_CONCEALING = {
    "suicidal_ideation": "No. I mean, I'm fine. I wouldn't do anything.",
    "self_harm": "No. Nothing like that.",
    "abuse": "No, no, it's nothing like that. He's just stressed at the moment.",
    "harm_to_others": "No. I just get wound up.",
}
_NO_RISK = {
    "suicidal_ideation": "No, nothing like that. I'm not going to hurt myself.",
    "self_harm": "No, I don't do anything like that.",
    "abuse": "No, nobody's hurting me.",
    "harm_to_others": "No, never.",
}
_ACKNOWLEDGE = ("Yeah. It has been.", "Yes.", "It has, yes.", "Mm. That's true.")
_TO_A_FRIEND = "I suppose I'd tell them not to be so hard on themselves."
_RECONSIDER = (
    "I suppose, when you put it like that, I can't be completely sure.",
    "I don't have much proof, really. It just feels true at the time.",
    "Maybe I'm being harder on myself than I would be on anyone else.",
)


def mood_rating(depression: Severity) -> int:
    """The 0–10 mood a client gives at a mood check, from their depression severity."""
    return _MOOD[depression]


class OfflineClient:
    """A ``ClientAgent`` that needs no model."""

    def __init__(
        self,
        client: ClientProfile,
        store: RecordStore,
        seed: int,
        *,
        style: ConversationalStyle | None = None,
        depression: Severity | None = None,
        anxiety: Severity | None = None,
        memories: Sequence[MemoryItem] = (),
        trust_bonus: float = 0.0,
    ) -> None:
        self.client = client
        self.store = store
        self.seed = seed
        self.style = style or client.style
        self.depression = depression or client.severity.depression
        self.anxiety = anxiety or client.severity.anxiety
        self.memories = list(memories)
        self.trust_bonus = trust_bonus
        self._chunks = {c.chunk_id: c for c in client_chunks(client)}

    async def questionnaire(
        self, name: str, items: Sequence[str], transcript: Sequence[Turn]
    ) -> QuestionnaireResult:
        """PHQ-9 or GAD-7 answered in character: from severity, eased after a good session."""
        severity = self.depression if name == "PHQ-9" else self.anxiety
        state = last_client_state(transcript)
        start = self.start_state()
        eased = (
            bool(transcript)
            and state is not None
            and state.trust >= 0.5
            and state.intensity < start.intensity
        )
        return offline_answers(
            self.client,
            name,
            severity=severity,
            seed=self.seed,
            eased=eased,
            carried_total=self._carried(name),
        )

    def _carried(self, name: str) -> int | None:
        """The total this questionnaire ended on in the latest earlier session."""
        for memory in reversed(self.memories):
            if memory.kind == "questionnaires":
                found = re.search(rf"{re.escape(name)} \d+ to (\d+)", memory.text)
                if found:
                    return int(found.group(1))
        return None

    def start_state(self) -> CounselingTurnState:
        """The state before the first counselor turn."""
        return initial_state(self.client, trust_bonus=self.trust_bonus)

    async def respond(self, transcript: Sequence[Turn]) -> AgentReply:
        """Answer the counselor's last turn."""
        turn_no = sum(1 for t in transcript if t.role is Role.CLIENT) + 1
        rng = random.Random(f"{self.seed}:client:{turn_no}")
        previous = last_client_state(transcript) or self.start_state()
        counselor_text = transcript[-1].content if transcript else ""
        last_client = next((t.content for t in reversed(transcript) if t.role is Role.CLIENT), "")
        state = react(
            self.client, previous, counselor_text, last_client, first_turn=turn_no == 1
        ).state
        said = _said(transcript)
        if state.leaves:
            return AgentReply(content=_LEAVING, state=state)
        cues = counselor_cues(counselor_text)
        action = transcript[-1].action if transcript else None
        closes = isinstance(action, CounselorAction) and action.closes
        if closes or (Cue.CLOSING in cues and Cue.QUESTION not in cues):
            return AgentReply(content=goodbye(self.style, state.trust), state=state)

        recent = " ".join(t.content for t in transcript if t.role is Role.CLIENT)[-600:]
        parts, chosen = self._content(cues, counselor_text, state, said, rng, recent)
        if self.style is ConversationalStyle.RESERVED and len(parts) > 1:
            # A reserved client says one thing; only what is said counts as disclosed.
            parts, chosen = parts[:1], chosen[:1] if len(chosen) == len(parts) else chosen[:0]
        volunteered: list[str] = []
        chosen += self._volunteered(cues, state, said | set(chosen), volunteered)
        aside = None
        talkative = self.style in (ConversationalStyle.VERBOSE, ConversationalStyle.TANGENT)
        if talkative and parts and _invites_background(cues):
            extra = next(
                (c for f in _ASIDE_FIELDS if (c := self._unsaid(f, said | set(chosen)))), None
            )
            if extra is not None:
                aside = extra.text
                chosen.append(extra.chunk_id)
        answers = bool(chosen) and Cue.QUESTION in cues
        text = frame(parts, self.style, state, rng, aside, volunteered, recent, answers)
        if not text:
            text = nothing_more(self.style, rng)
        return AgentReply(
            content=text,
            facts=chosen or None,
            state=self._after(state, said, chosen),
        )

    # -- what is said ----------------------------------------------------------
    def _content(
        self,
        cues: frozenset[Cue],
        question: str,
        state: CounselingTurnState,
        said: set[str],
        rng: random.Random,
        previous: str = "",
    ) -> tuple[list[str], list[str]]:
        layers = open_layers(state)
        if Cue.RISK_QUESTION in cues:
            return self._risk_answer(question, state, said)
        if Cue.REFERS_BACK in cues and self.memories:
            return self._look_back(state), []
        if Cue.MOOD_CHECK in cues:
            mood = f"Honestly, about a {mood_rating(self.depression)} out of 10."
            problem = self._chunk("presenting.problem")
            if problem and problem.chunk_id not in said:
                return [mood, problem.text], [problem.chunk_id]
            return [mood], []
        if Cue.QUESTION not in cues and cues & {Cue.REFLECTION, Cue.EMPATHY}:
            problem = self._chunk("presenting.problem")
            if problem is not None and problem.chunk_id not in said:
                return [_ACKNOWLEDGE[0], problem.text], [problem.chunk_id]
            return [rng.choice(_ACKNOWLEDGE)], []
        if Cue.AGENDA in cues:
            for field in ("presenting.reason", "presenting.problem", "presenting.goal"):
                chunk = self._chunk(field)
                if chunk and chunk.chunk_id not in said:
                    return [chunk.text], [chunk.chunk_id]
        if Cue.SOCRATIC in cues:
            if DisclosureLevel.THOUGHTS in layers:
                if "friend" in question.lower():
                    return [_TO_A_FRIEND], []
                return [fresh_line(_RECONSIDER, previous, rng)], []
            return [deflection(self.style, rng, previous)], []
        if cues & {Cue.SUMMARY, Cue.HOMEWORK}:
            return [self._assent(cues, state)], []
        wanted = self._wanted(cues, said)
        if wanted is not None:
            field, situation = wanted
            if FIELD_LAYERS[field] not in layers:
                return [deflection(self.style, rng, previous)], []
            if field == "situation" and situation is None:
                return [_NO_OTHER_TIME], []
            chunk = self._chunk(field, situation)
            if chunk is not None and chunk.chunk_id in said and field != "situation":
                return [_SAME_AGAIN, chunk.text], []
            if chunk is not None and chunk.chunk_id not in said:
                picked = [chunk]
                if field == "situation":
                    behaviour = self._chunk("behavior", situation)
                    if behaviour is not None and behaviour.chunk_id not in said:
                        picked.append(behaviour)
                return [c.text for c in picked], [c.chunk_id for c in picked]
        found = self.store.clients.query(self.client.id, question, layers, k=6)
        for chunk, _distance in found:
            if chunk.chunk_id not in said:
                return [chunk.text], [chunk.chunk_id]
        return [], []

    def _assent(self, cues: frozenset[Cue], state: CounselingTurnState) -> str:
        """The client's answer to a summary or a homework suggestion (no new facts)."""
        willing = state.trust >= 0.4 and self.client.attitude.value != "negative"
        key = ("homework" if Cue.HOMEWORK in cues else "summary", willing)
        return _ASSENT[key]

    def _wanted(self, cues: frozenset[Cue], said: set[str]) -> tuple[str, int | None] | None:
        """The field a targeted question asks for (and which situation; a situation
        question when every situation was told asks for none)."""
        current = _current_situation(said)
        if Cue.THOUGHT_QUESTION in cues:
            return "automatic_thought", current or 0
        if Cue.FEELING_QUESTION in cues:
            return "emotions", current or 0
        if Cue.BELIEF_QUESTION in cues:
            for field in _BELIEF_ORDER:
                chunk = self._chunk(field)
                if chunk is not None and chunk.chunk_id not in said:
                    return field, None
            return "core_belief", None
        if Cue.SITUATION_QUESTION in cues:
            count = len(self.client.cognitive_model.situations)
            for n in range(count):
                if f"{self.client.id}:situation.{n}" not in said:
                    return "situation", n
            return "situation", None
        return None

    def _risk_answer(
        self, question: str, state: CounselingTurnState, said: set[str]
    ) -> tuple[list[str], list[str]]:
        """A direct risk question: a flag it asks about is disclosed when the profile
        says so (asked directly, or with enough trust), else denied; a client with no
        such flag says so."""
        asked = asked_risks(question)
        parts: list[str] = []
        chosen: list[str] = []
        concealed: list[str] = []
        for n, risk in enumerate(self.client.risks):
            if risk.kind.value not in asked:
                continue
            chunk_id = f"{self.client.id}:risk.{n}"
            opened = state.trust >= LAYER_TRUST[DisclosureLevel.RISK]
            if chunk_id in said:
                parts.append(_STILL_THERE)
            elif risk.disclosed == "when_asked" or opened:
                parts.append(risk.says)
                chosen.append(chunk_id)
            else:
                concealed.append(_CONCEALING[risk.kind.value])
        if parts or concealed:
            return [*parts, *concealed[:1]], chosen
        return [_NO_RISK[sorted(asked)[0] if asked else "suicidal_ideation"]], []

    def _volunteered(
        self, cues: frozenset[Cue], state: CounselingTurnState, said: set[str], parts: list[str]
    ) -> list[str]:
        """Risk the client brings up unprompted, and cues dropped along the way."""
        chosen: list[str] = []
        for n, risk in enumerate(self.client.risks):
            chunk_id = f"{self.client.id}:risk.{n}"
            if chunk_id in said or Cue.RISK_QUESTION in cues:
                continue
            if risk.disclosed == "spontaneous" and state.trust >= LAYER_TRUST[DisclosureLevel.RISK]:
                parts.append(risk.says)
                chosen.append(chunk_id)
            elif risk.cue and cues & {Cue.MOOD_CHECK, Cue.SITUATION_QUESTION}:
                cue_id = f"{self.client.id}:risk-cue.{n}"
                if cue_id not in said:
                    parts.append(risk.cue)
                    chosen.append(cue_id)
        return chosen

    def _look_back(self, state: CounselingTurnState) -> list[str]:
        homework = next((m for m in self.memories if m.kind == "homework"), None)
        if homework is None:
            return [_LOOK_BACK["remember"]]
        if state.trust >= 0.4 and self.client.attitude.value != "negative":
            return [_LOOK_BACK["did"]]
        return [_LOOK_BACK["did not"]]

    # -- bookkeeping -------------------------------------------------------------
    def _chunk(self, field: str, situation: int | None = None) -> ClientChunk | None:
        suffix = f".{situation}" if situation is not None else ""
        return self._chunks.get(f"{self.client.id}:{field}{suffix}")

    def _unsaid(self, prefix: str, said: set[str]) -> ClientChunk | None:
        for chunk in self._chunks.values():
            if chunk.field.startswith(prefix) and chunk.chunk_id not in said:
                return chunk
        return None

    def _after(
        self, state: CounselingTurnState, said: set[str], chosen: list[str]
    ) -> CounselingTurnState:
        layers = [self._chunks[c].layer for c in [*said, *chosen] if c in self._chunks]
        deepest = max(layers, key=DISCLOSURE_ORDER.index, default=DisclosureLevel.SURFACE)
        emotion = state.emotion
        for chunk_id in chosen:
            chunk = self._chunks.get(chunk_id)
            if chunk is not None and chunk.situation is not None and chunk.field == "situation":
                emotion = self.client.cognitive_model.situations[chunk.situation].emotions[0]
        return state.model_copy(
            update={"disclosure": deepest, "disclosed": chosen, "emotion": emotion}
        )


_ASIDE_FIELDS = ("life.work", "life.relationships", "life.sleep", "life.exercise")
"""Life facts that stand as statements on their own. ``life.supports`` answers "who do
you have?" ("My mum, though she'd be upset if she knew."), so it waits to be asked."""

_OPEN_TALK = frozenset({Cue.OPEN_QUESTION, Cue.SITUATION_QUESTION, Cue.REFLECTION, Cue.EMPATHY})
_NARROW_ASKS = frozenset(
    {
        Cue.MOOD_CHECK,
        Cue.SOCRATIC,
        Cue.RISK_QUESTION,
        Cue.THOUGHT_QUESTION,
        Cue.FEELING_QUESTION,
        Cue.BELIEF_QUESTION,
        Cue.HOMEWORK,
        Cue.SUMMARY,
    }
)


def _invites_background(cues: frozenset[Cue]) -> bool:
    """An open turn, where a talkative client adds a fact of their life; never after a
    narrow question (a mood rating, the evidence for a thought), where it reads as
    unrelated."""
    return bool(cues & _OPEN_TALK) and not cues & _NARROW_ASKS


def _said(transcript: Sequence[Turn]) -> set[str]:
    said: set[str] = set()
    for turn in transcript:
        if turn.role is Role.CLIENT and isinstance(turn.state, CounselingTurnState):
            said.update(turn.state.disclosed)
    return said


def _current_situation(said: set[str]) -> int | None:
    numbers = [int(c.rsplit(".", 1)[1]) for c in said if ":situation." in c]
    return max(numbers) if numbers else None
