"""CPU per model call, and where it goes: the kit, litellm and the HTTP client.

Usage: python benchmarks/call_cpu.py [--repeats 3]

Every role of a consultation (doctor, patient, examiner) is played through litellm
against the fake OpenAI-compatible server of ``fake_openai_server.py`` on 127.0.0.1,
answering at once (latency 0). The figures are CPU time of the benchmark's own
process (``time.process_time``, all its threads), so the server's work, in its own
process, is not counted. Each is a median over ``--repeats`` measurements, with
the range.

- *kit + litellm + HTTP client*: a benchmark run (concurrency 1, no call workers),
  marginal cost per call: the CPU of 32 sessions minus that of 8, over the calls
  they add, so what a run pays once (the manifest, compiling the graph, the first
  retrieval of each question) drops out;
- *the kit's own*: the same, with ``litellm.acompletion`` replaced by an in-process
  stub that returns the scripted reply at once;
- *bare litellm*: ``litellm.acompletion`` replaying the very requests the kit made,
  one after another, with no kit: the floor;
- *HTTP client*: the same requests as plain ``httpx`` POSTs with their JSON
  decoded, the part of bare litellm that any client pays;
- *through 2 call workers* (``execution.call_workers: 2``): the run's process and
  its call workers together, per call: what moving litellm's work out costs.

So *litellm* is bare litellm minus the HTTP client, and the kit's run should cost
about the kit's own plus bare litellm.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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


async def _http_client(requests: list[dict[str, Any]], url: str) -> float:
    import httpx

    async with httpx.AsyncClient(timeout=60) as client:
        started = time.process_time()
        for kwargs in requests:
            body = {
                "model": kwargs["model"].split("/", 1)[1],
                "messages": kwargs["messages"],
                "max_tokens": kwargs.get("max_tokens"),
            }
            response = await client.post(
                f"{url}/chat/completions",
                json=body,
                headers={"Authorization": f"Bearer {kwargs.get('api_key', 'x')}"},
            )
            response.json()
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

        original = runs._stub_litellm()
        runs.run_level(runs.STUB_URL, 1, FEW, workdir, 0)  # warm-up
        kit_own = _repeat(args.repeats, lambda: marginal_ms(runs.STUB_URL, workdir))
        litellm.acompletion = original
        runs._capture_litellm_calls()
        with serve_in_subprocess(latency_ms=0) as url:
            runs.run_level(url, 1, FEW, workdir, 0)  # warm-up: MiniLM, ingestion, pools
            runs.CAPTURED.clear()
            full = _repeat(args.repeats, lambda: marginal_ms(url, workdir))
            replay = [{**kw, "api_base": url} for kw in runs.CAPTURED[:400]]
            asyncio.run(_bare(replay[:20]))  # warm-up
            bare = _repeat(args.repeats, lambda: asyncio.run(_bare(replay)))
            http = _repeat(args.repeats, lambda: asyncio.run(_http_client(replay, url)))
            workers = (
                []
                if args.no_call_workers
                else _repeat(args.repeats, lambda: marginal_ms(url, workdir, call_workers=2))
            )
    total = statistics.median(full)
    floor = statistics.median(bare)
    print(f"CPU per model call at latency 0 (median of {args.repeats}, range):")
    print(_median("kit + litellm + HTTP client (a run)", full))
    print(_median("  the kit's own (model call stubbed)", kit_own))
    print(
        f"  {'  litellm (bare litellm - HTTP client)':<44} "
        f"{floor - statistics.median(http):6.2f} ms"
    )
    print(_median("  HTTP client (httpx POST, JSON decoded)", http))
    print(_median("floor: bare litellm, same requests", bare))
    print(f"  {'the run above the floor':<44} {total - floor:6.2f} ms")
    if workers:
        print(_median("through 2 call workers (run + workers)", workers))
    verdict = "met" if total <= GOAL_MS else "NOT met"
    print(f"goal: kit + litellm at most {GOAL_MS:.0f} ms per call: {verdict} ({total:.2f} ms)")


if __name__ == "__main__":
    main()
