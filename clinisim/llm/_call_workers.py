"""A pool of call worker processes that make the async model calls of a run.

With many sessions in flight, the CPU work of each call (about a millisecond on the
direct path to a self-hosted server, about ten through ``litellm.acompletion``)
fills the one core an event loop has. :class:`CallWorkers` moves that
work to ``count`` child processes (:mod:`clinisim.llm._call_worker`); the run's
loop keeps the sessions, budgets, limits, cache and retry policy, and only the
call itself (:func:`~clinisim.llm._model_call.model_reply`) travels. Replies come back as :class:`ModelReply`; failures
come back as :class:`RemoteCallFailed` with the retry decision already made.

Lifecycle: :meth:`start` launches the processes (they need a few seconds to
import litellm, so start them early); :meth:`attach` binds them to the running
event loop and waits until each is ready, or :meth:`begin_attach` does that in
the background while calls already queue for them (a run's sessions start at
once); :meth:`aclose` ends them. A worker that
dies fails its calls in flight and every later call with a non-retryable
:class:`RemoteCallFailed`, so sessions fail visibly rather than hang.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from clinisim.llm._call_worker import frame, read_frame
from clinisim.llm._errors import RemoteCallFailed
from clinisim.llm._model_reply import ModelReply

__all__ = ["CallWorkers"]

READY_TIMEOUT = 120.0
"""Seconds a worker may take to import litellm and say it is ready."""


class _Worker:
    """One child process and its frames, bound to one event loop."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.pending: dict[int, asyncio.Future[ModelReply]] = {}
        self.transport: asyncio.WriteTransport | None = None
        self.listener: asyncio.Task[None] | None = None
        self.broken: str | None = None

    async def attach(self) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=2**28)
        assert self.process.stdout is not None and self.process.stdin is not None
        await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), self.process.stdout
        )
        self.transport, _ = await loop.connect_write_pipe(asyncio.Protocol, self.process.stdin)
        ready = await asyncio.wait_for(read_frame(reader), READY_TIMEOUT)
        if ready is None or ready[0] != "ready":
            raise RuntimeError(f"call worker {self.process.pid} did not start: {self._exit()}")
        self.listener = asyncio.create_task(self._listen(reader))

    def _exit(self) -> str:
        code = self.process.poll()
        return "still running" if code is None else f"exit code {code}"

    async def _listen(self, reader: asyncio.StreamReader) -> None:
        try:
            while (message := await read_frame(reader)) is not None:
                future = self.pending.pop(message[1], None)
                if future is None or future.done():
                    continue  # the caller gave up (cancelled) before the reply came
                if message[0] == "ok":
                    future.set_result(message[2])
                else:
                    kind, text, retryable, retry_after = message[2:6]
                    future.set_exception(
                        RemoteCallFailed(kind, text, retryable=retryable, retry_after=retry_after)
                    )
        except (ValueError, EOFError, OSError) as exc:  # a garbled frame: stop trusting it
            self.broken = f"unreadable reply from call worker {self.process.pid}: {exc}"
        else:
            for _ in range(40):  # the pipe closes as the process exits; wait for its code
                if self.process.poll() is not None:
                    break
                await asyncio.sleep(0.05)
            self.broken = f"call worker {self.process.pid} ended ({self._exit()})"
        self._fail_pending()

    def _fail_pending(self) -> None:
        for future in self.pending.values():
            if not future.done():
                future.set_exception(self._failure())
        self.pending.clear()

    def _failure(self) -> RemoteCallFailed:
        return RemoteCallFailed("CallWorkerLost", self.broken or "", retryable=False)

    async def call(self, call_id: int, kwargs: dict[str, Any]) -> ModelReply:
        if self.broken is not None:
            raise self._failure()
        assert self.transport is not None
        future: asyncio.Future[ModelReply] = asyncio.get_running_loop().create_future()
        self.pending[call_id] = future
        self.transport.write(frame(("call", call_id, kwargs)))
        try:
            return await future
        except asyncio.CancelledError:
            self.pending.pop(call_id, None)
            if self.broken is None and not self.transport.is_closing():
                self.transport.write(frame(("cancel", call_id)))
            raise

    async def close(self) -> None:
        if self.transport is not None:
            self.transport.close()  # the worker sees end of input and exits
        if self.listener is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self.listener), 10)
            except TimeoutError:
                self.listener.cancel()
        self.broken = self.broken or "call workers closed"
        self._fail_pending()


class CallWorkers:
    """``count`` call worker processes; calls go to the least busy one."""

    def __init__(self, count: int, *, log_path: Path | None = None) -> None:
        if count < 1:
            raise ValueError(f"call workers: need at least 1, got {count}")
        self.count = count
        self.log_path = log_path
        self._workers: list[_Worker] = []
        self._ids = itertools.count(1)
        self._log: IO[bytes] | None = None
        self._attaching: asyncio.Task[None] | None = None

    @property
    def started(self) -> bool:
        return bool(self._workers)

    def start(self) -> None:
        """Launch the processes (returns at once; :meth:`attach` waits for them)."""
        if self._workers:
            return
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = self.log_path.open("ab")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        for _ in range(self.count):
            process = subprocess.Popen(
                [sys.executable, "-m", "clinisim.llm._call_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log if self._log is not None else subprocess.DEVNULL,
                bufsize=0,
                env=env,
            )
            self._workers.append(_Worker(process))

    async def attach(self) -> None:
        """Bind the workers to the running loop; wait until every one is ready."""
        self.start()
        await asyncio.gather(*(w.attach() for w in self._workers if w.transport is None))

    def begin_attach(self) -> None:
        """Attach in the background; calls wait for it (see :attr:`failure`)."""
        self.start()
        if self._attaching is None:
            self._attaching = asyncio.get_running_loop().create_task(self.attach())

    def attach_task(self) -> asyncio.Task[None]:
        """The background attach of :meth:`begin_attach` (to wait on, or watch)."""
        if self._attaching is None:
            raise RuntimeError("begin_attach() was not called")
        return self._attaching

    @property
    def failure(self) -> str | None:
        """Why a background attach failed, or ``None`` (still going, or attached)."""
        task = self._attaching
        if task is None or not task.done() or task.cancelled():
            return None
        exc = task.exception()
        return f"{type(exc).__name__}: {exc}" if exc is not None else None

    async def acompletion(self, kwargs: dict[str, Any]) -> ModelReply:
        """One litellm call, made by the least busy worker."""
        if self._attaching is not None and not self._attaching.done():
            await asyncio.wait([self._attaching])  # not shielded away by a cancelled caller
        if self.failure is not None:
            raise RemoteCallFailed("CallWorkersDidNotStart", self.failure, retryable=False)
        if not self._workers or self._workers[0].transport is None:
            raise RuntimeError("call workers are not attached to this event loop")
        worker = min(self._workers, key=lambda w: (w.broken is not None, len(w.pending)))
        return await worker.call(next(self._ids), kwargs)

    async def aclose(self) -> None:
        """End every worker: close its input, then wait for it (killed after 10 s)."""
        if self._attaching is not None and not self._attaching.done():
            self._attaching.cancel()
            await asyncio.wait([self._attaching])
        self._attaching = None
        await asyncio.gather(*(w.close() for w in self._workers))
        self.close()

    def close(self) -> None:
        """End the processes without an event loop (also safe after :meth:`aclose`)."""
        for worker in self._workers:
            process = worker.process
            for stream in (process.stdin, process.stdout):
                if stream is not None and not stream.closed:
                    stream.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._workers.clear()
        if self._log is not None:
            self._log.close()
            self._log = None

    def pids(self) -> list[int]:
        """The workers' process ids (for tests and diagnostics)."""
        return [w.process.pid for w in self._workers]
