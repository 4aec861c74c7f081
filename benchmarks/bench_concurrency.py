"""Throughput of the benchmark runner against remote models with a fixed latency.

Usage: python benchmarks/bench_concurrency.py [--latency-ms 200 1000] [--levels 1 32]
       [--remote doctor patient] [--waves 2] [--repeats 3] [--jitter-ms 0]
       [--call-workers auto|N]

A fake OpenAI-compatible server (``fake_openai_server.py``, on 127.0.0.1) answers
every call after a fixed latency with a scripted reply. The ``--remote`` roles
(default: the doctor and the patient) are played through it via litellm, so the
sessions make real HTTP calls and do real retrieval, graph steps and record
writes; only the model is fake. The other roles play offline.

For each latency and concurrency level, a suite of ``--waves`` waves of sessions
(8 cases × trials) runs ``--repeats`` times, and the medians are printed:

- sessions per hour, and the speed-up over concurrency 1 as a share of the ideal
  (every session is latency-bound, so the ideal speed-up is the level);
- the *CPU ceiling*: the best share this machine's cores allow at all. The fake
  server runs here too, so every call costs the CPU of the kit, litellm, loopback
  HTTP and the server (measured as the wall time per call at latency 0, where
  nothing overlaps), and ``level`` sessions need ``level × cpu / (latency + cpu)``
  cores (:func:`cpu_ceiling`); *of ceiling* is the share over that;
- when the run's first session started and when it ended, in seconds from the
  run's start (``BenchRun.execute``, after the suite is checked and the cases
  indexed);
- the call worker processes the runner used (``call_workers: auto``: two from 16
  sessions at once) and when they were ready. Sessions start at once and their
  first model calls wait for the workers (which import litellm, about five
  seconds here); the wall time, and so the speed-up, counts from that moment, so
  that it measures the run at full speed, as in a long run.

Judging is limited to the diagnosis judge so the figures measure the runner. The
CPU per call, broken down into the kit, litellm and the HTTP client, is
``call_cpu.py``.
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
from dataclasses import dataclass
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


REMOTE_ROLES = ("doctor", "patient", "examiner")
"""The roles played through the fake server by default; the others play offline."""


def _suite(
    url: str,
    sessions: int,
    concurrency: int,
    call_workers: int | str = "auto",
    remote: tuple[str, ...] = REMOTE_ROLES,
) -> dict[str, object]:
    return {
        "name": f"perf-c{concurrency}",
        "cases": CASES,
        "trials": max(1, sessions // len(CASES)),
        "models": {role: "openai/fake" if role in remote else "offline" for role in REMOTE_ROLES},
        "api_base": url,
        "rubrics": ["diagnosis"],
        "execution": {
            "concurrency": concurrency,
            "session_retries": 0,
            "call_retries": 0,
            "call_workers": call_workers,
        },
    }


@dataclass
class LevelRun:
    """One run of a level: its calls, timings and call workers."""

    calls: int
    wall: float
    """Seconds the run worked at full speed: from its start, or from the moment its
    call workers were ready when it has some, to its last record."""
    workers: int
    startup: float
    """Seconds from the run's start until its call workers were ready (0: none)."""
    first_start: float
    """Seconds from the run's start (execute) to its first session starting."""
    first_end: float
    """Seconds from the run's start to its first session ending."""


def run_level(
    url: str,
    concurrency: int,
    sessions: int,
    workdir: Path,
    call_workers: int | str = "auto",
    remote: tuple[str, ...] = REMOTE_ROLES,
) -> LevelRun:
    """One run of ``sessions`` at ``concurrency`` (see :class:`LevelRun`)."""
    from clinisim.engine import read_session
    from clinisim.library import CaseLibrary
    from clinisim.runner import (
        BenchRun,
        CallWorkersReady,
        RunPlanned,
        SessionEnded,
        SessionStarted,
        call_worker_count,
        resolve_suite,
    )
    from clinisim.schemas import Suite
    from clinisim.store import RecordStore

    library = CaseLibrary()
    suite = Suite.model_validate(_suite(url, sessions, concurrency, call_workers, remote))
    loaded = resolve_suite(suite, library=library, source="benchmark", base_dir=workdir)
    run_dir = workdir / f"c{concurrency}-{time.monotonic_ns()}"
    ready: list[float] = []
    workers_ready: list[float] = []
    starts: list[float] = []
    ends: list[float] = []

    def on_event(event: object) -> None:
        now = time.perf_counter()
        if isinstance(event, RunPlanned):
            ready.append(now)
        elif isinstance(event, CallWorkersReady):
            workers_ready.append(now)
        elif isinstance(event, SessionStarted):
            starts.append(now)
        elif isinstance(event, SessionEnded):
            ends.append(now)

    runner = BenchRun(loaded, run_dir, library=library, store=RecordStore(), on_event=on_event)
    manifest = runner.prepare()
    started = time.perf_counter()
    result = asyncio.run(runner.execute(manifest))
    full_speed = workers_ready[0] if workers_ready else ready[0]
    wall = ends[-1] - full_speed
    if result.manifest.status != "complete":
        raise SystemExit(f"concurrency {concurrency}: run {result.manifest.status}")
    calls = sum(
        usage.calls
        for path in (run_dir / "sessions").glob("*.json")
        for usage in read_session(path).usage.values()
    )
    return LevelRun(
        calls,
        wall,
        call_worker_count(loaded),
        full_speed - started if workers_ready else 0.0,
        starts[0] - started,
        ends[0] - started,
    )


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


@dataclass
class LevelFigures:
    """Medians over the repeats of one level at one latency."""

    level: int
    sessions: int
    calls: int
    wall: float
    rate: float
    """Sessions per minute."""
    first_start: float
    first_end: float
    workers: int
    startup: float


def measure_level(url: str, level: int, args: argparse.Namespace, workdir: Path) -> LevelFigures:
    """Run ``level`` ``args.repeats`` times; the medians of the figures."""
    sessions = max(args.waves * level, len(CASES))
    runs = [
        run_level(url, level, sessions, workdir, args.call_workers, tuple(args.remote))
        for _ in range(args.repeats)
    ]
    wall = statistics.median(r.wall for r in runs)
    return LevelFigures(
        level=level,
        sessions=sessions,
        calls=runs[0].calls,
        wall=wall,
        rate=statistics.median(sessions / r.wall * 60 for r in runs),
        first_start=statistics.median(r.first_start for r in runs),
        first_end=statistics.median(r.first_end for r in runs),
        workers=runs[0].workers,
        startup=statistics.median(r.startup for r in runs),
    )


def _throughput(args: argparse.Namespace, latency_ms: float, workdir: Path, cpu_ms: float) -> None:
    """Print one table: sessions per minute per concurrency level, against the server."""
    cores = os.cpu_count() or 1
    spread = f" ± {args.jitter_ms:.0f} ms (uniform, seeded)" if args.jitter_ms else " (fixed)"
    print(
        f"fake model latency {latency_ms:.0f} ms{spread}; remote roles: "
        f"{', '.join(args.remote)} (the others offline); medians of {args.repeats} runs"
    )
    print(
        f"{'concurrency':>11} {'sessions':>8} {'calls':>6} {'wall s':>7} "
        f"{'sess/hour':>10} {'of ideal':>9} {'CPU ceiling':>12} {'of ceiling':>11} "
        f"{'1st start s':>12} {'1st end s':>10} {'call workers':>13}"
    )
    with serve_in_subprocess(latency_ms=latency_ms, jitter_ms=args.jitter_ms) as url:
        base_rate = 0.0
        for level in args.levels:
            figures = measure_level(url, level, args, workdir)
            base_rate = base_rate or (figures.rate if level == 1 else 0.0)
            share = figures.rate / base_rate / level if base_rate else float("nan")
            ceiling = cpu_ceiling(level, latency_ms, cpu_ms, cores)
            started = f"{figures.workers} (+{figures.startup:.1f} s)" if figures.workers else "0"
            print(
                f"{level:>11} {figures.sessions:>8} {figures.calls:>6} {figures.wall:>7.2f} "
                f"{figures.rate * 60:>10.0f} {share:>9.0%} {ceiling:>12.0%} "
                f"{share / ceiling:>11.0%} {figures.first_start:>12.2f} "
                f"{figures.first_end:>10.2f} {started:>13}"
            )


STUB_URL = "http://127.0.0.1:9/v1"
"""Never contacted: the stubbed runs make no HTTP call."""


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


def machine_line() -> str:
    """The machine's cores and reference-loop speed, printed before the figures."""
    return (
        f"machine: {os.cpu_count()} cores; pure-Python reference loop "
        f"{machine_speed_ms():.0f} ms (10M additions, best of 3)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-ms", type=float, nargs="+", default=[200.0, 1000.0])
    parser.add_argument(
        "--jitter-ms", type=float, default=0.0, help="latency varies uniformly by ± this"
    )
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 32])
    parser.add_argument("--waves", type=int, default=2, help="sessions per level = waves × level")
    parser.add_argument("--repeats", type=int, default=3, help="runs per level (medians)")
    parser.add_argument(
        "--remote",
        nargs="+",
        choices=REMOTE_ROLES,
        default=["doctor", "patient"],
        help="roles played through the fake server",
    )
    parser.add_argument(
        "--call-workers", type=_workers, default="auto", help="execution.call_workers"
    )
    args = parser.parse_args()
    print(machine_line())
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        os.environ["CLINISIM_DATA_DIR"] = str(workdir / "data")
        # The CPU of a call, all processes of this machine together (the kit,
        # litellm, loopback HTTP, the fake server): the wall time per call at
        # latency 0 and concurrency 1, where nothing overlaps.
        remote = tuple(args.remote)
        with serve_in_subprocess(latency_ms=0) as url:
            run_level(url, 1, len(CASES), workdir, 0, remote)  # warm-up: MiniLM, ingestion
            zero = [run_level(url, 1, len(CASES), workdir, 0, remote) for _ in range(3)]
        cpu_ms = statistics.median(r.wall / r.calls * 1000 for r in zero)
        cores = os.cpu_count() or 1
        print(
            f"CPU per call, all processes (wall per call at latency 0, median of 3): "
            f"{cpu_ms:.2f} ms; {zero[0].calls} calls in {len(CASES)} sessions"
        )
        for latency in args.latency_ms:
            _throughput(args, latency, workdir, cpu_ms)
            top = max(args.levels)
            print(
                f"  90% of the ideal at concurrency {top} and {latency:.0f} ms needs at most "
                f"{cpu_budget_for(0.9, top, latency, cores):.2f} ms of CPU per call on "
                f"{cores} cores"
            )


if __name__ == "__main__":
    main()
