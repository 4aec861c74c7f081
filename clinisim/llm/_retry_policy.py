"""Which model errors are worth retrying, and how long to wait before the next try."""

from __future__ import annotations

import random
from functools import cache

from clinisim.llm._errors import RemoteCallFailed
from clinisim.llm._litellm_setup import litellm_module

__all__ = [
    "backoff_delay",
    "error_name",
    "is_retryable",
    "retry_after_seconds",
    "retryable_status",
    "seconds_of_retry_after",
]


@cache
def _retryable() -> tuple[type[BaseException], ...]:
    errors = litellm_module().exceptions
    return (
        errors.Timeout,
        errors.APIConnectionError,
        errors.RateLimitError,
        errors.InternalServerError,
        errors.ServiceUnavailableError,
        errors.BadGatewayError,
    )


def retryable_status(status: int) -> bool:
    """408, 429 and 5xx are worth another try; other 4xx (auth, bad request) are not."""
    return status in (408, 429) or status >= 500


def is_retryable(exc: BaseException) -> bool:
    """Timeouts, connection failures, 408, 429 and 5xx are retried; other 4xx are not."""
    if isinstance(exc, RemoteCallFailed):
        return exc.retryable
    if isinstance(exc, _retryable()):
        return True
    status = getattr(exc, "status_code", None)
    return isinstance(status, int) and retryable_status(status)


def seconds_of_retry_after(value: object) -> float | None:
    """A ``Retry-After`` header value in seconds (``None`` when absent or not a number)."""
    try:
        return float(value) if value is not None else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's ``Retry-After`` in seconds, when the error carries one."""
    if isinstance(exc, RemoteCallFailed):
        return exc.retry_after
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    return seconds_of_retry_after(headers.get("retry-after") or headers.get("Retry-After"))


def error_name(exc: BaseException) -> str:
    """The failure's type name; for a call worker's failure, the original one."""
    return exc.kind if isinstance(exc, RemoteCallFailed) else type(exc).__name__


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Exponential backoff with full jitter: uniform in [base/2, base * 2**attempt], capped."""
    high = min(cap, base * (2**attempt))
    return rng.uniform(min(base / 2, high), high)
