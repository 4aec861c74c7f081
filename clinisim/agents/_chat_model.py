"""The narrow model interface LLM agents need, so agents stay independent of litellm."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from clinisim.schemas import Usage

__all__ = ["ChatModel", "Message"]

T = TypeVar("T")

Message = dict[str, str]
"""An OpenAI-style chat message: ``{"role": "system"|"user"|"assistant", "content": ...}``."""


class ChatModel(Protocol):
    """Calls the model configured for one role.

    ``parse`` turns the raw reply into a value or returns ``None`` when the reply is
    empty or unusable; the implementation re-asks a bounded number of times and then
    raises a ``RuntimeFailure``. It returns the parsed value and the usage of every
    call made (re-asks included).
    """

    model: str

    async def chat(
        self, messages: list[Message], parse: Callable[[str], T | None]
    ) -> tuple[T, Usage]:
        """Send ``messages``; return the parsed reply and the usage."""
        ...
