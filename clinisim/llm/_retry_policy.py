"""Which model errors are worth retrying, and how long to wait before the next try."""

from __future__ import annotations

import random

from litellm import exceptions as llm_errors

from clinisim.llm._litellm_setup import litellm  # noqa: F401  (configures litellm)

__all__ = ["backoff_delay", "is_retryable", "retry_after_seconds"]

_RETRYABLE = (
    llm_errors.Timeout,
    llm_errors.APIConnectionError,
    llm_errors.RateLimitError,
    llm_errors.InternalServerError,
    llm_errors.ServiceUnavailableError,
    llm_errors.BadGatewayError,
)


def is_retryable(exc: BaseException) -> bool:
    """Timeouts, connection failures, 429 and 5xx are retried; 4xx such as auth are not."""
    if isinstance(exc, _RETRYABLE):
        return True
    status = getattr(exc, "status_code", None)
    return isinstance(status, int) and (status == 429 or status >= 500)


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's ``Retry-After`` in seconds, when the error carries one."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    value = headers.get("retry-after") or headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Exponential backoff with full jitter: uniform in [base/2, base * 2**attempt], capped."""
    high = min(cap, base * (2**attempt))
    return rng.uniform(min(base / 2, high), high)
