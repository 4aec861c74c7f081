"""How a client's style and state shape the surface of a reply.

The content (which profile statements are said) is chosen before this; the voice
only frames it. Every framing line here states no fact about the client, so a
styled reply says nothing the profile does not.
"""

from __future__ import annotations

import random

from clinisim.schemas import ConversationalStyle, CounselingTurnState

__all__ = ["deflection", "frame", "fresh_line", "goodbye", "nothing_more"]

_UPSET_OPENERS = (
    "Sorry, this is hard to say.",
    "Ugh, I hate talking about this.",
    "I don't know why I'm getting so worked up.",
    "Sorry. Give me a second.",
    "It just gets to me.",
)
_PLEASING_OPENERS = (
    "That's a good question.",
    "Of course.",
    "Sure, I'm happy to talk about that.",
    "Yes, of course.",
)
_RESERVED_HEDGES = ("I guess.", "Something like that.", "I suppose.")
"""Said after a reserved client's statement now and then; never two replies running."""
_TANGENT_BRIDGES = ("Anyway,", "Oh, and", "Which reminds me,", "Not that it matters, but")
_VERBOSE_BRIDGES = ("And also,", "On top of that,", "I should say,", "The other thing is,")
_GUARDED = (
    "I'm not sure I want to get into that yet.",
    "I don't really know. I haven't thought about it like that.",
    "Can we leave that for now?",
    "I'd rather not go there just yet.",
)
_PLEASING_GUARDED = (
    "I'm sorry, I'm not sure how to answer that yet.",
    "Sorry, I don't think I can put it into words yet.",
    "I'm sorry. I'd like to answer, but I'm not ready to go into that.",
)
_NOTHING_MORE = (
    "Not much else, really.",
    "I'm not sure what else to say about it.",
    "I think that's most of it.",
    "I don't know what else there is, honestly.",
)
_RESERVED_GUARDED = ("I don't know.", "I don't really want to say.", "I'd rather not say.")


def frame(
    parts: list[str],
    style: ConversationalStyle,
    state: CounselingTurnState,
    rng: random.Random,
    aside: str | None = None,
    volunteered: list[str] | None = None,
    previous: str = "",
    answers: bool = True,
) -> str:
    """Join what is said in the client's style; ``aside`` is a grounded extra statement
    a verbose or tangential client adds; ``volunteered`` (a risk cue or disclosure the
    client brings up) is always said, whatever the style. A framing line used in the
    client's recent replies (``previous``) is not used again straight away. ``answers`` says the
    reply answers a question with something about the client: only then does a
    pleasing client open eagerly (never before a refusal)."""

    def fresh(pool: tuple[str, ...]) -> str:
        return _least_recent(pool, previous, rng)

    body = [p.strip() for p in parts if p.strip()]
    match style:
        case ConversationalStyle.RESERVED:
            body = body[:1]
            hedge = fresh(_RESERVED_HEDGES)
            hedged_lately = any(h in previous[-200:] for h in _RESERVED_HEDGES)
            short = bool(body) and len(body[0].split()) <= 12
            # A hedge ends a plain statement: never a mood rating, never before more.
            plain = short and "out of 10" not in body[0] and not volunteered
            if plain and answers and not hedged_lately and rng.random() < 0.4:
                body.append(hedge)
        case ConversationalStyle.UPSET:
            if state.intensity >= 0.4 or rng.random() < 0.5:
                body.insert(0, fresh(_UPSET_OPENERS))
        case ConversationalStyle.PLEASING:
            if answers and rng.random() < 0.5:
                body.insert(0, fresh(_PLEASING_OPENERS))
        case ConversationalStyle.VERBOSE:
            if aside:
                body.append(f"{rng.choice(_VERBOSE_BRIDGES)} {_lower_first(aside)}")
        case ConversationalStyle.TANGENT:
            if aside:
                body.append(f"{rng.choice(_TANGENT_BRIDGES)} {_lower_first(aside)}")
        case _:
            pass
    body.extend(v.strip() for v in volunteered or [] if v.strip())
    return " ".join(body)


def deflection(style: ConversationalStyle, rng: random.Random, previous: str = "") -> str:
    """What a client says when asked about a layer they have not opened (not the same
    words as their ``previous`` reply)."""
    pool = {
        ConversationalStyle.RESERVED: _RESERVED_GUARDED,
        ConversationalStyle.PLEASING: _PLEASING_GUARDED,
    }.get(style, _GUARDED)
    return _least_recent(pool, previous, rng)


def fresh_line(pool: tuple[str, ...], previous: str, rng: random.Random) -> str:
    """A line of ``pool`` the client has not said lately (see ``_least_recent``)."""
    return _least_recent(pool, previous, rng)


def _least_recent(pool: tuple[str, ...], previous: str, rng: random.Random) -> str:
    """A line of ``pool`` not in ``previous``, else the one used longest ago."""
    unused = [line for line in pool if line not in previous]
    if unused:
        return rng.choice(unused)
    return min(pool, key=previous.rfind)


def nothing_more(style: ConversationalStyle, rng: random.Random) -> str:
    """When the client has nothing new to add."""
    if style is ConversationalStyle.RESERVED:
        return _NOTHING_MORE[0]
    return rng.choice(_NOTHING_MORE[1:])


def goodbye(style: ConversationalStyle, trust: float) -> str:
    """The client's last words when the counselor closes."""
    if trust >= 0.5:
        return "Thank you. This helped more than I expected. See you next time."
    if style is ConversationalStyle.RESERVED:
        return "Okay. Bye."
    return "Okay. Thanks, I suppose. See you next time."


_COMMON_STARTS = frozenset(
    [
        "my",
        "the",
        "a",
        "an",
        "it",
        "it's",
        "there",
        "there's",
        "we",
        "we're",
        "our",
        "he",
        "she",
        "they",
        "this",
        "that",
        "these",
        "those",
        "even",
        "after",
        "before",
        "on",
        "when",
        "in",
        "at",
        "every",
        "some",
        "most",
        "one",
        "two",
        "three",
        "four",
        "five",
        "none",
        "not",
        "nothing",
        "nobody",
        "no",
        "since",
        "last",
        "yoga",
        "cricket",
    ]
)
"""First words that are lowered after a bridge ("And also, my..."); any other
capitalised first word is kept, as it is likely a name ("And also, Geoff...")."""


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0].rstrip(",.;:")
    if first.lower() not in _COMMON_STARTS:
        return text
    return text[:1].lower() + text[1:]
