"""CPU per model call, and where it goes: the kit, litellm and the HTTP client.

Usage: python benchmarks/call_cpu.py [--repeats 3]

Every role of a consultation (doctor, patient, examiner) is played through the fake
OpenAI-compatible server of ``fake_openai_server.py`` on 127.0.0.1, answering at once
(latency 0). The figures are CPU time of the benchmark's own process
(``time.process_time``, all its threads), so the server's work, in its own process,
is not counted. Each is a median over ``--repeats`` measurements, with the range.

A call to a self-hosted OpenAI-compatible server takes the kit's direct path (litellm
maps the parameters, builds the request and prices the reply; the kit sends it, see
``clinisim/llm/_openai_compatible.py``); ``CLINISIM_CALL_PATH=litellm`` sends every
call through ``litellm.acompletion`` instead, as hosted providers always are.

- *kit + litellm + HTTP client*: a benchmark run (concurrency 1, no call workers),
  marginal cost per call: the CPU of 32 sessions minus that of 8, over the calls
  they add, so what a run pays once (the manifest, compiling the graph, the first
  retrieval of each question) drops out; on the direct path, and through
  ``litellm.acompletion``;
- *the kit's own*: the same, with ``litellm.acompletion`` replaced by an in-process
  stub that returns the scripted reply at once (calls forced through litellm);
- *direct path, bare*: the kit's direct call replaying the very requests the kit
  made, one after another, with no session around them: litellm's provider config,
  pricing and the HTTP client;
- *HTTP client*: the same requests as plain ``aiohttp`` POSTs with their JSON
  decoded, the part that any client pays;
- *bare litellm*: ``litellm.acompletion`` replaying the same requests: the floor
  of a call through litellm's full path;
- *through 2 call workers* (``execution.call_workers: 2``): the run's process and
  its call workers together, per call.

So *litellm* on the direct path is the direct path minus the HTTP client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_concurrency as runs
from fake_openai_server import serve_in_subprocess

GOAL_MS = 8.0
"""The kit's CPU per call, litellm included, at latency 0."""

FEW, MANY = len(runs.CASES), 4 * len(runs.CASES)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cpu(url: str, sessions: int, workdir: Path, call_workers: int) -> tuple[int, float]:
    """(model calls, CPU seconds) of one run: this process, plus its ended call workers."""
    cpu, children = time.process_time(), _children_cpu()
    calls = runs.run_level(url, 1, sessions, workdir, call_workers, runs.REMOTE_ROLES).calls
    spent = time.process_time() - cpu
    if call_workers:
        spent += _children_cpu() - children
    return calls, spent


def marginal_ms(url: str, workdir: Path, call_workers: int = 0) -> float:
    """CPU ms per call added between a run of FEW and one of MANY sessions."""
    few_calls, few_cpu = run_cpu(url, FEW, workdir, call_workers)
    many_calls, many_cpu = run_cpu(url, MANY, workdir, call_workers)
    return (many_cpu - few_cpu) / (many_calls - few_calls) * 1000


async def _bare(requests: list[dict[str, Any]]) -> float:
    import litellm

    started = time.process_time()
    for kwargs in requests:
        await litellm.acompletion(**kwargs)
    return (time.process_time() - started) / len(requests) * 1000


async def _direct(requests: list[dict[str, Any]]) -> float:
    from clinisim.llm._model_call import model_reply

    started = time.process_time()
    for kwargs in requests:
        await model_reply(kwargs)
    return (time.process_time() - started) / len(requests) * 1000


@contextmanager
def _call_path(path: str) -> Iterator[None]:
    from clinisim.llm._openai_compatible import CALL_PATH_ENV

    before = os.environ.get(CALL_PATH_ENV)
    os.environ[CALL_PATH_ENV] = path
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(CALL_PATH_ENV, None)
        else:
            os.environ[CALL_PATH_ENV] = before


async def _http_client(requests: list[dict[str, Any]], url: str) -> float:
    import aiohttp

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        started = time.process_time()
        for kwargs in requests:
            body = {
                "model": kwargs["model"].split("/", 1)[1],
                "messages": kwargs["messages"],
                "max_tokens": kwargs.get("max_tokens"),
            }
            headers = {
                "Authorization": f"Bearer {kwargs.get('api_key', 'x')}",
                "Content-Type": "application/json",
            }
            async with session.post(
                f"{url}/chat/completions", data=json.dumps(body), headers=headers
            ) as response:
                json.loads(await response.read())
        return (time.process_time() - started) / len(requests) * 1000


def _median(label: str, values: list[float]) -> str:
    return f"  {label:<44} {statistics.median(values):6.2f} ms  ({min(values):.2f} to {max(values):.2f})"


def _repeat(times: int, measure: Callable[[], float]) -> list[float]:
    return [measure() for _ in range(times)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--no-call-workers", action="store_true", help="skip the call-worker measurement"
    )
    args = parser.parse_args()
    print(runs.machine_line())
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        os.environ["CLINISIM_DATA_DIR"] = str(workdir / "data")
        import litellm

        with _call_path("litellm"):
            original = runs._stub_litellm()
            runs.run_level(runs.STUB_URL, 1, FEW, workdir, 0)  # warm-up
            kit_own = _repeat(args.repeats, lambda: marginal_ms(runs.STUB_URL, workdir))
            litellm.acompletion = original
        with serve_in_subprocess(latency_ms=0) as url:
            runs.run_level(url, 1, FEW, workdir, 0)  # warm-up: MiniLM, ingestion, pools
            full = _repeat(args.repeats, lambda: marginal_ms(url, workdir))
            with _call_path("litellm"):
                runs._capture_litellm_calls()
                full_litellm = _repeat(args.repeats, lambda: marginal_ms(url, workdir))
                replay = [{**kw, "api_base": url} for kw in runs.CAPTURED[:400]]
                asyncio.run(_bare(replay[:20]))  # warm-up
                bare = _repeat(args.repeats, lambda: asyncio.run(_bare(replay)))
            direct = _repeat(args.repeats, lambda: asyncio.run(_direct(replay)))
            http = _repeat(args.repeats, lambda: asyncio.run(_http_client(replay, url)))
            workers = (
                []
                if args.no_call_workers
                else _repeat(args.repeats, lambda: marginal_ms(url, workdir, call_workers=2))
            )
    total = statistics.median(full)
    print(f"CPU per model call at latency 0 (median of {args.repeats}, range):")
    print(_median("kit + litellm + HTTP client (a run)", full))
    print(_median("  the kit's own (model call stubbed)", kit_own))
    print(
        f"  {'  litellm (direct path - HTTP client)':<44} "
        f"{statistics.median(direct) - statistics.median(http):6.2f} ms"
    )
    print(_median("  HTTP client (aiohttp POST, JSON decoded)", http))
    print(_median("direct path, bare (same requests)", direct))
    print(_median("a run through litellm.acompletion", full_litellm))
    print(_median("floor of litellm.acompletion, bare", bare))
    if workers:
        print(_median("through 2 call workers (run + workers)", workers))
    verdict = "met" if total <= GOAL_MS else "NOT met"
    print(f"goal: kit + litellm at most {GOAL_MS:.0f} ms per call: {verdict} ({total:.2f} ms)")


if __name__ == "__main__":
    main()
