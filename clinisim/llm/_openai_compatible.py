"""A chat call to a self-hosted OpenAI-compatible server, without litellm's per-call work.

``litellm.acompletion`` spends about 10 ms of CPU on every call on this kit's
machines, most of it outside the request itself: a logging object and its success
handler, pricing by searching the price map for a model it does not know, the openai
SDK's client, and the response object built for all of that. A benchmark of many
sessions against a local server (vLLM, llama.cpp, LM Studio) spends most of its CPU
there.

For such a call (an ``api_base`` with a provider that speaks the OpenAI wire format),
litellm still decides everything about the provider: it resolves the provider, maps
the OpenAI parameters (:meth:`map_openai_params`), builds the URL, the headers and
the body with its provider config, and prices the reply from its price map. The kit
sends the request on one pooled ``aiohttp`` session per event loop and reads the
OpenAI-shaped JSON reply itself. Failures come back as :class:`RemoteCallFailed`
with litellm's exception names and the retry decision made here.

Every other call (hosted providers, extra litellm options such as ``mock_response``,
litellm callbacks or a litellm cache configured, or ``CLINISIM_CALL_PATH=litellm``)
goes through ``litellm.acompletion`` (:func:`clinisim.llm._model_call.model_reply`).
"""

from __future__ import annotations

import asyncio
import json
import os
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from clinisim.llm._config import CALL_PATH_ENV
from clinisim.llm._errors import RemoteCallFailed
from clinisim.llm._litellm_setup import litellm_module
from clinisim.llm._model_reply import ModelReply
from clinisim.llm._retry_policy import retryable_status, seconds_of_retry_after

if TYPE_CHECKING:
    import aiohttp

__all__ = ["CALL_PATH_ENV", "DIRECT_PROVIDERS", "DirectRoute", "direct_reply", "direct_route"]

DIRECT_PROVIDERS = frozenset({"openai", "hosted_vllm", "lm_studio", "llamafile"})
"""litellm providers whose self-hosted servers speak OpenAI's chat completions."""

_REQUEST_KEYS = frozenset({"model", "messages", "api_base", "api_key", "timeout", "max_retries"})
_OPENAI_PARAMS = frozenset(
    {"max_tokens", "temperature", "top_p", "seed", "stop", "presence_penalty", "frequency_penalty"}
)
_STATUS_KINDS = {
    400: "BadRequestError",
    401: "AuthenticationError",
    403: "PermissionDeniedError",
    404: "NotFoundError",
    408: "Timeout",
    422: "UnprocessableEntityError",
    429: "RateLimitError",
    500: "InternalServerError",
    502: "BadGatewayError",
    503: "ServiceUnavailableError",
}


@dataclass(frozen=True)
class DirectRoute:
    """Where and how one model is called directly: litellm's view of its provider."""

    model: str
    """The model name as the server knows it (without the provider prefix)."""
    provider: str
    url: str
    headers: dict[str, str]
    config: Any
    """litellm's chat config for the provider (maps parameters, builds the body)."""
    proxy: str | None = None
    """The proxy from ``HTTP(S)_PROXY``, unless ``NO_PROXY`` exempts the server."""


def _litellm_is_plain() -> bool:
    """True when nothing is hooked into litellm that a direct call would skip."""
    litellm = litellm_module()
    hooks = (
        "callbacks",
        "success_callback",
        "failure_callback",
        "input_callback",
        "_async_success_callback",
        "_async_failure_callback",
        "_async_input_callback",
    )
    return not any(getattr(litellm, name, None) for name in hooks) and litellm.cache is None


def direct_route(kwargs: dict[str, Any]) -> DirectRoute | None:
    """The direct route of one call's litellm arguments, or ``None`` to use litellm."""
    if os.environ.get(CALL_PATH_ENV, "auto").strip().lower() == "litellm":
        return None
    if not kwargs.get("api_base") or any(
        key not in _REQUEST_KEYS and key not in _OPENAI_PARAMS for key in kwargs
    ):
        return None
    if not _litellm_is_plain():
        return None
    return _route(str(kwargs["model"]), str(kwargs["api_base"]), kwargs.get("api_key"))


@lru_cache(maxsize=64)
def _route(model: str, api_base: str, api_key: str | None) -> DirectRoute | None:
    litellm = litellm_module()
    from litellm.llms.openai.chat.gpt_transformation import OpenAIGPTConfig
    from litellm.types.utils import LlmProviders
    from litellm.utils import ProviderConfigManager

    try:
        name, provider, key, base = litellm.get_llm_provider(
            model, api_base=api_base, api_key=api_key
        )
        config = ProviderConfigManager.get_provider_chat_config(
            model=name, provider=LlmProviders(provider)
        )
    except Exception:  # litellm cannot place it: let litellm.acompletion report that
        return None
    if provider not in DIRECT_PROVIDERS or not isinstance(config, OpenAIGPTConfig):
        return None
    base = base or api_base
    headers = config.validate_environment(
        headers={},
        model=name,
        messages=[],
        optional_params={},
        litellm_params={},
        api_key=key or api_key,
        api_base=base,
    )
    url = config.get_complete_url(
        api_base=base, api_key=key, model=name, optional_params={}, litellm_params={}, stream=False
    )
    return DirectRoute(
        model=name,
        provider=provider,
        url=url,
        headers=headers,
        config=config,
        proxy=_proxy_for(url),
    )


def _proxy_for(url: str) -> str | None:
    """The environment's proxy for ``url``, read once per route (per call it costs a
    millisecond, more than the rest of the request)."""
    import urllib.request

    proxies = urllib.request.getproxies()
    host = urlsplit(url).hostname or ""
    if not proxies or urllib.request.proxy_bypass(host):
        return None
    return proxies.get(urlsplit(url).scheme)


class _Pool:
    """One event loop's HTTP session, closed when the loop shuts down."""

    def __init__(self) -> None:
        import aiohttp  # imported on the first direct call: commands that make none skip it

        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        # asyncio.run() closes the async generators still open when its loop ends
        # (shutdown_asyncgens); this one's only job is to close the session then, so
        # that a session never outlives its loop unclosed, whoever ran the loop.
        self.keeper = self._close_at_shutdown()

    async def _close_at_shutdown(self) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await self.session.close()

    async def start(self) -> _Pool:
        await anext(self.keeper)
        return self


_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Pool] = weakref.WeakKeyDictionary()


async def _http_session() -> aiohttp.ClientSession:
    """One pooled session per event loop (a session's connections belong to its loop)."""
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is None or pool.session.closed:
        pool = _pools[loop] = await _Pool().start()
    return pool.session


def _body(route: DirectRoute, kwargs: dict[str, Any]) -> dict[str, Any]:
    asked = {key: kwargs[key] for key in _OPENAI_PARAMS if kwargs.get(key) is not None}
    try:
        optional = route.config.map_openai_params(
            non_default_params=asked,
            optional_params={},
            model=route.model,
            drop_params=bool(litellm_module().drop_params),
        )
    except Exception as exc:  # an unsupported parameter: not worth retrying
        raise RemoteCallFailed(type(exc).__name__, str(exc), retryable=False) from None
    body: dict[str, Any] = route.config.transform_request(
        route.model, kwargs["messages"], dict(optional), {}, dict(route.headers)
    )
    return body


def _failure(url: str, status: int, text: str, hinted: str | None) -> RemoteCallFailed:
    kind = _STATUS_KINDS.get(status, "InternalServerError" if status >= 500 else "APIError")
    detail = " ".join(text.split())[:300]
    return RemoteCallFailed(
        kind,
        f"{status} from {url}: {detail}",
        retryable=retryable_status(status),
        retry_after=seconds_of_retry_after(hinted),
    )


@lru_cache(maxsize=64)
def _priced(model: str, provider: str) -> bool:
    try:
        litellm_module().get_model_info(model=model, custom_llm_provider=provider)
    except Exception:  # not in litellm's price map
        return False
    return True


def _cost(route: DirectRoute, prompt_tokens: int, completion_tokens: int) -> float | None:
    if not _priced(route.model, route.provider):
        return None
    prompt_cost, completion_cost = litellm_module().cost_per_token(
        model=route.model,
        custom_llm_provider=route.provider,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
    )
    return float(prompt_cost + completion_cost)


def _reply(route: DirectRoute, data: Any) -> ModelReply:
    """The :class:`ModelReply` of an OpenAI chat completion (tolerant of odd shapes)."""
    if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
        raise RemoteCallFailed(
            "APIError", f"not a chat completion: {str(data)[:200]}", retryable=True
        )
    choice = data["choices"][0] if data["choices"] else {}
    message = choice.get("message") if isinstance(choice, dict) else None
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, list):  # content parts: keep the text ones
        content = "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    raw_usage = data.get("usage")
    usage: dict[str, Any] = raw_usage if isinstance(raw_usage, dict) else {}
    prompt_tokens = int(usage.get("prompt_tokens") or 0)
    completion_tokens = int(usage.get("completion_tokens") or 0)
    finish = choice.get("finish_reason") if isinstance(choice, dict) else None
    return ModelReply(
        text=content if isinstance(content, str) else "",
        finish_reason=finish if isinstance(finish, str) else None,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        cost_usd=_cost(route, prompt_tokens, completion_tokens),
    )


async def direct_reply(route: DirectRoute, kwargs: dict[str, Any]) -> ModelReply:
    """One call on ``route``; a failure raises :class:`RemoteCallFailed`."""
    import aiohttp

    body = _body(route, kwargs)
    timeout = kwargs.get("timeout")
    session = await _http_session()
    try:
        async with session.post(
            route.url,
            data=json.dumps(body),
            headers=route.headers,
            proxy=route.proxy,
            timeout=aiohttp.ClientTimeout(total=float(timeout) if timeout else None),
        ) as response:
            raw = await response.read()
            status, hinted = response.status, response.headers.get("Retry-After")
    except TimeoutError:
        detail = f"no reply from {route.url} within {timeout}s"
        raise RemoteCallFailed("Timeout", detail, retryable=True) from None
    except aiohttp.ClientError as exc:
        detail = str(exc) or type(exc).__name__
        raise RemoteCallFailed(
            "APIConnectionError", f"cannot reach {route.url}: {detail}", retryable=True
        ) from None
    text = raw.decode("utf-8", errors="replace")
    if status >= 400:
        raise _failure(route.url, status, text, hinted)
    try:
        data = json.loads(text)
    except ValueError:
        raise RemoteCallFailed(
            "APIError", f"reply is not JSON: {text[:200]!r}", retryable=True
        ) from None
    return _reply(route, data)
