"""Throughput of `clinisim bench` against a model with a fixed latency, and its overhead.

Usage: python benchmarks/bench_concurrency.py [--latency-ms 200] [--levels 1 8 32]

A fake OpenAI-compatible server (``fake_openai_server.py``, on 127.0.0.1) answers
every call after a fixed latency with a scripted reply. Every role (doctor, patient,
examiner) is played through it via litellm, so the sessions do real HTTP calls,
real retrieval for the patient, real graph steps and real record writes; only the
model is fake. For each concurrency level the script runs a suite sized to two
waves of sessions and prints:

- sessions per minute, and the speed-up over concurrency 1 as a share of the ideal
  (ideal = the concurrency level, since every session is latency-bound);
- the overhead per model call at concurrency 1: wall time minus calls × latency,
  divided by calls. It is split into litellm's own share (measured by timing bare
  ``litellm.acompletion`` calls against the same server) and the kit's own share
  (the rest: graph steps, agents, retrieval, parsing, budgets, record writes).

Judging is limited to the diagnosis judge so the figures measure the runner, not
the embedding-based rubric judges.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_openai_server import serve_in_subprocess  # noqa: E402

CASES = ["stemi-inferior", "gout", "migraine", "renal-colic", "cellulitis", "asthma-exacerbation"]


def _suite(url: str, sessions: int, concurrency: int) -> dict[str, object]:
    trials = max(1, -(-sessions // len(CASES)))
    return {
        "name": f"perf-c{concurrency}",
        "cases": CASES,
        "trials": trials,
        "models": {"doctor": "openai/fake", "patient": "openai/fake", "examiner": "openai/fake"},
        "api_base": url,
        "rubrics": ["diagnosis"],
        "execution": {"concurrency": concurrency, "session_retries": 0, "call_retries": 0},
    }


def _run_level(url: str, concurrency: int, workdir: Path) -> tuple[int, int, float]:
    """(sessions, model calls, wall seconds) for one concurrency level."""
    from clinisim.library import CaseLibrary
    from clinisim.runner import BenchRun, resolve_suite
    from clinisim.schemas import Suite
    from clinisim.session import read_session
    from clinisim.store import RecordStore

    library = CaseLibrary()
    suite = Suite.model_validate(_suite(url, max(2 * concurrency, 6), concurrency))
    loaded = resolve_suite(suite, library=library, source="benchmark", base_dir=workdir)
    run_dir = workdir / f"c{concurrency}"
    runner = BenchRun(loaded, run_dir, library=library, store=RecordStore())
    manifest = runner.prepare()
    started = time.perf_counter()
    result = asyncio.run(runner.execute(manifest))
    wall = time.perf_counter() - started
    if result.manifest.status != "complete":
        raise SystemExit(f"level {concurrency}: run {result.manifest.status}")
    calls = 0
    for path in (run_dir / "sessions").glob("*.json"):
        record = read_session(path)
        calls += sum(u.calls for u in record.usage.values())
    return len(runner.plans), calls, wall


def _bare_litellm_overhead(url: str, latency: float, calls: int) -> float:
    """Seconds per call that litellm and loopback HTTP add over the fixed latency."""
    import litellm

    messages = [
        {"role": "system", "content": "You are role-playing a patient talking to a doctor."},
        {"role": "user", "content": "When did the pain start?"},
    ]

    async def loop() -> float:
        started = time.perf_counter()
        for _ in range(calls):
            await litellm.acompletion(
                model="openai/fake",
                api_base=url,
                api_key="not-needed",
                messages=messages,
                max_retries=0,
                max_tokens=512,
            )
        return time.perf_counter() - started

    asyncio.run(loop())  # warm-up: client pools, imports
    return (asyncio.run(loop()) - calls * latency) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--repeats", type=int, default=1, help="Runs per level (median taken).")
    args = parser.parse_args()
    latency = args.latency_ms / 1000
    with serve_in_subprocess(latency_ms=args.latency_ms) as url, tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        os.environ["CLINISIM_DATA_DIR"] = str(workdir / "data")
        _run_level(url, 1, workdir / "warmup")  # loads MiniLM, ingests the cases
        rates: dict[int, float] = {}
        per_call: dict[int, float] = {}
        print(f"fake model latency {args.latency_ms:.0f} ms per call, all roles via litellm")
        print(f"{'concurrency':>11} {'sessions':>8} {'calls':>6} {'wall s':>7} {'sess/min':>9}")
        for level in args.levels:
            walls, rate_runs = [], []
            for repeat in range(args.repeats):
                sessions, calls, wall = _run_level(url, level, workdir / f"r{repeat}")
                walls.append(wall)
                rate_runs.append(sessions / wall * 60)
                per_call[level] = (wall - calls * latency / level) / calls if level == 1 else 0.0
            rates[level] = statistics.median(rate_runs)
            print(
                f"{level:>11} {sessions:>8} {calls:>6} {statistics.median(walls):>7.2f} "
                f"{rates[level]:>9.1f}"
            )
        base = rates.get(1)
        if base:
            for level in args.levels:
                if level > 1:
                    share = rates[level] / base / level
                    print(f"speed-up at {level}: {rates[level] / base:.1f}x = {share:.0%} of ideal")
            total = per_call[1]
            bare = _bare_litellm_overhead(url, latency, 20)
            print(f"overhead per model call at concurrency 1: {total * 1000:.2f} ms")
            print(f"  litellm + loopback HTTP (bare acompletion): {bare * 1000:.2f} ms")
            print(f"  kit's own (the rest): {(total - bare) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
