"""Calls to real models through litellm: timeouts, retries, re-asks, usage and cost."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from clinisim.llm._budget import SpendingCap
from clinisim.llm._call_limits import CallLimits
from clinisim.llm._call_workers import CallWorkers
from clinisim.llm._config import OFFLINE, ModelConfig
from clinisim.llm._errors import ModelUnreachable, UnusableReply
from clinisim.llm._model_call import model_reply
from clinisim.llm._model_reply import ModelReply
from clinisim.llm._reply_stream import current_sink, streamed_reply
from clinisim.llm._response_cache import CachedReply, ResponseCache, cache_key
from clinisim.llm._retry_policy import (
    backoff_delay,
    error_name,
    is_retryable,
    retry_after_seconds,
)
from clinisim.llm._secrets import redact
from clinisim.schemas import Usage

__all__ = ["Completion", "ModelClient", "RoleChatModel", "UsageLedger"]

T = TypeVar("T")
Messages = list[dict[str, str]]
log = logging.getLogger("clinisim.llm")

REASK_MESSAGE = (
    "Your last reply was empty or could not be used. Reply again, following the "
    "instructions exactly."
)


@dataclass(frozen=True)
class Completion:
    """One model reply and what it cost."""

    text: str
    usage: Usage
    attempts: int
    finish_reason: str | None = None


@dataclass
class UsageLedger:
    """Usage per role, summed over every call."""

    by_role: dict[str, Usage] = field(default_factory=dict)

    def add(self, role: str, usage: Usage) -> None:
        """Add one call's usage to ``role``."""
        self.by_role[role] = self.by_role.get(role, Usage()).add(usage)


def _usage_of(reply: ModelReply) -> Usage:
    return Usage(
        prompt_tokens=reply.prompt_tokens,
        completion_tokens=reply.completion_tokens,
        cost_usd=reply.cost_usd,
        calls=1,
    )


class ModelClient:
    """Calls the model configured for each role, with the config's call policy.

    ``attempt_hook`` (if given) is called before every network attempt with the role
    and the attempt number; tests use it to count attempts. ``call_options`` are
    extra litellm arguments for every call (for example ``mock_response`` in tests).

    A benchmark run adds: ``caps`` (spending caps checked before and charged after
    every call), ``limits`` (per-provider concurrency of async calls) and ``cache``
    with ``cache_scope`` (replies reused by key; the runner scopes by trial), and
    ``call_workers``: processes that make the async litellm calls, so litellm's CPU
    work leaves the run's event loop (see :class:`CallWorkers`).
    """

    def __init__(
        self,
        config: ModelConfig,
        *,
        seed: int = 0,
        attempt_hook: Callable[[str, int], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        call_options: dict[str, Any] | None = None,
        caps: Sequence[SpendingCap] = (),
        limits: CallLimits | None = None,
        cache: ResponseCache | None = None,
        cache_scope: str = "",
        call_workers: CallWorkers | None = None,
    ) -> None:
        self.config = config
        self.ledger = UsageLedger()
        self._rng = random.Random(seed)
        self._attempt_hook = attempt_hook
        self._sleep = sleep
        self._call_options = dict(call_options or {})
        self.caps = list(caps)
        self._limits = limits or CallLimits()
        self._cache = cache
        self._cache_scope = cache_scope
        self._call_workers = call_workers

    # -- one call with retries ------------------------------------------------
    def _kwargs(self, role: str, messages: Messages, extra: dict[str, Any]) -> dict[str, Any]:
        model = self.config.model_for(role)
        if model == OFFLINE or model == "human":
            raise ValueError(f"role {role!r} is not played by a model ({model!r})")
        kwargs: dict[str, Any] = {
            "model": model,
            "messages": messages,
            "timeout": self.config.timeout,
            "max_retries": 0,  # retries are ours, so they are bounded and observable
            "max_tokens": self.config.max_tokens,
        }
        if self.config.api_base:
            kwargs["api_base"] = self.config.api_base
            # OpenAI-compatible local servers need some key; never a real one by default.
            kwargs["api_key"] = self.config.api_key() or "not-needed"
        elif self.config.api_key():
            kwargs["api_key"] = self.config.api_key()
        kwargs.update(self._call_options)
        kwargs.update(extra)
        return kwargs

    def _unreachable(self, role: str, exc: BaseException, attempts: int) -> ModelUnreachable:
        detail = redact(f"{error_name(exc)}: {exc}", [self.config.api_key()])
        detail = " ".join(detail.split())[:300]
        return ModelUnreachable(
            f"unreachable after {attempts} attempt(s): {detail}",
            role=role,
            model=self.config.model_for(role),
            attempts=attempts,
        )

    def _wait(self, state: RetryCallState) -> float:
        """Retry-After when the server sent one (capped), else jittered exponential backoff."""
        exc = state.outcome.exception() if state.outcome is not None else None
        hinted = retry_after_seconds(exc) if exc is not None else None
        if hinted is not None:
            return min(hinted, self.config.backoff_max)
        return backoff_delay(
            state.attempt_number - 1, self.config.backoff_base, self.config.backoff_max, self._rng
        )

    def _before_sleep(self, role: str) -> Callable[[RetryCallState], None]:
        def log_retry(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome is not None else None
            wait = state.next_action.sleep if state.next_action is not None else 0.0
            log.warning(
                "%s model call failed (%s); retry in %.2fs",
                role,
                error_name(exc) if exc else "?",
                wait,
            )

        return log_retry

    def _completion(self, role: str, reply: ModelReply, attempts: int) -> Completion:
        usage = _usage_of(reply)
        self.ledger.add(role, usage)
        for cap in self.caps:
            cap.charge(usage)
        return Completion(
            text=reply.text, usage=usage, attempts=attempts, finish_reason=reply.finish_reason
        )

    async def _reply(self, role: str, kwargs: dict[str, Any]) -> ModelReply:
        if self._call_workers is not None:
            return await self._call_workers.acompletion(kwargs)
        sink = current_sink()
        if sink is not None:
            return await streamed_reply(role, kwargs, sink)
        return await model_reply(kwargs)

    def _check_caps(self, role: str) -> None:
        for cap in self.caps:
            cap.check(role)

    async def complete(self, role: str, messages: Messages, **extra: Any) -> Completion:
        """One reply from ``role``'s model; retries transient failures, then raises.

        Retries go through tenacity: timeouts, connection failures, 429 and 5xx are
        retried (``Retry-After`` honoured) up to ``max_retries``; anything else, or
        the last failure, becomes :class:`ModelUnreachable`. The per-provider slot
        is held for the network call only, not for the backoff sleeps.
        """
        kwargs = self._kwargs(role, messages, extra)
        self._check_caps(role)
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_retryable),
            stop=stop_after_attempt(self.config.max_retries + 1),
            wait=self._wait,
            sleep=self._sleep,
            before_sleep=self._before_sleep(role),
            reraise=True,
        )
        attempts = 0
        try:
            async for attempt in retrying:
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    if self._attempt_hook:
                        self._attempt_hook(role, attempts)
                    async with self._limits.slot(kwargs["model"]):
                        reply = await self._reply(role, kwargs)
        except Exception as exc:
            raise self._unreachable(role, exc, attempts) from None
        return self._completion(role, reply, attempts)

    # -- the reply cache ----------------------------------------------------------
    def _cache_key(self, role: str, messages: Messages, extra: dict[str, Any]) -> str | None:
        if self._cache is None:
            return None
        kwargs = self._kwargs(role, messages, extra)
        return cache_key(
            model=kwargs["model"],
            messages=messages,
            max_tokens=int(kwargs.get("max_tokens") or 0),
            api_base=kwargs.get("api_base"),
            scope=self._cache_scope,
        )

    def _cached(
        self, role: str, key: str | None, parse: Callable[[str], T | None]
    ) -> tuple[T, Usage] | None:
        """A cached reply that still parses, counted as a free call and a cache hit."""
        if key is None or self._cache is None:
            return None
        hit = self._cache.get(key)
        value = _safe_parse(parse, hit.text) if hit is not None else None
        if value is None:
            return None
        usage = Usage(cost_usd=0.0, calls=1, cache_hits=1)
        self.ledger.add(role, usage)
        return value, usage

    def _remember(self, role: str, key: str | None, asking: _Reasking[Any]) -> None:
        # Only replies that parsed are kept: a retried session must not replay a
        # reply that failed, and re-asks stay part of the original exchange.
        if key is None or self._cache is None:
            return
        reply = CachedReply(
            asking.last, None, asking.total.prompt_tokens, asking.total.completion_tokens
        )
        self._cache.put(key, self.config.model_for(role), reply)

    # -- re-asks -----------------------------------------------------------------
    async def complete_parsed(
        self, role: str, messages: Messages, parse: Callable[[str], T | None], **extra: Any
    ) -> tuple[T, Usage]:
        """A parsed reply; an empty or unusable one is re-asked, then ``UnusableReply``.

        With a cache, a reply that parsed is stored under the original messages and
        reused on the next identical request (same model, messages and scope).
        """
        key = self._cache_key(role, messages, extra)
        cached = self._cached(role, key, parse)
        if cached is not None:
            return cached
        asking = _Reasking(self, role, messages, parse)
        while asking.more():
            value = asking.take(await self.complete(role, asking.conversation, **extra))
            if value is not None:
                self._remember(role, key, asking)
                return value, asking.total
        raise asking.failure()

    def model_if_any(self, role: object) -> RoleChatModel | None:
        """The role's chat model, or ``None`` when the role is offline or human."""
        name = str(getattr(role, "value", role))
        if self.config.model_for(name) in (OFFLINE, "human"):
            return None
        return self.chat_model(name)

    def chat_model(self, role: object) -> RoleChatModel:
        """The :class:`~clinisim.agents.ChatModel` for one role."""
        name = str(getattr(role, "value", role))
        return RoleChatModel(self, name)


def _safe_parse(parse: Callable[[str], T | None], text: str) -> T | None:
    try:
        return parse(text)
    except (ValueError, TypeError, KeyError):
        return None


class _Reasking(Generic[T]):
    """The bounded re-ask loop of a parsed call."""

    def __init__(
        self, client: ModelClient, role: str, messages: Messages, parse: Callable[[str], T | None]
    ) -> None:
        self.client = client
        self.role = role
        self.parse = parse
        self.conversation = list(messages)
        self.total = Usage()
        self.last = ""
        self.asked = 0

    def more(self) -> bool:
        return self.asked <= self.client.config.max_reasks

    def take(self, completion: Completion) -> T | None:
        """Parse one reply; on failure extend the conversation with the re-ask."""
        self.asked += 1
        self.total = self.total.add(completion.usage)
        self.last = completion.text
        value = _safe_parse(self.parse, self.last)
        if value is None:
            self.conversation = [
                *self.conversation,
                {"role": "assistant", "content": self.last or "(empty)"},
                {"role": "user", "content": REASK_MESSAGE},
            ]
        return value

    def failure(self) -> UnusableReply:
        return UnusableReply(
            f"reply still empty or unusable after {self.client.config.max_reasks} re-ask(s); "
            f"last reply: {self.last[:80]!r}",
            role=self.role,
            model=self.client.config.model_for(self.role),
            last_reply=self.last,
            usage=self.total,
        )


class RoleChatModel:
    """Adapts :class:`ModelClient` to the agents' narrow ``ChatModel`` interface."""

    def __init__(self, client: ModelClient, role: str) -> None:
        self.client = client
        self.role = role
        self.model = client.config.model_for(role)

    async def chat(self, messages: Messages, parse: Callable[[str], T | None]) -> tuple[T, Usage]:
        """Parsed reply and usage, with the client's retries and re-asks."""
        return await self.client.complete_parsed(self.role, messages, parse)
