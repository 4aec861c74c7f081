"""Model-layer failures, as the kit's runtime error type (exit code 1)."""

from __future__ import annotations

from clinisim.errors import RuntimeFailure
from clinisim.schemas import Usage

__all__ = ["ModelUnreachable", "RemoteCallFailed", "UnusableReply"]


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


class RemoteCallFailed(Exception):
    """A model call failed, described by the kit rather than by a litellm exception.

    Raised by the direct path to a self-hosted server, and for a call that failed in
    a call worker process. It carries what the retry policy needs, decided where the
    failure happened: whether to retry and the server's ``Retry-After``. ``kind`` is
    litellm's name for the failure (``RateLimitError``, ``APIConnectionError``, ...).
    """

    def __init__(
        self, kind: str, message: str, *, retryable: bool, retry_after: float | None = None
    ) -> None:
        self.kind = kind
        self.retryable = retryable
        self.retry_after = retry_after
        super().__init__(message)
