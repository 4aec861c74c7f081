"""What the kit keeps of one litellm response: the text, why it ended, tokens and cost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clinisim.llm._litellm_setup import litellm_module

__all__ = ["ModelReply", "reply_of"]


@dataclass(frozen=True)
class ModelReply:
    """One model response, reduced to plain values (cheap to copy between processes)."""

    text: str
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    """``None`` when the model has no known price: unknown, not zero."""


def _cost_of(response: Any) -> float | None:
    hidden = getattr(response, "_hidden_params", None) or {}
    if "response_cost" in hidden:
        # litellm priced the call already; pricing it again costs about a millisecond.
        known = hidden["response_cost"]
        return float(known) if known is not None else None
    try:
        return float(litellm_module().completion_cost(completion_response=response))
    except Exception:  # the model has no known price
        return None


def reply_of(response: Any) -> ModelReply:
    """The :class:`ModelReply` of a litellm ``ModelResponse`` (tolerant of odd shapes)."""
    raw = getattr(response, "usage", None)
    text, finish = "", None
    try:
        choice = response.choices[0]
    except (AttributeError, IndexError, TypeError):
        choice = None
    if choice is not None:
        content = getattr(getattr(choice, "message", None), "content", None)
        text = content if isinstance(content, str) else ""
        finish = getattr(choice, "finish_reason", None)
    return ModelReply(
        text=text,
        finish_reason=finish,
        prompt_tokens=int(getattr(raw, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(raw, "completion_tokens", 0) or 0),
        cost_usd=_cost_of(response),
    )
