"""The model client: usage, cost, retries, re-asks and secrets (litellm mock_response)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import litellm
import pytest

from clinisim.llm import ModelClient, ModelUnreachable, UnusableReply, load_model_config
from tests.integration.local_llm_server import free_port


async def _no_wait(_seconds: float) -> None:
    return None


MESSAGES = [{"role": "user", "content": "Hello"}]


def client_for(model: str, attempts: list[int] | None = None, **overrides: Any) -> ModelClient:
    config = load_model_config({"doctor": model}, env={}, backoff_base=0.001, **overrides)

    def hook(role: str, attempt: int) -> None:
        if attempts is not None:
            attempts.append(attempt)

    return ModelClient(config, attempt_hook=hook, sleep=_no_wait)


async def test_usage_and_known_cost_are_recorded() -> None:
    client = client_for("openai/gpt-4o-mini")
    completion = await client.complete("doctor", MESSAGES, mock_response="When did it start?")
    assert completion.text == "When did it start?"
    assert completion.usage.calls == 1
    assert completion.usage.prompt_tokens > 0 and completion.usage.completion_tokens > 0
    assert completion.usage.cost_usd is not None and completion.usage.cost_usd > 0
    await client.complete("doctor", MESSAGES, mock_response="Any fever?")
    assert client.ledger.by_role["doctor"].calls == 2


async def test_unknown_price_leaves_cost_unknown_not_zero() -> None:
    completion = await client_for("openai/my-local-model").complete(
        "doctor", MESSAGES, mock_response="Hi"
    )
    assert completion.usage.cost_usd is None
    assert completion.usage.prompt_tokens > 0


async def test_rate_limits_are_retried_then_reported() -> None:
    attempts: list[int] = []
    client = client_for("openai/gpt-4o-mini", attempts, max_retries=2)
    error = litellm.RateLimitError("slow down", llm_provider="openai", model="gpt-4o-mini")
    with pytest.raises(ModelUnreachable) as info:
        await client.complete("doctor", MESSAGES, mock_response=error)
    assert attempts == [1, 2, 3]
    assert info.value.exit_code == 1 and info.value.attempts == 3


async def test_auth_errors_are_not_retried() -> None:
    attempts: list[int] = []
    client = client_for("openai/gpt-4o-mini", attempts, max_retries=3)
    error = litellm.AuthenticationError("bad key", llm_provider="openai", model="gpt-4o-mini")
    with pytest.raises(ModelUnreachable):
        await client.complete("doctor", MESSAGES, mock_response=error)
    assert attempts == [1]


async def test_empty_replies_are_re_asked_then_fail_explicitly() -> None:
    client = client_for("openai/gpt-4o-mini", max_reasks=2)
    with pytest.raises(UnusableReply) as info:
        await client.complete_parsed(
            "doctor", MESSAGES, lambda t: t.strip() or None, mock_response=""
        )
    assert info.value.usage.calls == 3
    assert info.value.last_reply == ""


async def test_a_re_ask_recovers_and_carries_the_correction() -> None:
    seen: list[str] = []

    def parse(text: str) -> str | None:
        seen.append(text)
        return text if len(seen) > 1 else None

    client = client_for("openai/gpt-4o-mini", max_reasks=2)
    value, usage = await client.complete_parsed("doctor", MESSAGES, parse, mock_response="ok then")
    assert value == "ok then" and usage.calls == 2


async def test_unreachable_api_base_fails_after_bounded_retries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "sk-test-secret-abcdef123456"
    monkeypatch.setenv("CLINISIM_API_KEY", secret)
    attempts: list[int] = []
    port = free_port()
    client = client_for(
        "openai/x", attempts, max_retries=2, timeout=5.0, api_base=f"http://127.0.0.1:{port}/v1"
    )
    with pytest.raises(ModelUnreachable) as info:
        await client.complete("doctor", MESSAGES)
    assert attempts == [1, 2, 3]
    assert secret not in info.value.one_line()
    assert "doctor model openai/x" in info.value.one_line()


class _ScriptedServer(BaseHTTPRequestHandler):
    """Answers 429 with Retry-After first, then a valid chat completion."""

    calls = 0

    def do_POST(self) -> None:
        type(self).calls += 1
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        if type(self).calls == 1:
            self.send_response(429)
            self.send_header("Retry-After", "0")
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error": {"message": "rate limited"}}')
            return
        body = {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "scripted",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": "Any chest pain?"},
                }
            ],
            "usage": {"prompt_tokens": 7, "completion_tokens": 4, "total_tokens": 11},
        }
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def scripted_server() -> Iterator[str]:
    _ScriptedServer.calls = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ScriptedServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


async def test_a_429_over_http_is_retried_and_succeeds(scripted_server: str) -> None:
    attempts: list[int] = []
    client = client_for("openai/scripted", attempts, max_retries=2, api_base=scripted_server)
    completion = await client.complete("doctor", MESSAGES)
    assert completion.text == "Any chest pain?"
    assert attempts == [1, 2]
    assert completion.usage.prompt_tokens == 7 and completion.usage.completion_tokens == 4


def test_async_calls_share_the_retry_policy() -> None:
    import asyncio

    attempts: list[int] = []
    client = client_for("openai/gpt-4o-mini", attempts, max_retries=1)
    completion = asyncio.run(client.complete("doctor", MESSAGES, mock_response="Any cough?"))
    assert completion.text == "Any cough?" and completion.usage.calls == 1
    error = litellm.RateLimitError("slow down", llm_provider="openai", model="gpt-4o-mini")
    attempts.clear()
    with pytest.raises(ModelUnreachable):
        asyncio.run(client.complete("doctor", MESSAGES, mock_response=error))
    assert attempts == [1, 2]
