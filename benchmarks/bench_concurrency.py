"""Throughput of the benchmark runner against a model with a fixed latency, and its overhead.

Usage: python benchmarks/bench_concurrency.py [--latency-ms 200] [--jitter-ms 50]
       [--levels 1 8 32] [--waves 2] [--call-workers auto|N]

A fake OpenAI-compatible server (``fake_openai_server.py``, on 127.0.0.1) answers
every call after a fixed latency with a scripted reply. Every role (doctor, patient,
examiner) is played through it via litellm, so the sessions make real HTTP calls
and do real retrieval, graph steps and record writes; only the model is fake.

It prints:

1. **Throughput.** For each concurrency level, a suite of ``--waves`` waves of
   sessions (8 cases × trials): sessions per minute and the speed-up over
   concurrency 1 as a share of the ideal (every session is latency-bound, so the
   ideal speed-up is the concurrency level). The runner's ``call_workers`` setting
   applies (``auto``: litellm's work moves to two worker processes from 16 sessions
   at once); the wall time starts once the workers are ready, and their start-up
   is shown apart. Next to it, the share for *bare litellm*: the same number of
   coroutines making the same sequential ``litellm.acompletion`` calls in one
   process with no kit at all. The table is printed for the fixed latency, then
   again with the latency varying uniformly by ``--jitter-ms`` (same mean), since
   a fixed latency keeps sessions in lockstep: their replies arrive together and
   queue for the CPU, which no real model server does.
   The *CPU ceiling* column is the best share this machine's cores allow at all:
   the fake server runs here too, so every call costs the CPU of the kit, litellm,
   loopback HTTP and the server (measured as the wall time per call at latency 0,
   where nothing overlaps), and ``level`` sessions need
   ``level × cpu / (latency + cpu)`` cores (see :func:`cpu_ceiling`).
2. **Overhead per model call**, at concurrency 1:
   - *the kit's own*: the same sessions with the model call replaced by an
     in-process stub that returns the scripted reply at once, so every
     millisecond left is the kit's (graph steps, agents, retrieval, parsing,
     budgets, judging, record writes). It is printed two ways. *Per call* is the
     marginal cost: the wall time of 32 sessions minus that of 8, over the calls
     they add, so the run's fixed costs (the manifest's git and package queries,
     compiling the graph) and the first, uncached retrieval of each case's
     questions (the first 8 sessions play every case once) drop out. *All in* is
     the wall time of the 8 sessions over their calls, fixed costs included.
     Both are the median of three pairs of runs, printed with their range;
   - against the fake server at latency 0: the kit's wall time per call, and bare
     litellm's wall time per call replaying the very same requests (captured
     from the kit's run). Their difference also counts the kit's interference
     with litellm's own work (the GIL, worker threads).

Judging is limited to the diagnosis judge so the figures measure the runner, not
the embedding-based rubric judges. The scripted doctor repeats its questions, so
query embeddings and retrieval results are mostly cached; a real model's new
questions each cost one embedding (13 to 30 ms, in a worker thread).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_openai_server import serve_in_subprocess

CASES = [
    "stemi-inferior",
    "gout",
    "migraine",
    "renal-colic",
    "cellulitis",
    "asthma-exacerbation",
    "pulmonary-embolism",
    "acute-appendicitis",
]
"""Eight cases, so every level runs whole waves: 8, 16 and 64 sessions for 1, 8 and 32."""

CAPTURED: list[dict[str, Any]] = []
"""The kwargs of every litellm call the kit made (for the bare replay)."""


def _capture_litellm_calls() -> None:
    import litellm

    original = litellm.acompletion

    async def recording(**kwargs: Any) -> Any:
        CAPTURED.append(dict(kwargs))
        return await original(**kwargs)

    litellm.acompletion = recording


def _stub_litellm() -> Any:
    """Replace ``litellm.acompletion`` by an instant stub; return the original.

    The stub builds one ``ModelResponse`` per distinct scripted reply and returns it
    again for the same reply (the kit only reads responses), so what the stubbed
    run measures is the kit's work, not the cost of constructing litellm's response
    objects, which belongs to litellm.
    """
    import litellm
    from fake_openai_server import scripted_reply

    original = litellm.acompletion

    @functools.cache
    def response_for(content: str) -> Any:
        response = litellm.ModelResponse(
            choices=[
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content},
                }
            ],
            usage={"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        )
        response._hidden_params = {"response_cost": None}
        return response

    async def stub(**kwargs: Any) -> Any:
        messages = [(m["role"], m["content"]) for m in kwargs["messages"]]
        return response_for(scripted_reply(messages, 8))

    litellm.acompletion = stub
    return original


def _suite(
    url: str, sessions: int, concurrency: int, call_workers: int | str = "auto"
) -> dict[str, object]:
    return {
        "name": f"perf-c{concurrency}",
        "cases": CASES,
        "trials": max(1, sessions // len(CASES)),
        "models": {"doctor": "openai/fake", "patient": "openai/fake", "examiner": "openai/fake"},
        "api_base": url,
        "rubrics": ["diagnosis"],
        "execution": {
            "concurrency": concurrency,
            "session_retries": 0,
            "call_retries": 0,
            "call_workers": call_workers,
        },
    }


def run_level(
    url: str, concurrency: int, sessions: int, workdir: Path, call_workers: int | str = "auto"
) -> tuple[int, float, int, float]:
    """One run of ``sessions`` at ``concurrency``.

    Returns (model calls, wall seconds, call workers, their start-up seconds). The
    wall time runs from the moment the runner has everything ready (the call
    workers, when it uses them, started) to the last record written; the start-up
    is the time the call workers took beyond the runner's own preparation.
    """
    from clinisim.engine import read_session
    from clinisim.library import CaseLibrary
    from clinisim.runner import BenchRun, RunPlanned, call_worker_count, resolve_suite
    from clinisim.schemas import Suite
    from clinisim.store import RecordStore

    library = CaseLibrary()
    suite = Suite.model_validate(_suite(url, sessions, concurrency, call_workers))
    loaded = resolve_suite(suite, library=library, source="benchmark", base_dir=workdir)
    run_dir = workdir / f"c{concurrency}-{time.monotonic_ns()}"
    ready: list[float] = []

    def on_event(event: object) -> None:
        if isinstance(event, RunPlanned):
            ready.append(time.perf_counter())

    runner = BenchRun(loaded, run_dir, library=library, store=RecordStore(), on_event=on_event)
    manifest = runner.prepare()
    started = time.perf_counter()
    result = asyncio.run(runner.execute(manifest))
    wall = time.perf_counter() - ready[0]
    startup = ready[0] - started
    if result.manifest.status != "complete":
        raise SystemExit(f"concurrency {concurrency}: run {result.manifest.status}")
    calls = sum(
        usage.calls
        for path in (run_dir / "sessions").glob("*.json")
        for usage in read_session(path).usage.values()
    )
    return calls, wall, call_worker_count(loaded), startup


async def _bare(requests: list[dict[str, Any]], concurrency: int) -> float:
    """Wall seconds for ``concurrency`` coroutines each replaying ``requests`` in order."""
    import litellm

    async def one_session() -> None:
        for kwargs in requests:
            await litellm.acompletion(**kwargs)

    started = time.perf_counter()
    await asyncio.gather(*(one_session() for _ in range(concurrency)))
    return time.perf_counter() - started


def cpu_ceiling(level: int, latency_ms: float, cpu_ms: float, cores: int) -> float:
    """The best share of the ideal speed-up that ``cores`` allow at ``level`` sessions.

    Every call costs ``cpu_ms`` of CPU (the kit, litellm, loopback HTTP and the fake
    server itself, all on this machine) on top of the model's latency. One session
    makes a call every ``latency_ms + cpu_ms``; ``level`` sessions would need
    ``level * cpu_ms / (latency_ms + cpu_ms)`` cores, and have ``cores``.
    """
    return min(1.0, cores * (latency_ms + cpu_ms) / (level * cpu_ms))


def cpu_budget_for(share: float, level: int, latency_ms: float, cores: int) -> float:
    """The CPU per call (ms) under which ``cores`` allow ``share`` of the ideal at ``level``."""
    return cores * latency_ms / (share * level - cores) if share * level > cores else float("inf")


def _throughput(
    args: argparse.Namespace,
    jitter_ms: float,
    one_session: list[dict[str, Any]],
    workdir: Path,
    cpu_ms: float,
) -> None:
    """Print one table: sessions per minute per concurrency level, against the server."""
    latency = args.latency_ms / 1000
    cores = os.cpu_count() or 1
    spread = f" ± {jitter_ms:.0f} ms (uniform, seeded)" if jitter_ms else " (fixed)"
    print(f"fake model latency {args.latency_ms:.0f} ms{spread}; every role via litellm")
    print(
        f"{'concurrency':>11} {'sessions':>8} {'calls':>6} {'wall s':>7} "
        f"{'sess/min':>9} {'of ideal':>9} {'CPU ceiling':>12} {'bare litellm':>13} "
        f"{'call workers':>13}"
    )
    with serve_in_subprocess(latency_ms=args.latency_ms, jitter_ms=jitter_ms) as url:
        replay = [{**kw, "api_base": url} for kw in one_session]
        base_rate = 0.0
        for level in args.levels:
            sessions = max(args.waves * level, len(CASES))
            calls, wall, workers, startup = run_level(
                url, level, sessions, workdir, args.call_workers
            )
            rate = sessions / wall * 60
            base_rate = base_rate or rate * (1 if level == 1 else 0)
            share = rate / base_rate / level if base_rate else float("nan")
            waves = sessions // level
            bare_wall = asyncio.run(_bare(replay * waves, level))
            bare_share = len(replay) * waves * latency / bare_wall
            started = f"{workers} (+{startup:.1f} s)" if workers else "0"
            ceiling = cpu_ceiling(level, args.latency_ms, cpu_ms, cores)
            print(
                f"{level:>11} {sessions:>8} {calls:>6} {wall:>7.2f} {rate:>9.1f} "
                f"{share:>9.0%} {ceiling:>12.0%} {bare_share:>13.0%} {started:>13}"
            )


STUB_URL = "http://127.0.0.1:9/v1"
"""Never contacted: the stubbed runs make no HTTP call."""
STUB_REPEATS = 3
"""Pairs of stubbed runs (8 and 32 sessions); one pair alone varies by ±25% here."""


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ms ({min(values):.2f} to {max(values):.2f})"


def _workers(text: str) -> int | str:
    return text if text == "auto" else int(text)


def machine_speed_ms() -> float:
    """Milliseconds for a fixed pure-Python loop (10 million additions), best of three.

    Printed with the figures so that runs on different machines can be compared:
    the per-call costs above scale roughly with it.
    """
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument(
        "--jitter-ms",
        type=float,
        default=50.0,
        help="also measure with the latency varying by up to ± this (0: fixed only)",
    )
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--waves", type=int, default=2, help="sessions per level = waves × level")
    parser.add_argument(
        "--call-workers", type=_workers, default="auto", help="execution.call_workers"
    )
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores; pure-Python reference loop "
        f"{machine_speed_ms():.0f} ms (10M additions, best of 3)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        os.environ["CLINISIM_DATA_DIR"] = str(workdir / "data")

        # 0. The kit's own overhead: the model call is an instant in-process stub.
        import litellm

        original = _stub_litellm()
        run_level(STUB_URL, 1, len(CASES), workdir)  # warm-up
        marginals: list[float] = []
        all_in: list[float] = []
        for _ in range(STUB_REPEATS):
            few_calls, few_wall, _, _ = run_level(STUB_URL, 1, len(CASES), workdir)
            many_calls, many_wall, _, _ = run_level(STUB_URL, 1, 4 * len(CASES), workdir)
            marginals.append((many_wall - few_wall) / (many_calls - few_calls) * 1000)
            all_in.append(few_wall / few_calls * 1000)
        litellm.acompletion = original
        _capture_litellm_calls()

        # 1. Overhead per call, at zero latency.
        with serve_in_subprocess(latency_ms=0) as url:
            run_level(url, 1, len(CASES), workdir)  # warm-up: MiniLM, ingestion, pools
            CAPTURED.clear()
            calls, wall, _, _ = run_level(url, 1, len(CASES), workdir)
            replay = [{**kw, "api_base": url} for kw in CAPTURED]
            asyncio.run(_bare(replay[:20], 1))  # warm-up
            bare = asyncio.run(_bare(replay, 1))
        kit_ms, bare_ms = wall / calls * 1000, bare / len(replay) * 1000
        overhead_calls = calls

        # 2. Throughput at the given latency, fixed and then with jitter.
        one_session = CAPTURED[: len(CAPTURED) // len(CASES)]
        _throughput(args, 0.0, one_session, workdir, kit_ms)
        if args.jitter_ms > 0:
            _throughput(args, args.jitter_ms, one_session, workdir, kit_ms)
        print("overhead per model call, concurrency 1:")
        print(f"  kit's own, model call stubbed in-process (median of {STUB_REPEATS}, range):")
        print(
            f"    per call ({len(CASES)} to {4 * len(CASES)} sessions, "
            f"{many_calls - few_calls} calls added): {_spread(marginals)}"
        )
        print(
            f"    all in ({len(CASES)} sessions, {few_calls} calls, fixed costs "
            f"included): {_spread(all_in)}"
        )
        print(f"  against the server at latency 0 ({overhead_calls} calls):")
        print(f"    kit + litellm + loopback HTTP: {kit_ms:.2f} ms")
        print(f"    bare litellm, same requests:   {bare_ms:.2f} ms")
        print(f"    difference:                    {kit_ms - bare_ms:.2f} ms")
        cores = os.cpu_count() or 1
        top = max(args.levels)
        print(
            f"CPU ceiling: {cores} cores, {kit_ms:.2f} ms of CPU per call (kit + litellm + "
            f"HTTP + fake server, from the latency-0 run); 90% of the ideal at concurrency "
            f"{top} needs at most {cpu_budget_for(0.9, top, args.latency_ms, cores):.2f} ms"
        )


if __name__ == "__main__":
    main()
