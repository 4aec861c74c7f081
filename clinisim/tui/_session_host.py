"""A thread with its own event loop, where the app's sessions and model calls run.

The offline engine does real CPU work (embedding, retrieval, rendering) and a model
call can take seconds. Running both on a loop of their own keeps the app's loop free
to draw and take keystrokes; a screen's worker awaits the result without blocking.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["SessionHost"]

T = TypeVar("T")


class SessionHost:
    """Runs coroutines on a background event loop; :meth:`call` awaits one from another loop.

    One host serves the whole process (:meth:`shared`): litellm keeps per-process
    state bound to the first loop that calls it, so every app in a process (tests
    run many) must make its model calls on the same loop.
    """

    _shared: SessionHost | None = None
    _shared_lock = threading.Lock()

    @classmethod
    def shared(cls) -> SessionHost:
        """The process's host, started on first use; its daemon thread ends with the process."""
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="clinisim-sessions", daemon=True
        )
        self._thread.start()

    async def call(self, work: Coroutine[Any, Any, T]) -> T:
        """Run ``work`` on the host loop and wait for its result without blocking."""
        future = asyncio.run_coroutine_threadsafe(work, self._loop)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            future.cancel()
            raise

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Run ``work`` on the host loop from a thread that has no loop of its own."""
        return asyncio.run_coroutine_threadsafe(work, self._loop).result()

    def close(self) -> None:
        """Stop the loop once its pending work is done."""
        if self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._loop.is_running():
            self._loop.close()
