"""Which model replies are usable utterances and which are re-asked."""

from __future__ import annotations

import pytest

from clinisim.agents import usable_utterance


@pytest.mark.parametrize(
    "text", ["", "   ", "\n\n", "...", "?!", "12 34 56", "<> {} [] ()", "the " * 40, "a"]
)
def test_empty_or_garbled_is_unusable(text: str) -> None:
    assert usable_utterance(text) is None


def test_role_prefix_is_stripped_and_text_kept() -> None:
    assert usable_utterance("Patient: It started two days ago.") == "It started two days ago."


def test_overlong_reply_is_cut_on_a_sentence() -> None:
    text = " ".join(f"Sentence number {i} describes the pain." for i in range(60))
    cleaned = usable_utterance(text, max_chars=100)
    assert cleaned is not None
    assert len(cleaned) <= 100 and cleaned.endswith(".")
