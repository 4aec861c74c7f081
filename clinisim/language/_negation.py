"""Which parts of a clinical sentence are affirmed and which are denied.

Clinical text negates lists: "denies chest pain, palpitations or shortness of
breath" denies all three, and so do "no A, B, or C" and "A, B and C are absent".
A negation cue therefore reaches forward over a list to the end of its clause,
and a trailing cue ("... are absent") reaches back to the clause's start. A
clause ends at a sentence end, a semicolon, a contrast ("but", "although",
"however", "except") or a list item that starts a new statement ("..., and I
drink wine").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["PolarClause", "polar_clauses"]


@dataclass(frozen=True)
class PolarClause:
    """A stretch of text and whether it is denied."""

    text: str
    negated: bool


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|;\s*")
_CONTRAST = re.compile(
    r"\s*,?\s+\b(?:but|although|though|however|except|apart from|other than|whereas)\b\s*,?\s*",
    re.IGNORECASE,
)
_PREFIX_CUE = re.compile(
    r"\b(?:no|not|never|denies|denied|deny|without|none|nil|negative for|free of|"
    r"absence of|haven't|hasn't|hadn't|don't|doesn't|didn't|isn't|aren't|wasn't|weren't|"
    r"can't|cannot|normal|unremarkable)\b",
    re.IGNORECASE,
)
_POSTFIX_CUE = re.compile(
    r"\s*,?\s*\b(?:(?:is|are|was|were|has been|have been)\s+)?"
    r"(?:absent|denied|not present|negative|ruled out|unremarkable)\s*\.?$",
    re.IGNORECASE,
)
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|nor)\s+", re.IGNORECASE)
# A list item that opens a new statement ends a negation's reach.
_NEW_STATEMENT = re.compile(
    r"^(?:and\s+|then\s+)?(?:i|i'm|i've|i'd|he|she|it|they|we|my|his|her|their|"
    r"has|had|have|is|was|are|were|drinks|smokes|takes|works|lives|feels|felt|"
    r"drink|smoke|take|work|live|feel|got|gets|started|began)\b",
    re.IGNORECASE,
)


def _items(text: str) -> list[str]:
    return [item.strip(" ,.") for item in _LIST_SPLIT.split(text) if item and item.strip(" ,.")]


def _clause(text: str) -> list[PolarClause]:
    text = text.strip(" ,.")
    if not text:
        return []
    postfix = _POSTFIX_CUE.search(text)
    if postfix and postfix.start() > 0:
        return [PolarClause(text[: postfix.start()].strip(" ,."), True)]
    cue = _PREFIX_CUE.search(text)
    if cue is None:
        return [PolarClause(text, False)]
    out: list[PolarClause] = []
    before = text[: cue.start()].strip(" ,.")
    if before:
        out.append(PolarClause(before, False))
    scope = text[cue.start() :]
    # The cue reaches over list items until one of them starts a new statement.
    parts = re.split(r"(\s*,\s*|\s+and\s+)", scope)
    negated = parts[0]
    rest = ""
    for i in range(1, len(parts) - 1, 2):
        item = parts[i + 1]
        if _NEW_STATEMENT.match(item.strip()):
            rest = "".join(parts[i + 1 :])
            break
        negated += parts[i] + item
    out.append(PolarClause(negated.strip(" ,."), True))
    if rest:
        out.extend(_clause(rest))
    return out


@lru_cache(maxsize=16384)
def _polar_clauses(text: str) -> tuple[PolarClause, ...]:
    out: list[PolarClause] = []
    for sentence in _SENTENCE_END.split(text):
        for segment in _CONTRAST.split(sentence):
            out.extend(_clause(segment))
    return tuple(out)


def polar_clauses(text: str) -> list[PolarClause]:
    """``text`` as clauses, each affirmed or denied; list negation is respected.

    >>> [(c.text, c.negated) for c in polar_clauses("Chest pain, denies palpitations or cough.")]
    [('Chest pain', False), ('denies palpitations or cough', True)]
    """
    return list(_polar_clauses(text))


def list_items(text: str) -> list[str]:
    """The items of a list such as ``"chest pain, palpitations or cough"``."""
    return _items(text)
