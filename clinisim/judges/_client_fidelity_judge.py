"""Client fidelity: does a simulated client stay true to its profile?

Offline, every sentence of four words or more in the client's turns is embedded
with MiniLM and compared with the profile's statements (``client_chunks``):

* **supported**: cosine similarity of at least ``SUPPORTED`` with a profile sentence
  of the same polarity (both negated or neither);
* **contradicted**: no such sentence, but one of the opposite polarity at a
  similarity of at least ``CONTRADICTED``; or an age that is not the profile's. Risk statements are left
  out of this check: a client that conceals a risk when asked is playing its
  profile, not breaking it;
* **unsupported**: below ``SUPPORTED`` and about the client's life (family, work,
  home, health or a number), so possibly invented. Anything else (how the session
  feels, answers to a question about a thought) is conversation, not a claim.

Style adherence compares the client's turns with markers of its played style: at
most 14 words a turn for ``reserved``, at least 18 for ``verbose``, 5 to 40 for
``plain``, and at least 10% of turns with distress words for ``upset``, agreement
for ``pleasing`` or digressions for ``tangent``. State consistency checks that a turn
whose words name a feeling has a logged emotion of the same valence.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from clinisim.judges._rubric_library import load_rubric
from clinisim.judges._rubric_scoring import judged_score
from clinisim.schemas import (
    ClientProfile,
    CounselingTurnState,
    DisclosureLevel,
    Emotion,
    ItemResult,
    Role,
    Score,
    Session,
)
from clinisim.store import client_chunks, cosine_matrix, embed_queries, vector_matrix

__all__ = ["CLIENT_FIDELITY", "CONTRADICTED", "SUPPORTED", "judge_client_fidelity"]

CLIENT_FIDELITY = "client-fidelity"
SUPPORTED = 0.55
CONTRADICTED = 0.6
UNSUPPORTED_SHARE = 0.3
"""Above this share of life claims unsupported, the client is not grounded."""

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NEGATED = re.compile(
    r"\b(no|not|never|don'?t|doesn'?t|didn'?t|haven'?t|hasn'?t|isn'?t|wasn'?t|can'?t|"
    r"won'?t|nobody|nothing|stopped)\b",
    re.I,
)
_LIFE = re.compile(
    r"\b(my (wife|husband|partner|mum|mother|dad|father|son|daughter|sister|brother|"
    r"children|kids|family|boss|job|work|home|flat|house|doctor)|i (work|live|lived|moved|"
    r"lost|married|divorced|retired|studied|grew up)|years? old|\d+ (years|months|weeks))\b",
    re.I,
)
_AGE = re.compile(r"\bI'?m (\d{1,3})\b|\bI am (\d{1,3})\b|\b(\d{1,3}) years old\b", re.I)
_NEGATIVE = {
    Emotion.SAD,
    Emotion.ANXIOUS,
    Emotion.ANGRY,
    Emotion.ASHAMED,
    Emotion.HOPELESS,
    Emotion.GUILTY,
    Emotion.NUMB,
}
_NOW = (
    r"\b(i feel|i'?m feeling|i am|i'?m|feeling)\s+"
    r"((so|really|very|a bit|quite|a little|much)\s+){0,2}"
)
_FEELING_WORDS = {
    "negative": re.compile(
        _NOW + r"(sad|anxious|scared|afraid|angry|furious|ashamed|hopeless|guilty|awful|"
        r"terrible|miserable|worried|panicky|upset|numb|empty|low|down)\b",
        re.I,
    ),
    "positive": re.compile(
        _NOW + r"(calm(er)?|hopeful|relieved|better|good|great|lighter|okay)\b", re.I
    ),
}
"""Feelings named in the present tense ("I'm so anxious", "I feel better"); a feeling
reported about a past situation ("I felt sad") says nothing about the state now."""
_HEDGE = re.compile(
    r"^(not that it matters|i don'?t know|i'?m not sure|not to complain|no offence)[^,]*,\s*"
    r"(but\s+)?",
    re.I,
)
"""A hedge before a statement, left out when its polarity is read."""
_STYLE_MARKERS = {
    "upset": re.compile(r"!|\b(so (angry|upset|fed up)|sick of|hate|can'?t stand|ugh)\b", re.I),
    "pleasing": re.compile(
        r"\b(you'?re right|that'?s (so )?helpful|thank you|yes,? (definitely|of course)|"
        r"good idea|i'?ll do that|absolutely)\b",
        re.I,
    ),
    "tangent": re.compile(
        r"\b(anyway|by the way|that reminds me|speaking of|funny thing|off the subject|"
        r"where was i|not that it matters|oh,? and)\b",
        re.I,
    ),
}


def _negated(text: str) -> bool:
    return bool(_NEGATED.search(_HEDGE.sub("", text)))


def _sentences(session: Session) -> list[tuple[int, str]]:
    return [
        (turn.index, sentence.strip())
        for turn in session.turns
        if turn.role is Role.CLIENT
        for sentence in _SENTENCE.split(turn.content)
        if len(sentence.split()) >= 4
    ]


def _grounding(session: Session, client: ClientProfile) -> tuple[ItemResult, ItemResult]:
    sentences = _sentences(session)
    # Profile statements sentence by sentence, so a negation in one sentence of a
    # statement does not flip the polarity of the others.
    chunks = [
        piece
        for chunk in client_chunks(client)
        for piece in (
            replace(chunk, text=part.strip())
            for part in _SENTENCE.split(chunk.text)
            if part.strip()
        )
    ]
    if not sentences or not chunks:
        empty = ItemResult(id="", met=True, explanation="no client statements to check")
        return empty, empty
    matrix = vector_matrix(embed_queries([text for _, text in sentences]))
    chunk_matrix = vector_matrix(embed_queries([chunk.text for chunk in chunks]))
    supported: list[int] = []
    unsupported: list[int] = []
    contradicted: list[tuple[int, str]] = []
    for (index, text), row in zip(sentences, cosine_matrix(matrix, chunk_matrix), strict=True):
        age = _AGE.search(text)
        if age:
            said = int(next(g for g in age.groups() if g))
            if said != client.demographics.age:
                contradicted.append(
                    (index, f"says {said} years old; the profile says {client.demographics.age}")
                )
                continue
        near = [(sim, c) for sim, c in zip(row, chunks, strict=True) if sim >= SUPPORTED]
        polarity = _negated(text)
        if any(_negated(c.text) == polarity for _, c in near):
            supported.append(index)
            continue
        flipped = max(
            (
                (sim, c)
                for sim, c in near
                if sim >= CONTRADICTED and c.layer is not DisclosureLevel.RISK
            ),
            key=lambda pair: pair[0],
            default=None,
        )
        if flipped is not None:
            contradicted.append((index, f"{text!r} against the profile's {flipped[1].text!r}"))
        elif not near and _LIFE.search(text):
            unsupported.append(index)
    claims = len(supported) + len(unsupported)
    share = len(unsupported) / claims if claims else 0.0
    grounded = ItemResult(
        id="",
        met=share <= UNSUPPORTED_SHARE,
        explanation=(
            f"{len(supported)} statement(s) supported, {len(unsupported)} life claim(s) not "
            f"in the profile ({share:.0%})"
        ),
        evidence=sorted(set(unsupported)),
    )
    contradiction = ItemResult(
        id="",
        met=not contradicted,
        explanation="; ".join(why for _, why in contradicted) or "no contradiction found",
        evidence=sorted({index for index, _ in contradicted}),
    )
    return grounded, contradiction


def _style(session: Session, client: ClientProfile) -> ItemResult:
    style = str(session.persona.get("style") or client.style.value)
    turns = [t for t in session.turns if t.role is Role.CLIENT]
    if not turns:
        return ItemResult(id="", met=True, explanation="no client turns")
    words = sum(len(t.content.split()) for t in turns) / len(turns)
    if style == "reserved":
        met, why = words <= 14, f"{words:.0f} words per turn (reserved: at most 14)"
    elif style == "verbose":
        met, why = words >= 18, f"{words:.0f} words per turn (verbose: at least 18)"
    elif style in _STYLE_MARKERS:
        marked = [t.index for t in turns if _STYLE_MARKERS[style].search(t.content)]
        share = len(marked) / len(turns)
        met, why = share >= 0.1, f"{share:.0%} of turns show {style} markers (at least 10%)"
        return ItemResult(id="", met=met, explanation=why, evidence=marked)
    else:
        met, why = 5 <= words <= 40, f"{words:.0f} words per turn (plain: 5 to 40)"
    return ItemResult(id="", met=met, explanation=why)


def _state(session: Session) -> ItemResult:
    checked: list[int] = []
    clashes: list[int] = []
    for turn in session.turns:
        state = turn.state
        if turn.role is not Role.CLIENT or not isinstance(state, CounselingTurnState):
            continue
        said = [v for v, pattern in _FEELING_WORDS.items() if pattern.search(turn.content)]
        if len(said) != 1:
            continue  # no feeling named, or mixed feelings: nothing to compare
        checked.append(turn.index)
        logged = "negative" if state.emotion in _NEGATIVE else "positive"
        if said[0] != logged:
            clashes.append(turn.index)
    if not checked:
        return ItemResult(id="", met=True, explanation="no turn names a feeling and logs a state")
    share = 1 - len(clashes) / len(checked)
    return ItemResult(
        id="",
        met=share >= 0.8,
        explanation=f"{len(checked) - len(clashes)} of {len(checked)} turns consistent",
        evidence=clashes,
    )


def judge_client_fidelity(session: Session, subject: Any) -> Score:
    """Grade the client's turns of ``session`` against its profile ``subject``."""
    rubric = load_rubric(CLIENT_FIDELITY)
    base = {"name": rubric.name, "version": rubric.version, "judge_model": "offline"}
    if not isinstance(subject, ClientProfile):
        reason = "client fidelity needs the client's profile"
        return Score(**base, value=None, status="unscored", details={"reason": reason})
    grounded, contradiction = _grounding(session, subject)
    graded = {
        "grounded": grounded,
        "no-contradiction": contradiction,
        "style": _style(session, subject),
        "state-consistent": _state(session),
    }
    results = [
        graded.get(item.id, ItemResult(id=item.id, status="unscored")).model_copy(
            update={
                "id": item.id,
                "criterion": item.criterion,
                "points": item.points,
                "tags": list(item.tags),
            }
        )
        for item in rubric.items
    ]
    return judged_score(rubric, results, base, {"kind": "items"})
