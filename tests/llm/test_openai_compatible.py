"""The direct path to self-hosted OpenAI-compatible servers, against real local servers.

The fake OpenAI-compatible server from ``benchmarks/`` and a small aiohttp server of
this file (which answers what each test asks: a status, a body, a delay) run on
127.0.0.1 in the test's own loop.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from clinisim.llm import RemoteCallFailed
from clinisim.llm._litellm_setup import litellm_module
from clinisim.llm._model_call import model_reply
from clinisim.llm._model_reply import reply_of
from clinisim.llm._openai_compatible import CALL_PATH_ENV, direct_reply, direct_route
from clinisim.llm._retry_policy import error_name, is_retryable, retry_after_seconds

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from fake_openai_server import start_server

MESSAGES = [
    {"role": "system", "content": "You are a patient."},
    {"role": "user", "content": "What brings you in today?"},
]


def _kwargs(
    model: str, api_base: str | None = "http://127.0.0.1:9/v1", **extra: Any
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"model": model, "messages": MESSAGES, "max_retries": 0}
    if api_base is not None:
        kwargs["api_base"] = api_base
        kwargs["api_key"] = "not-needed"
    return {**kwargs, **extra}


@pytest.mark.parametrize(
    ("kwargs", "direct"),
    [
        (_kwargs("openai/qwen2"), True),
        (_kwargs("hosted_vllm/llama-3", max_tokens=64, temperature=0.2), True),
        (_kwargs("lm_studio/phi-3", timeout=30), True),
        (_kwargs("openai/gpt-4o-mini", api_base=None), False),  # a hosted provider
        (_kwargs("anthropic/claude-3-5-haiku-20241022"), False),  # not the OpenAI wire format
        (_kwargs("azure/gpt-4o"), False),  # OpenAI's format, another URL and auth
        (_kwargs("openai/qwen2", mock_response="Hi."), False),  # a litellm-only option
        (_kwargs("openai/qwen2", tools=[{"type": "function"}]), False),
    ],
)
def test_the_direct_path_is_for_self_hosted_openai_compatible_servers(
    kwargs: dict[str, Any], direct: bool
) -> None:
    assert (direct_route(kwargs) is not None) is direct


def test_the_route_is_litellms_url_and_headers() -> None:
    route = direct_route(_kwargs("hosted_vllm/llama-3", api_base="http://10.0.0.5:8000/v1/"))
    assert route is not None
    assert route.model == "llama-3" and route.provider == "hosted_vllm"
    assert route.url == "http://10.0.0.5:8000/v1/chat/completions"
    assert route.headers["Authorization"] == "Bearer not-needed"


def test_call_path_litellm_sends_every_call_through_litellm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(CALL_PATH_ENV, "litellm")
    assert direct_route(_kwargs("openai/qwen2")) is None


def test_a_litellm_callback_turns_the_direct_path_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(litellm_module(), "success_callback", ["a-logger"])
    assert direct_route(_kwargs("openai/qwen2")) is None


async def test_a_direct_reply_is_the_reply_litellm_gives() -> None:
    runner, url = await start_server(latency_ms=0)
    try:
        kwargs = _kwargs("openai/fake", api_base=url, max_tokens=64, timeout=10)
        route = direct_route(kwargs)
        assert route is not None
        direct = await direct_reply(route, kwargs)
        through_litellm = reply_of(await litellm_module().acompletion(**kwargs))
    finally:
        await runner.cleanup()
    assert direct.text and direct == through_litellm
    assert direct.cost_usd is None  # a model with no known price: unknown, not zero


async def test_a_known_model_is_priced_from_litellms_price_map() -> None:
    runner, url = await start_server(latency_ms=0)
    try:
        kwargs = _kwargs("openai/gpt-4o-mini", api_base=url)
        reply = await model_reply(kwargs)
    finally:
        await runner.cleanup()
    prompt_cost, completion_cost = litellm_module().cost_per_token(
        model="gpt-4o-mini",
        custom_llm_provider="openai",
        prompt_tokens=reply.prompt_tokens,
        completion_tokens=reply.completion_tokens,
    )
    assert reply.prompt_tokens > 0 and reply.completion_tokens > 0
    assert reply.cost_usd == pytest.approx(prompt_cost + completion_cost)
    assert reply.cost_usd is not None and reply.cost_usd > 0


class _Scripted:
    """An aiohttp server whose next answer each test sets; it keeps the bodies it got."""

    def __init__(self) -> None:
        self.status = 200
        self.body = ""
        self.headers: dict[str, str] = {}
        self.delay = 0.0
        self.received: list[dict[str, Any]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(json.loads(await request.text()))
        await asyncio.sleep(self.delay)
        return web.Response(status=self.status, text=self.body, headers=self.headers)

    def answer(self, status: int, body: object, **headers: str) -> None:
        self.status = status
        self.body = body if isinstance(body, str) else json.dumps(body)
        self.headers = headers


@pytest.fixture
async def scripted() -> AsyncIterator[tuple[_Scripted, str]]:
    server = _Scripted()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield server, f"http://127.0.0.1:{port}/v1"
    await runner.cleanup()


def _completion(content: object, **extra: Any) -> dict[str, Any]:
    return {
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, **extra}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3},
    }


async def _failure(kwargs: dict[str, Any]) -> RemoteCallFailed:
    with pytest.raises(RemoteCallFailed) as caught:
        await model_reply(kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("status", "headers", "kind", "retryable", "retry_after"),
    [
        (401, {}, "AuthenticationError", False, None),
        (404, {}, "NotFoundError", False, None),
        (400, {}, "BadRequestError", False, None),
        (429, {"Retry-After": "2"}, "RateLimitError", True, 2.0),
        (503, {"Retry-After": "soon"}, "ServiceUnavailableError", True, None),
        (500, {}, "InternalServerError", True, None),
        (504, {}, "InternalServerError", True, None),
    ],
)
async def test_http_failures_are_named_and_classified_for_the_retry_policy(
    scripted: tuple[_Scripted, str],
    status: int,
    headers: dict[str, str],
    kind: str,
    retryable: bool,
    retry_after: float | None,
) -> None:
    server, url = scripted
    server.answer(status, {"error": {"message": "nope"}}, **headers)
    failure = await _failure(_kwargs("openai/qwen2", api_base=url))
    assert error_name(failure) == kind
    assert is_retryable(failure) is retryable
    assert retry_after_seconds(failure) == retry_after
    assert str(status) in str(failure) and "nope" in str(failure)


@pytest.mark.parametrize("body", ["<html>busy</html>", {"id": "x"}, ["not", "a", "reply"]])
async def test_a_reply_that_is_not_a_chat_completion_is_a_retryable_failure(
    scripted: tuple[_Scripted, str], body: object
) -> None:
    server, url = scripted
    server.answer(200, body)
    failure = await _failure(_kwargs("openai/qwen2", api_base=url))
    assert error_name(failure) == "APIError" and is_retryable(failure)


async def test_a_slow_server_times_out(scripted: tuple[_Scripted, str]) -> None:
    server, url = scripted
    server.answer(200, _completion("late"))
    server.delay = 2.0
    failure = await _failure(_kwargs("openai/qwen2", api_base=url, timeout=0.2))
    assert error_name(failure) == "Timeout" and is_retryable(failure)
    assert "within 0.2s" in str(failure)


@pytest.mark.parametrize(
    ("content", "text"),
    [
        ("I have had a headache.", "I have had a headache."),
        (None, ""),  # an empty reply is the re-ask loop's to handle
        ([{"type": "text", "text": "In "}, {"type": "text", "text": "parts."}], "In parts."),
    ],
)
async def test_reply_shapes_are_read_liberally(
    scripted: tuple[_Scripted, str], content: object, text: str
) -> None:
    server, url = scripted
    server.answer(200, _completion(content, finish_reason="length"))
    reply = await model_reply(_kwargs("openai/qwen2", api_base=url))
    assert reply.text == text and reply.finish_reason == "length"
    assert (reply.prompt_tokens, reply.completion_tokens) == (12, 3)


async def test_parameters_are_mapped_by_litellm_for_the_model(
    scripted: tuple[_Scripted, str],
) -> None:
    server, url = scripted
    server.answer(200, _completion("ok"))
    await model_reply(_kwargs("openai/qwen2", api_base=url, max_tokens=64, temperature=0.3))
    await model_reply(_kwargs("openai/gpt-5-mini", api_base=url, max_tokens=64))
    plain, reasoning = server.received
    assert plain["model"] == "qwen2" and plain["messages"] == MESSAGES
    assert plain["max_tokens"] == 64 and plain["temperature"] == 0.3
    assert "max_retries" not in plain
    # litellm knows that this model family takes max_completion_tokens instead
    assert reasoning["max_completion_tokens"] == 64 and "max_tokens" not in reasoning


async def test_a_parameter_the_model_refuses_is_not_retried(
    scripted: tuple[_Scripted, str],
) -> None:
    server, url = scripted
    server.answer(200, _completion("ok"))
    failure = await _failure(_kwargs("openai/gpt-5-mini", api_base=url, temperature=0.2))
    assert not is_retryable(failure) and "temperature" in str(failure)
    assert server.received == []  # nothing was sent


def test_the_environments_proxy_is_used_unless_no_proxy_exempts_the_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "gpu-1.internal")
    proxied = direct_route(_kwargs("openai/qwen2", api_base="http://gpu-2.internal:8000/v1"))
    exempt = direct_route(_kwargs("openai/qwen2", api_base="http://gpu-1.internal:8000/v1"))
    assert proxied is not None and proxied.proxy == "http://proxy.internal:3128"
    assert exempt is not None and exempt.proxy is None


@pytest.mark.parametrize("value", ["fast", "direct", "litelm"])
def test_an_unknown_call_path_is_an_input_error_naming_the_variable(value: str) -> None:
    from clinisim.errors import InputError
    from clinisim.llm import load_model_config

    with pytest.raises(InputError) as caught:
        load_model_config({}, env={CALL_PATH_ENV: value})
    assert CALL_PATH_ENV in str(caught.value) and repr(value) in str(caught.value)
    assert load_model_config({}, env={CALL_PATH_ENV: " LiteLLM "}) is not None
