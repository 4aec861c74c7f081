"""A fake OpenAI-compatible chat-completions server: a benchmark fixture, not a model.

It exists so a performance benchmark can measure a benchmark runner's throughput and
per-call overhead without a real model in the way. Every completion request waits a
fixed, configurable latency (``asyncio.sleep``, so concurrent requests overlap) and
then returns a scripted, role-appropriate reply chosen from the request's messages,
so simulated consultations proceed and end:

- doctor (system message starts "You are a doctor"): history questions, then
  ``REQUEST TEST: ECG`` and ``REQUEST TEST: Troponin``, then more questions, and
  ``DIAGNOSIS READY: Acute myocardial infarction`` once ``doctor_turns - 1`` doctor
  turns are done (or when the last user message says it is the last turn);
- examiner (starts "You are the examiner"): the finding the system message lists for
  the order in the last user message, or a canned result for it;
- patient (starts "You are role-playing a patient"): a few first-person sentences in turn;
- anything else (a judge, say): ``Yes``.

Nothing here reads the content for meaning; the replies are fixed scripts.

Usage::

    python benchmarks/fake_openai_server.py --port 0 --latency-ms 200 \\
        [--host 127.0.0.1] [--doctor-turns 8] [--rate-limit-first N] [--retry-after 1]

Once listening it prints one line, ``READY http://127.0.0.1:<port>/v1``, to stdout and
serves until SIGTERM or SIGINT. It binds to the loopback interface only.

Endpoints: ``POST /v1/chat/completions`` (also ``POST /chat/completions``),
``GET /v1/models``, ``GET /health`` and ``GET /stats``. The first ``rate_limit_first``
completion requests get HTTP 429 with a ``Retry-After`` header. ``/stats`` reports
``requests`` (completion requests received, including rate-limited and malformed
ones), ``rate_limited`` (429s sent) and ``max_in_flight`` (the most completion
requests being handled at once).

In-process use: ``runner, url = await start_server(latency_ms=50)`` and
``await runner.cleanup()`` when done; from synchronous code,
``with serve_in_subprocess(latency_ms=50) as url: ...``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

__all__ = [
    "ServerConfig",
    "ServerStats",
    "build_app",
    "main",
    "scripted_reply",
    "serve_in_subprocess",
    "start_server",
]

ALLOWED_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MODEL_ID = "fake"
DIAGNOSIS = "Acute myocardial infarction"

DOCTOR_QUESTIONS: tuple[str, ...] = (
    "What brings you in today?",
    "When did the pain start?",
    "Where exactly is the pain?",
    "Does the pain spread anywhere?",
    "Do you have any medical conditions?",
    "Do you take any medicines?",
)
PATIENT_ANSWERS: tuple[str, ...] = (
    "I've had a crushing pain in my chest.",
    "It started about two hours ago.",
    "It's in the middle of my chest.",
    "It goes down my left arm and into my jaw.",
    "I have high blood pressure and I smoke.",
    "I take a tablet for my blood pressure every morning.",
)
CANNED_RESULTS: dict[str, str] = {
    "ecg": "ECG: ST elevation in leads II, III and aVF.",
    "troponin": "Troponin: raised at 2.3 ng/mL.",
}

_ORDER_PREFIX = re.compile(r"^\s*(order|request test|request exam)\s*:\s*", re.IGNORECASE)
_FINDING_LINE = re.compile(r"^\s*-\s*(?P<label>[^:\n]+?)\s*:\s*(?P<text>.+?)\s*$", re.MULTILINE)


@dataclass
class ServerConfig:
    """How the fake server behaves."""

    latency_ms: float = 200.0
    jitter_ms: float = 0.0
    """Each reply waits ``latency_ms`` ± up to ``jitter_ms``: uniform, seeded, and drawn in
    antithetic pairs (+x, then -x), so every even number of calls averages exactly
    ``latency_ms``."""
    doctor_turns: int = 8
    rate_limit_first: int = 0
    retry_after: float = 1.0


@dataclass
class ServerStats:
    """Counters exposed at ``GET /stats``."""

    requests: int = 0
    rate_limited: int = 0
    in_flight: int = 0
    max_in_flight: int = 0

    def as_json(self) -> dict[str, int]:
        """The public counters."""
        return {
            "requests": self.requests,
            "rate_limited": self.rate_limited,
            "max_in_flight": self.max_in_flight,
        }


CONFIG_KEY = web.AppKey("config", ServerConfig)
STATS_KEY = web.AppKey("stats", ServerStats)


class Jitter:
    """Seeded uniform offsets in antithetic pairs: x, -x, y, -y, ..."""

    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)
        self._mirror: float | None = None

    def next(self, spread: float) -> float:
        """The next offset in [-spread, spread]."""
        if self._mirror is not None:
            value, self._mirror = self._mirror, None
            return value
        value = self._rng.uniform(-spread, spread)
        self._mirror = -value
        return value


JITTER_KEY = web.AppKey("jitter", Jitter)


# --------------------------------------------------------------------------- scripting


def _text(content: object) -> str:
    """The text of a message's content: a string, or a list of OpenAI content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: list[str] = []
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, str):
                parts.append(part)
        return " ".join(parts)
    return ""


def _messages(raw: list[Any]) -> list[tuple[str, str]]:
    """``(role, text)`` pairs; entries that are not objects are skipped."""
    out: list[tuple[str, str]] = []
    for item in raw:
        if isinstance(item, dict):
            out.append((str(item.get("role", "")), _text(item.get("content"))))
    return out


def _last_user(messages: list[tuple[str, str]]) -> str:
    for role, text in reversed(messages):
        if role == "user":
            return text
    return ""


def _doctor_reply(messages: list[tuple[str, str]], doctor_turns: int) -> str:
    done = sum(1 for role, _ in messages if role == "assistant")
    if done >= doctor_turns - 1 or "last turn" in _last_user(messages).lower():
        return f"DIAGNOSIS READY: {DIAGNOSIS}"
    if done == 2:
        return "REQUEST TEST: ECG"
    if done == 3:
        return "REQUEST TEST: Troponin"
    # Questions asked so far: turns done, less the two test orders once past them.
    asked = done if done < 2 else done - 2
    return DOCTOR_QUESTIONS[asked % len(DOCTOR_QUESTIONS)]


def _examiner_reply(system: str, messages: list[tuple[str, str]]) -> str:
    order = _ORDER_PREFIX.sub("", _last_user(messages)).strip().rstrip(".") or "the order"
    wanted = order.lower()
    for match in _FINDING_LINE.finditer(system):
        label = match.group("label").strip()
        if label.lower() == wanted:
            return f"{label}: {match.group('text')}"
    for key, result in CANNED_RESULTS.items():
        if key in wanted:
            return result
    return f"Result for {order}: within the findings listed."


def _patient_reply(messages: list[tuple[str, str]]) -> str:
    done = sum(1 for role, _ in messages if role == "assistant")
    return PATIENT_ANSWERS[done % len(PATIENT_ANSWERS)]


def scripted_reply(messages: list[tuple[str, str]], doctor_turns: int) -> str:
    """The scripted reply for a conversation of ``(role, text)`` pairs."""
    system = next((text for role, text in messages if role == "system"), "")
    head = system.lstrip()
    if head.startswith("You are a doctor"):
        return _doctor_reply(messages, doctor_turns)
    if head.startswith("You are the examiner"):
        return _examiner_reply(system, messages)
    if head.startswith("You are role-playing a patient"):
        return _patient_reply(messages)
    return "Yes"


def _words(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------- handlers


def _error(status: int, message: str, type_: str, code: str | None) -> web.Response:
    body = {"error": {"message": message, "type": type_, "param": None, "code": code}}
    return web.json_response(body, status=status)


def _format_seconds(seconds: float) -> str:
    return f"{seconds:g}"


async def chat_completions(request: web.Request) -> web.Response:
    """``POST /v1/chat/completions``: a scripted reply after the configured latency."""
    config = request.app[CONFIG_KEY]
    stats = request.app[STATS_KEY]
    stats.requests += 1
    number = stats.requests
    stats.in_flight += 1
    stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
    try:
        if stats.rate_limited < config.rate_limit_first:
            stats.rate_limited += 1
            body = {
                "error": {
                    "message": "rate limited",
                    "type": "rate_limit_error",
                    "code": "rate_limit_exceeded",
                }
            }
            return web.json_response(
                body, status=429, headers={"Retry-After": _format_seconds(config.retry_after)}
            )
        raw = await request.read()
        delay = config.latency_ms
        if config.jitter_ms > 0:
            delay += request.app[JITTER_KEY].next(config.jitter_ms)
        if delay > 0:
            await asyncio.sleep(delay / 1000)
        try:
            payload = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return _error(400, f"malformed JSON body: {exc}", "invalid_request_error", None)
        if not isinstance(payload, dict):
            return _error(400, "request body must be a JSON object", "invalid_request_error", None)
        raw_messages = payload.get("messages")
        if not isinstance(raw_messages, list):
            return _error(
                400, "'messages' must be a list", "invalid_request_error", "invalid_messages"
            )
        messages = _messages(raw_messages)
        content = scripted_reply(messages, config.doctor_turns)
        prompt_tokens = sum(_words(text) for _, text in messages)
        completion_tokens = _words(content)
        model = payload.get("model")
        response = {
            "id": f"chatcmpl-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model if isinstance(model, str) and model else MODEL_ID,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
        return web.json_response(response)
    finally:
        stats.in_flight -= 1


async def list_models(request: web.Request) -> web.Response:
    """``GET /v1/models``: the one fake model."""
    data = [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "clinisim-benchmark"}]
    return web.json_response({"object": "list", "data": data})


async def health(request: web.Request) -> web.Response:
    """``GET /health``."""
    return web.Response(text="ok")


async def stats_handler(request: web.Request) -> web.Response:
    """``GET /stats``: request, 429 and concurrency counters."""
    return web.json_response(request.app[STATS_KEY].as_json())


def build_app(config: ServerConfig | None = None) -> web.Application:
    """The aiohttp application, with fresh counters."""
    app = web.Application()
    app[CONFIG_KEY] = config or ServerConfig()
    app[STATS_KEY] = ServerStats()
    app[JITTER_KEY] = Jitter(0)
    app.router.add_post("/v1/chat/completions", chat_completions)
    app.router.add_post("/chat/completions", chat_completions)
    app.router.add_get("/v1/models", list_models)
    app.router.add_get("/health", health)
    app.router.add_get("/stats", stats_handler)
    return app


# --------------------------------------------------------------------------- serving


def _check_host(host: str) -> None:
    if host not in ALLOWED_HOSTS:
        allowed = ", ".join(sorted(ALLOWED_HOSTS))
        raise ValueError(f"refusing to bind to {host!r}: only loopback ({allowed}) is allowed")


async def start_server(
    host: str = "127.0.0.1",
    port: int = 0,
    latency_ms: float = 200.0,
    doctor_turns: int = 8,
    rate_limit_first: int = 0,
    jitter_ms: float = 0.0,
    retry_after: float = 1.0,
) -> tuple[web.AppRunner, str]:
    """Start the server on the running loop; return its runner and base URL (``.../v1``).

    Port 0 picks a free port. Raises ``ValueError`` for a non-loopback host. Stop it with
    ``await runner.cleanup()``.
    """
    _check_host(host)
    bind = "127.0.0.1" if host == "localhost" else host
    config = ServerConfig(
        latency_ms=latency_ms,
        jitter_ms=min(jitter_ms, latency_ms),
        doctor_turns=doctor_turns,
        rate_limit_first=rate_limit_first,
        retry_after=retry_after,
    )
    runner = web.AppRunner(build_app(config), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, bind, port)
        await site.start()
        bound_port = int(runner.addresses[0][1])
    except BaseException:
        await runner.cleanup()
        raise
    shown = f"[{bind}]" if ":" in bind else bind
    return runner, f"http://{shown}:{bound_port}/v1"


_SUBPROCESS_OPTIONS = frozenset({"host", "rate_limit_first", "retry_after", "jitter_ms"})


@contextlib.contextmanager
def serve_in_subprocess(
    latency_ms: float = 200.0, doctor_turns: int = 8, **kw: object
) -> Iterator[str]:
    """Run this file as a script on a free port; yield its base URL; stop it on exit.

    ``kw`` takes ``host``, ``rate_limit_first``, ``retry_after`` and ``jitter_ms``. Waits up to 30 s for
    the READY line; the process is terminated, then killed after 5 s, on exit.
    """
    unknown = set(kw) - _SUBPROCESS_OPTIONS
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    argv = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--port",
        "0",
        "--latency-ms",
        str(latency_ms),
        "--doctor-turns",
        str(doctor_turns),
    ]
    for key, value in kw.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        yield _wait_ready(proc, timeout=30.0)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def _wait_ready(proc: subprocess.Popen[str], timeout: float) -> str:
    """The URL from the child's READY line, read in a thread so the wait is bounded."""
    assert proc.stdout is not None
    stdout = proc.stdout
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        lines.put(stdout.readline())

    threading.Thread(target=read, daemon=True).start()
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        raise RuntimeError(f"fake OpenAI server not ready within {timeout:g} s") from None
    if not line.startswith("READY "):
        code = proc.wait(timeout=5) if not line else proc.poll()
        raise RuntimeError(f"fake OpenAI server failed to start (exit {code}): {line!r}")
    return line.split(" ", 1)[1].strip()


async def _serve(args: argparse.Namespace) -> None:
    runner, url = await start_server(
        host=args.host,
        port=args.port,
        latency_ms=args.latency_ms,
        doctor_turns=args.doctor_turns,
        rate_limit_first=args.rate_limit_first,
        retry_after=args.retry_after,
        jitter_ms=args.jitter_ms,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows
            loop.add_signal_handler(sig, stop.set)
    try:
        print(f"READY {url}", flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {text}")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve until SIGTERM/SIGINT, return the exit code."""
    parser = argparse.ArgumentParser(
        description="Fake OpenAI-compatible server for benchmarks (a fixture, not a model)."
    )
    parser.add_argument("--host", default="127.0.0.1", help="127.0.0.1, localhost or ::1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency-ms", type=_non_negative, default=200.0)
    parser.add_argument(
        "--jitter-ms", type=_non_negative, default=0.0, help="latency varies by up to ± this"
    )
    parser.add_argument("--doctor-turns", type=_positive_int, default=8)
    parser.add_argument("--rate-limit-first", type=_count, default=0)
    parser.add_argument("--retry-after", type=_non_negative, default=1.0)
    args = parser.parse_args(argv)
    try:
        _check_host(args.host)
    except ValueError as exc:
        parser.error(str(exc))  # exits 2
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
