"""Is a model's reply usable as an utterance? Empty or garbled replies are re-asked."""

from __future__ import annotations

import re

__all__ = ["usable_utterance"]

_LETTERS = re.compile(r"[A-Za-z]")
_ROLE_PREFIX = re.compile(r"^\s*(patient|doctor|examiner|assistant)\s*:\s*", re.IGNORECASE)


def usable_utterance(text: str, *, max_chars: int = 1200) -> str | None:
    """The cleaned utterance, or ``None`` when it is empty or garbled.

    Garbled means: fewer than two letters, mostly non-letters, or one token repeated
    over and over (a degenerate loop of a small model). Overlong replies are cut at
    ``max_chars`` on a sentence boundary when possible.
    """
    cleaned = _ROLE_PREFIX.sub("", text.replace("\x00", "")).strip()
    if len(_LETTERS.findall(cleaned)) < 2:
        return None
    letters = len(_LETTERS.findall(cleaned))
    if letters / max(len(cleaned), 1) < 0.4:
        return None
    tokens = cleaned.split()
    if len(tokens) >= 8 and len(set(tokens)) <= max(1, len(tokens) // 8):
        return None
    if len(cleaned) > max_chars:
        cut = cleaned[:max_chars]
        end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
        cleaned = cut[: end + 1] if end > max_chars // 2 else cut
    return cleaned
