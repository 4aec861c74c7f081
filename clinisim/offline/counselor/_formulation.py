"""The offline counselor's formulation: what the client said, sorted into a CBT model.

Deterministic and plain: the situation is the client's answer to the first "walk me
through a recent time" question, the automatic thought their answer to "what went
through your mind", the behaviour another statement of the situation's answer, the
emotions the feeling words the client used, and the core-belief categories the
belief words they used ("my fault", "a failure" → worthless; "alone", "bring everyone
down" → unlovable; "can't cope", "trapped" → helpless).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from clinisim.schemas import (
    CounselorAction,
    CounselorMove,
    Emotion,
    Formulation,
    Role,
    Turn,
)

__all__ = ["offline_formulation"]

_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_HEDGES = re.compile(
    r"^(i don'?t know|i'?d rather not|not really|maybe|i guess|yes|yeah|no|okay|sure|sorry)\b",
    re.I,
)
_CATEGORIES: dict[str, re.Pattern[str]] = {
    "worthless": re.compile(
        r"\b(worthless|a failure|failed|not good enough|useless|my fault|a bad (person|"
        r"mother|father|daughter|son|wife|husband|friend)|don'?t deserve|immoral|"
        r"let everyone down|should have)\b",
        re.I,
    ),
    "unlovable": re.compile(
        r"\b(unlovable|alone|lonely|nobody (cares|wants|likes)|unwanted|bring everyone down|"
        r"better off without me|rejected|leave me|abandon\w*|don'?t fit in)\b",
        re.I,
    ),
    "helpless": re.compile(
        r"\b(helpless|can'?t cope|out of control|trapped|powerless|weak|can'?t do anything|"
        r"can'?t handle|no way out|stuck)\b",
        re.I,
    ),
}
_EMOTIONS = {
    e: re.compile(rf"\b{word}\b", re.I)
    for e, word in (
        (Emotion.SAD, r"(sad|down|miserable|low)"),
        (Emotion.ANXIOUS, r"(anxious|worried|scared|afraid|panick\w*|nervous)"),
        (Emotion.ANGRY, r"(angry|furious|annoyed|frustrated|irritated)"),
        (Emotion.ASHAMED, r"(ashamed|embarrassed|humiliated)"),
        (Emotion.HOPELESS, r"(hopeless|pointless|no point)"),
        (Emotion.GUILTY, r"(guilty|my fault)"),
        (Emotion.NUMB, r"(numb|empty)"),
    )
}


def _statements(text: str) -> list[str]:
    return [
        s.strip()
        for s in _SENTENCES.split(text.strip())
        if len(s.split()) >= 4 and not _HEDGES.match(s.strip())
    ]


def _answers(transcript: Sequence[Turn], move: CounselorMove) -> list[list[str]]:
    """The client's statements in reply to each counselor turn of ``move``."""
    out: list[list[str]] = []
    for turn, reply in pairwise(transcript):
        if (
            turn.role is Role.COUNSELOR
            and isinstance(turn.action, CounselorAction)
            and turn.action.move is move
            and reply.role is Role.CLIENT
        ):
            statements = _statements(reply.content)
            if statements:
                out.append(statements)
    return out


def offline_formulation(transcript: Sequence[Turn]) -> Formulation:
    """A formulation from the client's own words in ``transcript``."""
    said = " ".join(t.content for t in transcript if t.role is Role.CLIENT)
    explored = _answers(transcript, CounselorMove.EXPLORE)
    thoughts = _answers(transcript, CounselorMove.ELICIT_THOUGHT)
    situation = explored[0] if explored else []
    return Formulation(
        core_belief_categories=[
            name for name, pattern in _CATEGORIES.items() if pattern.search(said)
        ],
        emotions=[emotion for emotion, pattern in _EMOTIONS.items() if pattern.search(said)],
        situation=situation[0] if situation else "",
        automatic_thought=" ".join(thoughts[0]) if thoughts else "",
        behavior=situation[1] if len(situation) > 1 else "",
        author="offline",
    )
