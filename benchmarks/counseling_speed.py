"""Time offline counseling sessions end to end, in process.

Usage: python benchmarks/counseling_speed.py [--repeats 20] [--client maya-work-stress]

Prints the median and p95 wall time of a full offline counseling session (counselor
and client on the built-in engine, a 20-turn counselor budget, questionnaires before
and after, judges off), run the way the benchmark runner runs sessions (in memory)
and the way ``clinisim counsel`` runs them (SQLite checkpoint and record every step).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--client", default="maya-work-stress")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CLINISIM_DATA_DIR"] = tmp
        from clinisim.engine import SessionSpec, build_session, open_checkpointer
        from clinisim.kinds.counseling import counseling_persona
        from clinisim.library import CaseLibrary
        from clinisim.llm import ModelClient, load_model_config
        from clinisim.store import RecordStore

        library = CaseLibrary()
        profile = library.get_client(args.client)
        store = RecordStore()
        store.clients.ensure(profile)
        client = ModelClient(load_model_config({}, env={}))

        async def one(seed: int, checkpointer: Any) -> tuple[float, int]:
            start = time.perf_counter()
            spec = SessionSpec(
                kind="counseling",
                session_id=f"bench-{seed}-{time.perf_counter_ns()}",
                case_id=profile.id,
                persona=counseling_persona(profile),
                seed=seed,
                models={},
                out=Path(tmp) / "sessions" / f"{seed}.json",
                budgets={"max_turns": 20},
            )
            run = build_session(
                spec,
                library=library,
                store=store,
                client=client,
                checkpointer=checkpointer,
                judges=(),
                subject=profile,
            )
            if checkpointer is not None:
                async for _ in run.stream():
                    pass
            else:
                await run.run()
            record = await run.finish(write=checkpointer is not None)
            return time.perf_counter() - start, len(record.turns)

        async def measure(checkpointed: bool) -> tuple[list[float], list[int]]:
            async with open_checkpointer(Path(tmp) / "checkpoints.sqlite") as saver:
                checkpointer = saver if checkpointed else None
                await one(0, checkpointer)  # warm-up: the embedding model, the client's store
                totals: list[float] = []
                turns: list[int] = []
                for seed in range(1, args.repeats + 1):
                    total, n = await one(seed, checkpointer)
                    totals.append(total)
                    turns.append(n)
            return totals, turns

        results = {
            "in memory (the bench path)": asyncio.run(measure(False)),
            "checkpointed (the `clinisim counsel` path)": asyncio.run(measure(True)),
        }

    print(f"offline counseling, client {args.client}, {args.repeats} runs per mode, judges off")
    for label, (totals, turns) in results.items():
        totals.sort()
        p95 = totals[min(len(totals) - 1, round(0.95 * (len(totals) - 1)))]
        print(f"{label}:")
        print(f"  turns per session: median {statistics.median(turns):.0f}")
        print(
            f"  wall time: median {statistics.median(totals) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
