"""How many model calls may be in flight at once, per provider.

A provider is the part of a model string before the first ``/`` (``openai`` in
``openai/gpt-4o-mini``); a limit may also name a full model string, which then
takes precedence. Providers without a limit are not throttled here (the run's
session concurrency still bounds them).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

__all__ = ["CallLimits", "provider_of"]


def provider_of(model: str) -> str:
    """``openai`` for ``openai/gpt-4o-mini``; the whole string when it has no ``/``."""
    return model.partition("/")[0]


class CallLimits:
    """Per-provider semaphores for async model calls.

    Create it inside the event loop that uses it (asyncio primitives bind to one).
    """

    def __init__(self, limits: Mapping[str, int] | None = None) -> None:
        self.limits = dict(limits or {})
        self._semaphores = {key: asyncio.Semaphore(n) for key, n in self.limits.items()}
        self.in_flight: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        """Most calls seen in flight at once, per limit key (for reports and tests)."""

    def _key(self, model: str) -> str | None:
        if model in self._semaphores:
            return model
        provider = provider_of(model)
        return provider if provider in self._semaphores else None

    @asynccontextmanager
    async def slot(self, model: str) -> AsyncIterator[None]:
        """Hold a call slot for ``model`` while the block runs."""
        key = self._key(model)
        if key is None:
            yield
            return
        async with self._semaphores[key]:
            self.in_flight[key] = self.in_flight.get(key, 0) + 1
            self.peak[key] = max(self.peak.get(key, 0), self.in_flight[key])
            try:
                yield
            finally:
                self.in_flight[key] -= 1
