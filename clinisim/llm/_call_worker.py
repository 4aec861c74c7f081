"""A call worker process: makes model calls for the parent and sends back the replies.

Every call costs CPU (request building, response parsing, pricing; through
``litellm.acompletion`` also its logging). A benchmark loop with dozens of sessions
in flight spends much of its one core on that, so the parent can hand the calls to
worker processes (:class:`~clinisim.llm.CallWorkers`) and keep its own loop for the
sessions.

Run as ``python -m clinisim.llm._call_worker``. The wire format, both ways, is
frames of a 4-byte big-endian length and a pickle (the two ends are the same
program, so the pickles are trusted):

- parent → worker: ``("call", id, litellm_kwargs)`` and ``("cancel", id)``;
- worker → parent: ``("ready", pid)`` once, then ``("ok", id, ModelReply)`` or
  ``("error", id, kind, message, retryable, retry_after)`` per call.

The original stdout carries the frames; anything else printed goes to stderr. The
worker exits when the parent closes its stdin (Ctrl-C is the parent's to handle).
"""

from __future__ import annotations

import asyncio
import gc
import os
import pickle
import signal
import struct
from typing import Any

from clinisim.llm._litellm_setup import litellm_module
from clinisim.llm._model_call import model_reply
from clinisim.llm._retry_policy import error_name, is_retryable, retry_after_seconds

__all__ = ["HEADER", "frame", "main", "read_frame"]

HEADER = struct.Struct(">I")
MAX_FRAME = 256 * 1024 * 1024


def frame(message: tuple[Any, ...]) -> bytes:
    """One message as a length-prefixed pickle."""
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(body)) + body


async def read_frame(reader: asyncio.StreamReader) -> tuple[Any, ...] | None:
    """The next message, or ``None`` at the end of the stream."""
    try:
        (size,) = HEADER.unpack(await reader.readexactly(HEADER.size))
        if size > MAX_FRAME:
            raise ValueError(f"frame of {size} bytes is larger than {MAX_FRAME}")
        message = pickle.loads(await reader.readexactly(size))
    except asyncio.IncompleteReadError:
        return None
    if not isinstance(message, tuple) or not message:
        raise ValueError(f"not a call worker message: {type(message).__name__}")
    return message


async def _call(kwargs: dict[str, Any]) -> tuple[Any, ...]:
    try:
        return ("ok", await model_reply(kwargs))
    except Exception as exc:  # every failure goes back to the parent's retry policy
        return ("error", error_name(exc), str(exc), is_retryable(exc), retry_after_seconds(exc))


async def _serve(frames_out: int) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=MAX_FRAME)
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(0, "rb", buffering=0)
    )
    transport, _ = await loop.connect_write_pipe(
        asyncio.Protocol, os.fdopen(frames_out, "wb", buffering=0)
    )
    tasks: dict[int, asyncio.Task[None]] = {}

    async def answer(call_id: int, kwargs: dict[str, Any]) -> None:
        try:
            outcome = await _call(kwargs)
            transport.write(frame((outcome[0], call_id, *outcome[1:])))
        finally:
            tasks.pop(call_id, None)

    transport.write(frame(("ready", os.getpid())))
    while (message := await read_frame(reader)) is not None:
        if message[0] == "call":
            call_id, kwargs = message[1], message[2]
            tasks[call_id] = asyncio.create_task(answer(call_id, kwargs))
        elif message[0] == "cancel" and message[1] in tasks:
            tasks[message[1]].cancel()
    for task in list(tasks.values()):
        task.cancel()
    await asyncio.gather(*tasks.values(), return_exceptions=True)
    transport.close()


def main() -> None:
    """Serve calls on stdin/stdout until the parent closes stdin."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent ends it, by closing stdin
    litellm_module()  # import it before saying ready, so the first call does not wait
    # litellm's import leaves a large heap that lives as long as the process; keep
    # it out of the collector, whose full passes over it would stall every call.
    gc.freeze()
    frames_out = os.dup(1)
    os.dup2(2, 1)  # stray prints must not corrupt the frames
    asyncio.run(_serve(frames_out))


if __name__ == "__main__":
    main()
