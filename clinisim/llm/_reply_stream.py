"""Streaming a reply's text as it arrives, for a caller that shows it live.

A caller that wants partial text (the trainee app) wraps its work in
:func:`streaming_to`; every model call made inside it, in any task it starts, asks
litellm for a stream and reports the text so far to the sink, with the role. The
reply itself is unchanged: the chunks are rebuilt into one response (usage and cost
included) and parsed and re-asked as usual, so a garbled reply streamed on screen is
still re-asked. Without a sink, calls are not streamed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from clinisim.llm._litellm_setup import litellm_module
from clinisim.llm._model_reply import ModelReply, reply_of

__all__ = ["TextSink", "current_sink", "streamed_reply", "streaming_to"]

TextSink = Callable[[str, str], None]
"""Called with the role and the reply's text so far."""

_SINK: ContextVar[TextSink | None] = ContextVar("clinisim_text_sink", default=None)


@contextmanager
def streaming_to(sink: TextSink) -> Iterator[None]:
    """Stream every model call made in this context (and the tasks it starts) to ``sink``."""
    token = _SINK.set(sink)
    try:
        yield
    finally:
        _SINK.reset(token)


def current_sink() -> TextSink | None:
    """The sink of the current context, if any."""
    return _SINK.get()


async def streamed_reply(role: str, kwargs: dict[str, Any], sink: TextSink) -> ModelReply:
    """Call litellm with ``stream=True``, feed ``sink`` the growing text, rebuild the reply."""
    litellm = litellm_module()
    stream = await litellm.acompletion(**kwargs, stream=True)
    chunks: list[Any] = []
    text = ""
    async for chunk in stream:
        chunks.append(chunk)
        choices = getattr(chunk, "choices", None) or []
        delta = getattr(getattr(choices[0], "delta", None), "content", None) if choices else None
        if delta:
            text += delta
            sink(role, text)
    if not chunks:
        return ModelReply(
            text="", finish_reason=None, prompt_tokens=0, completion_tokens=0, cost_usd=None
        )
    return reply_of(litellm.stream_chunk_builder(chunks, messages=kwargs.get("messages")))
