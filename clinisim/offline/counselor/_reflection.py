"""Turning a client's words into the counselor's: second person, short, quoted."""

from __future__ import annotations

import re

__all__ = ["EMOTION_WORDS", "emotions_in", "to_second_person"]

_SWAPS = {
    "i": "you",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "am": "are",
    "we": "you",
    "our": "your",
    "us": "you",
}
_WORD = re.compile(r"[A-Za-z']+")
_I_WAS = re.compile(r"\bI was\b")

EMOTION_WORDS: dict[str, str] = {
    "anxious": "anxious",
    "anxiety": "anxious",
    "worried": "anxious",
    "panic": "panicky",
    "scared": "frightened",
    "afraid": "frightened",
    "sad": "sad",
    "low": "low",
    "down": "low",
    "depressed": "low",
    "hopeless": "hopeless",
    "ashamed": "ashamed",
    "embarrassed": "ashamed",
    "guilty": "guilty",
    "angry": "angry",
    "furious": "angry",
    "frustrated": "frustrated",
    "numb": "numb",
    "lonely": "lonely",
    "alone": "alone",
    "exhausted": "exhausted",
    "overwhelmed": "overwhelmed",
}


def to_second_person(text: str) -> str:
    """The client's words as the counselor says them back ("I can't" → "you can't")."""
    text = _I_WAS.sub("you were", text)

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        swapped = _SWAPS.get(word.lower())
        return swapped if swapped is not None else word

    return _WORD.sub(swap, text)


def emotions_in(text: str) -> list[str]:
    """Emotion words in a client's turn, as the counselor names them, in order."""
    found: list[str] = []
    for word in _WORD.findall(text.lower()):
        name = EMOTION_WORDS.get(word)
        if name and name not in found:
            found.append(name)
    return found
