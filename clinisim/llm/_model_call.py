"""One model call: the direct OpenAI-compatible path where it applies, else litellm."""

from __future__ import annotations

from typing import Any

from clinisim.llm._litellm_setup import litellm_module
from clinisim.llm._model_reply import ModelReply, reply_of
from clinisim.llm._openai_compatible import direct_reply, direct_route

__all__ = ["model_reply"]


async def model_reply(kwargs: dict[str, Any]) -> ModelReply:
    """The reply to one call's litellm arguments (see :mod:`clinisim.llm._openai_compatible`)."""
    route = direct_route(kwargs)
    if route is not None:
        return await direct_reply(route, kwargs)
    return reply_of(await litellm_module().acompletion(**kwargs))
