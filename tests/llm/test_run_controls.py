"""Per-provider call limits, spending caps and the reply cache of the model layer."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from clinisim.llm import (
    CachedReply,
    CallLimits,
    ModelClient,
    ResponseCache,
    RunBudgetExceeded,
    SessionBudgetExceeded,
    SpendingCap,
    UnusableReply,
    cache_key,
    load_model_config,
)
from clinisim.schemas import TerminationReason, Usage


def test_call_limits_bound_calls_in_flight_per_provider() -> None:
    async def scenario() -> CallLimits:
        limits = CallLimits({"openai": 2, "anthropic/claude-x": 1})

        async def call(model: str) -> None:
            async with limits.slot(model):
                await asyncio.sleep(0.01)

        models = ["openai/a", "openai/b"] * 4 + ["anthropic/claude-x"] * 3 + ["ollama/free"] * 5
        await asyncio.gather(*(call(m) for m in models))
        return limits

    limits = asyncio.run(scenario())
    assert limits.peak == {"openai": 2, "anthropic/claude-x": 1}
    assert limits.in_flight == {"openai": 0, "anthropic/claude-x": 0}


def test_client_async_calls_take_a_provider_slot() -> None:
    async def scenario() -> tuple[CallLimits, list[str]]:
        limits = CallLimits({"openai": 1})
        config = load_model_config({"doctor": "openai/gpt-4o-mini"}, env={})
        client = ModelClient(config, limits=limits, call_options={"mock_response": "hello"})
        replies = await asyncio.gather(
            *(client.complete("doctor", [{"role": "user", "content": str(i)}]) for i in range(4))
        )
        return limits, [r.text for r in replies]

    limits, texts = asyncio.run(scenario())
    assert texts == ["hello"] * 4 and limits.peak == {"openai": 1}


def test_spending_caps_stop_the_next_call_and_name_their_scope() -> None:
    session = SpendingCap("session", max_tokens=50)
    run = SpendingCap("run", max_usd=0.01)
    session.check("doctor")
    session.charge(Usage(prompt_tokens=30, completion_tokens=30, calls=1))
    with pytest.raises(SessionBudgetExceeded) as caught:
        session.check("doctor")
    assert caught.value.termination_reason is TerminationReason.BUDGET_EXCEEDED
    assert "token cap of 50 reached (60 used)" in caught.value.problem
    run.charge(Usage(cost_usd=None, calls=1))  # an unknown price counts nothing
    run.check("doctor")
    run.charge(Usage(cost_usd=0.02, calls=1))
    with pytest.raises(RunBudgetExceeded):
        run.check("patient")


async def test_client_charges_caps_and_refuses_calls_past_them() -> None:
    cap = SpendingCap("session", max_tokens=40)
    config = load_model_config({"doctor": "openai/gpt-4o-mini"}, env={})
    client = ModelClient(config, caps=[cap], call_options={"mock_response": "hi"})
    await client.complete("doctor", [{"role": "user", "content": "a"}])
    assert cap.spent_tokens == 30  # litellm's mock reports 10 + 20 tokens
    await client.complete("doctor", [{"role": "user", "content": "b"}])
    with pytest.raises(SessionBudgetExceeded):
        await client.complete("doctor", [{"role": "user", "content": "c"}])
    assert client.ledger.by_role["doctor"].calls == 2


def test_cache_key_separates_trials_and_models(tmp_path: Path) -> None:
    messages = [{"role": "user", "content": "hi"}]
    base = {"model": "openai/x", "messages": messages, "max_tokens": 512, "api_base": None}
    trial0 = cache_key(**base, scope="trial=0")
    assert trial0 == cache_key(**base, scope="trial=0")
    assert trial0 != cache_key(**base, scope="trial=1")
    assert trial0 != cache_key(**{**base, "model": "openai/y"}, scope="trial=0")
    cache = ResponseCache(tmp_path / "c.sqlite")
    cache.put(trial0, "openai/x", CachedReply("hello", "stop", 3, 4))
    assert cache.get(trial0) == CachedReply("hello", "stop", 3, 4)
    assert cache.get(cache_key(**base, scope="trial=1")) is None
    assert (cache.hits, cache.misses, len(cache)) == (1, 1, 1)
    cache.close()


async def test_only_parsed_replies_are_cached(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite")
    config = load_model_config({"doctor": "openai/gpt-4o-mini"}, env={}, max_reasks=1)
    messages = [{"role": "user", "content": "q"}]

    def parse(text: str) -> str | None:
        return text if text.startswith("ok") else None

    failing = ModelClient(config, cache=cache, call_options={"mock_response": "garbled"})
    with pytest.raises(UnusableReply):
        await failing.complete_parsed("doctor", messages, parse)
    assert len(cache) == 0
    good = ModelClient(config, cache=cache, call_options={"mock_response": "ok then"})
    assert (await good.complete_parsed("doctor", messages, parse))[0] == "ok then"
    again = ModelClient(config, cache=cache, call_options={"mock_response": "ok other"})
    value, usage = await again.complete_parsed("doctor", messages, parse)
    assert value == "ok then" and usage.cache_hits == 1 and usage.total_tokens == 0
    cache.close()
