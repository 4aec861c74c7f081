"""The counseling client's inner state and the documented rules that move it.

Every client (offline or model-played) keeps the same state, updated once per
counselor turn from the cues in that turn (:func:`clinisim.language.counselor_cues`):

====================  ===========================================================
rule                  effect
====================  ===========================================================
reflection            trust +0.08, resistance -0.05, intensity -0.05
empathy               trust +0.06, resistance -0.04, intensity -0.03
uses client's words   an open question with a content word from the client's last
                      turn: trust +0.03
premature advice      advice before the client's thoughts have come out:
                      trust -0.08, resistance +0.12
lecturing             "you need to / must", or more than four sentences:
                      trust -0.06, resistance +0.10
dismissive            "everyone feels that way", "cheer up": trust -0.10,
                      resistance +0.15, intensity +0.05
ignoring              no content word of the client's last turn, and neither a
                      follow-up question (situation, thought, belief, Socratic)
                      nor reflection, empathy, agenda, mood, risk, summary or
                      homework:
                      trust -0.04, resistance +0.06
====================  ===========================================================

Gains are halved for a client with a negative attitude toward counseling, and a
``pleasing`` client's resistance moves half as much (they go along). Trust opens
the disclosure layers (``LAYER_TRUST``). A client whose resistance reaches 0.9
while trust is at most 0.15 walks out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clinisim.language import Cue, content_words, counselor_cues
from clinisim.schemas import (
    DISCLOSURE_ORDER,
    LAYER_TRUST,
    Attitude,
    ClientProfile,
    ConversationalStyle,
    CounselingTurnState,
    DisclosureLevel,
    Emotion,
    Role,
    SessionStage,
    Severity,
    Turn,
)

__all__ = [
    "LEAVE_RESISTANCE",
    "LEAVE_TRUST",
    "StateChange",
    "initial_state",
    "last_client_state",
    "open_layers",
    "react",
]

LEAVE_RESISTANCE = 0.9
LEAVE_TRUST = 0.15

_START = {
    Attitude.POSITIVE: (0.35, 0.10),
    Attitude.NEUTRAL: (0.25, 0.25),
    Attitude.NEGATIVE: (0.12, 0.45),
}
_INTENSITY = {Severity.NONE: 0.2, Severity.MILD: 0.4, Severity.MODERATE: 0.6, Severity.SEVERE: 0.8}
_ORDER = list(Severity)


@dataclass(frozen=True)
class StateChange:
    """The state after a counselor turn, and the rules that fired."""

    state: CounselingTurnState
    rules: list[str]


def _clip(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 3)


def initial_state(
    client: ClientProfile, *, trust_bonus: float = 0.0, severity: Severity | None = None
) -> CounselingTurnState:
    """The state a client walks in with (``trust_bonus``: earlier sessions of a course)."""
    trust, resistance = _START[client.attitude]
    worst = severity or max(client.severity.depression, client.severity.anxiety, key=_ORDER.index)
    first = client.cognitive_model.situations[0].emotions[0]
    emotion = Emotion.HOPELESS if worst is Severity.SEVERE and first is Emotion.SAD else first
    return CounselingTurnState(
        emotion=emotion,
        intensity=_INTENSITY[worst],
        trust=_clip(trust + trust_bonus),
        resistance=_clip(resistance - trust_bonus / 2),
        disclosure=DisclosureLevel.SURFACE,
        stage=SessionStage.OPENING,
    )


def last_client_state(transcript: Sequence[Turn]) -> CounselingTurnState | None:
    """The state logged on the client's latest turn, if any."""
    for turn in reversed(transcript):
        if turn.role is Role.CLIENT and isinstance(turn.state, CounselingTurnState):
            return turn.state
    return None


def open_layers(state: CounselingTurnState) -> list[DisclosureLevel]:
    """The layers the client's trust has opened (risk is gated per flag, not here)."""
    return [
        layer
        for layer in DISCLOSURE_ORDER
        if layer is not DisclosureLevel.RISK and state.trust >= LAYER_TRUST[layer]
    ]


def _stage(cues: frozenset[Cue], current: SessionStage) -> SessionStage:
    if cues & {Cue.SUMMARY, Cue.HOMEWORK, Cue.CLOSING}:
        return SessionStage.CLOSING
    if cues & {Cue.SOCRATIC, Cue.BELIEF_QUESTION}:
        return SessionStage.WORKING
    if cues & {Cue.SITUATION_QUESTION, Cue.THOUGHT_QUESTION} and current is SessionStage.OPENING:
        return SessionStage.ASSESSMENT
    return current


def react(
    client: ClientProfile,
    state: CounselingTurnState,
    counselor_text: str,
    last_client_text: str,
    *,
    first_turn: bool,
) -> StateChange:
    """Apply the rules to one counselor turn."""
    cues = counselor_cues(counselor_text)
    trust_delta = resistance_delta = intensity_delta = 0.0
    rules: list[str] = []

    def fire(rule: str, trust: float, resistance: float, intensity: float = 0.0) -> None:
        nonlocal trust_delta, resistance_delta, intensity_delta
        trust_delta += trust
        resistance_delta += resistance
        intensity_delta += intensity
        rules.append(rule)

    if Cue.REFLECTION in cues:
        fire("reflection", 0.08, -0.05, -0.05)
    if Cue.EMPATHY in cues:
        fire("empathy", 0.06, -0.04, -0.03)
    echoed = content_words(counselor_text) & content_words(last_client_text)
    if Cue.OPEN_QUESTION in cues and echoed:
        fire("uses client's words", 0.03, 0.0)
    thoughts_out = DISCLOSURE_ORDER.index(state.disclosure) >= DISCLOSURE_ORDER.index(
        DisclosureLevel.THOUGHTS
    )
    if Cue.ADVICE in cues and not thoughts_out:
        fire("premature advice", -0.08, 0.12)
    if Cue.LECTURE in cues:
        fire("lecturing", -0.06, 0.10)
    if Cue.DISMISSIVE in cues:
        fire("dismissive", -0.10, 0.15, 0.05)
    attentive = {
        Cue.REFLECTION,
        Cue.EMPATHY,
        Cue.AGENDA,
        Cue.MOOD_CHECK,
        Cue.RISK_QUESTION,
        Cue.SUMMARY,
        Cue.HOMEWORK,
        Cue.CLOSING,
        Cue.REFERS_BACK,
        Cue.SITUATION_QUESTION,
        Cue.THOUGHT_QUESTION,
        Cue.FEELING_QUESTION,
        Cue.BELIEF_QUESTION,
        Cue.SOCRATIC,
    }
    if not first_turn and last_client_text and not echoed and not cues & attentive:
        fire("ignoring", -0.04, 0.06)

    if trust_delta > 0 and client.attitude is Attitude.NEGATIVE:
        trust_delta /= 2
    if client.style is ConversationalStyle.PLEASING:
        resistance_delta /= 2
    trust = _clip(state.trust + trust_delta)
    resistance = _clip(state.resistance + resistance_delta)
    intensity = _clip(state.intensity + intensity_delta)
    emotion = state.emotion
    if trust_delta > 0 and intensity < 0.35 and emotion not in (Emotion.CALM, Emotion.HOPEFUL):
        emotion = Emotion.RELIEVED
    if resistance_delta > 0.1 and emotion in (Emotion.CALM, Emotion.RELIEVED, Emotion.HOPEFUL):
        emotion = Emotion.ANGRY if client.attitude is Attitude.NEGATIVE else Emotion.ASHAMED
    new = state.model_copy(
        update={
            "trust": trust,
            "resistance": resistance,
            "intensity": intensity,
            "emotion": emotion,
            "stage": _stage(cues, state.stage),
            "reaction": rules,
            "disclosed": [],
            "leaves": resistance >= LEAVE_RESISTANCE and trust <= LEAVE_TRUST,
        }
    )
    return StateChange(new, rules)
