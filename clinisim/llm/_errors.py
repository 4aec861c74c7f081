"""Model-layer failures, as the kit's runtime error type (exit code 1)."""

from __future__ import annotations

from clinisim.errors import RuntimeFailure
from clinisim.schemas import Usage

__all__ = ["ModelUnreachable", "UnusableReply"]


class ModelUnreachable(RuntimeFailure):
    """The model could not be reached (or kept failing) after the bounded retries."""

    def __init__(self, problem: str, *, role: str, model: str, attempts: int) -> None:
        self.role = role
        self.model = model
        self.attempts = attempts
        self.usage = Usage()
        super().__init__(problem, field=f"{role} model {model}")


class UnusableReply(RuntimeFailure):
    """The model's replies stayed empty or unparseable after the bounded re-asks."""

    def __init__(self, problem: str, *, role: str, model: str, last_reply: str, usage: Usage):
        self.role = role
        self.model = model
        self.last_reply = last_reply
        self.usage = usage
        super().__init__(problem, field=f"{role} model {model}")
