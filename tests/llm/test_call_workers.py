"""Call worker processes: replies, retries, failures and cancellation across the pipe.

Each test starts real worker processes (``python -m clinisim.llm._call_worker``,
about three seconds to import litellm) and, where it needs one, the fake
OpenAI-compatible server from ``benchmarks/`` on 127.0.0.1 in the test's own loop.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from clinisim.llm import (
    CallWorkers,
    ModelClient,
    ModelReply,
    ModelUnreachable,
    RemoteCallFailed,
    load_model_config,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from fake_openai_server import start_server


async def _no_wait(_seconds: float) -> None:
    return None


T = TypeVar("T")


def _with_workers(count: int, body: Callable[[CallWorkers], Awaitable[T]]) -> T:
    async def scenario() -> T:
        workers = CallWorkers(count)
        try:
            await workers.attach()
            return await body(workers)
        finally:
            await workers.aclose()

    return asyncio.run(scenario())


def _client(workers: CallWorkers, api_base: str | None = None, **options: Any) -> ModelClient:
    config = load_model_config({"doctor": "openai/fake"}, env={})
    if api_base:
        config = config.model_copy(update={"api_base": api_base, "max_retries": 3})
    return ModelClient(
        config,
        call_workers=workers,
        call_options=options or None,
        sleep=_no_wait,
    )


def test_replies_come_back_from_two_worker_processes() -> None:
    async def body(workers: CallWorkers) -> tuple[list[ModelReply], list[int]]:
        pids = workers.pids()
        replies = await asyncio.gather(
            *(
                workers.acompletion(
                    {
                        "model": "openai/gpt-4o-mini",
                        "messages": [{"role": "user", "content": f"question {i}"}],
                        "mock_response": f"answer {i}",
                    }
                )
                for i in range(12)
            )
        )
        return replies, pids

    replies, pids = _with_workers(2, body)
    assert [r.text for r in replies] == [f"answer {i}" for i in range(12)]
    assert all(r.prompt_tokens > 0 and r.completion_tokens > 0 for r in replies)
    assert all(r.finish_reason == "stop" for r in replies)
    assert len(set(pids)) == 2 and os.getpid() not in pids


def test_client_through_workers_matches_the_in_process_client() -> None:
    messages = [{"role": "user", "content": "What brings you in?"}]

    async def body(workers: CallWorkers) -> tuple[Any, Any]:
        remote = await _client(workers, mock_response="Chest pain.").complete("doctor", messages)
        config = load_model_config({"doctor": "openai/fake"}, env={})
        local = await ModelClient(config, call_options={"mock_response": "Chest pain."}).complete(
            "doctor", messages
        )
        return remote, local

    remote, local = _with_workers(1, body)
    assert remote.text == local.text == "Chest pain."
    assert remote.usage == local.usage
    assert remote.attempts == local.attempts == 1


def test_rate_limits_are_retried_with_the_servers_retry_after() -> None:
    attempts: list[int] = []

    async def body(workers: CallWorkers) -> str:
        runner, url = await start_server(latency_ms=0, rate_limit_first=2, retry_after=0.05)
        try:
            client = _client(workers, api_base=url)
            client._attempt_hook = lambda _role, n: attempts.append(n)
            reply = await client.complete("doctor", [{"role": "user", "content": "Hello"}])
            return reply.text
        finally:
            await runner.cleanup()

    text = _with_workers(1, body)
    assert text  # the scripted reply after two 429s
    assert attempts == [1, 2, 3]


def test_unreachable_model_fails_after_bounded_retries_naming_the_original_error() -> None:
    attempts: list[int] = []

    async def body(workers: CallWorkers) -> ModelUnreachable:
        client = _client(workers, api_base="http://127.0.0.1:9/v1")
        client._attempt_hook = lambda _role, n: attempts.append(n)
        with pytest.raises(ModelUnreachable) as caught:
            await client.complete("doctor", [{"role": "user", "content": "Hello"}])
        return caught.value

    failure = _with_workers(1, body)
    assert attempts == [1, 2, 3, 4]  # max_retries 3
    assert "APIConnectionError" in str(failure) and "cannot reach http://127.0.0.1:9/" in str(
        failure
    )


def test_a_dead_worker_fails_its_calls_instead_of_hanging() -> None:
    async def body(workers: CallWorkers) -> tuple[RemoteCallFailed, RemoteCallFailed]:
        runner, url = await start_server(latency_ms=2_000)
        try:
            kwargs = {
                "model": "openai/fake",
                "messages": [{"role": "user", "content": "Hello"}],
                "api_base": url,
                "api_key": "not-needed",
            }
            in_flight = asyncio.ensure_future(workers.acompletion(kwargs))
            await asyncio.sleep(0.5)
            os.kill(workers.pids()[0], signal.SIGKILL)
            with pytest.raises(RemoteCallFailed) as first:
                await asyncio.wait_for(in_flight, 10)
            with pytest.raises(RemoteCallFailed) as later:
                await workers.acompletion(kwargs)
            return first.value, later.value
        finally:
            await runner.cleanup()

    first, later = _with_workers(1, body)
    assert first.kind == later.kind == "CallWorkerLost"
    assert not first.retryable
    assert "exit code -9" in str(first)


def test_a_cancelled_call_leaves_the_worker_usable() -> None:
    async def body(workers: CallWorkers) -> str:
        runner, url = await start_server(latency_ms=2_000)
        try:
            slow = asyncio.ensure_future(
                workers.acompletion(
                    {
                        "model": "openai/fake",
                        "messages": [{"role": "user", "content": "Hello"}],
                        "api_base": url,
                        "api_key": "not-needed",
                    }
                )
            )
            await asyncio.sleep(0.3)
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
        finally:
            await runner.cleanup()
        reply = await workers.acompletion(
            {
                "model": "openai/gpt-4o-mini",
                "messages": [{"role": "user", "content": "again"}],
                "mock_response": "still here",
            }
        )
        return reply.text

    assert _with_workers(1, body) == "still here"


def test_calls_before_attach_are_refused() -> None:
    workers = CallWorkers(1)

    async def call() -> ModelReply:
        return await workers.acompletion({"model": "openai/x", "messages": []})

    with pytest.raises(RuntimeError, match="not attached"):
        asyncio.run(call())
    with pytest.raises(ValueError, match="at least 1"):
        CallWorkers(0)


def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(
        "import asyncio\n"
        "from clinisim.llm import CallWorkers\n"
        "async def main():\n"
        "    workers = CallWorkers(2)\n"
        "    await workers.attach()\n"
        "    print(*workers.pids(), flush=True)\n"
        "    await asyncio.sleep(120)\n"
        "asyncio.run(main())\n"
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(pid) for pid in pids)
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent (killed here) would have reaped it.
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(")")[-1].split()[0] == "Z")
