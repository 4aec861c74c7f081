"""Time offline consultations end to end: warm start to saved record.

Usage: python benchmarks/consultation_speed.py [--repeats 20] [--case stemi-inferior]

Prints, for the two ways a session runs (in memory, as the benchmark runner runs it,
and checkpointed with the record rewritten every step, as ``clinisim run`` runs it),
the median and p95 wall time of a full offline consultation (all roles on the
built-in engine, judges off), the number of turns, and the kit's own overhead per
turn excluding retrieval (total time minus time spent in the record store's
queries and in embedding the questions; question embeddings are cached per
process, so warm runs that repeat a question skip the model).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from clinisim.store import RetrievedChunk

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--case", default="stemi-inferior")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CLINISIM_DATA_DIR"] = tmp
        from clinisim.engine import SessionSpec, build_session, open_checkpointer
        from clinisim.library import CaseLibrary
        from clinisim.llm import ModelClient, load_model_config
        from clinisim.schemas import Persona, Visibility
        from clinisim.store import RecordStore

        library = CaseLibrary()
        case = library.get(args.case)
        store = RecordStore()
        store.ensure_ingested(case)

        retrieval_time = 0.0
        original_query = store.query

        def timed_query(
            case_id: str,
            question: str | Sequence[float],
            visibilities: Sequence[Visibility] = (Visibility.PATIENT,),
            k: int = 5,
        ) -> list[RetrievedChunk]:
            nonlocal retrieval_time
            start = time.perf_counter()
            try:
                return original_query(case_id, question, visibilities, k)
            finally:
                retrieval_time += time.perf_counter() - start

        store.query = timed_query  # type: ignore[method-assign]

        import clinisim.offline.patient._patient as patient_module
        import clinisim.store

        original_embed = clinisim.store.embed_query

        def timed_embed(text: str) -> list[float]:
            nonlocal retrieval_time
            start = time.perf_counter()
            try:
                return original_embed(text)
            finally:
                retrieval_time += time.perf_counter() - start

        patient_module.embed_query = timed_embed  # type: ignore[attr-defined]
        client = ModelClient(load_model_config({}, env={}))

        async def one(seed: int, checkpointer: Any) -> tuple[float, float, int]:
            nonlocal retrieval_time
            retrieval_time = 0.0
            start = time.perf_counter()
            spec = SessionSpec(
                session_id=f"bench-{seed}-{time.perf_counter_ns()}",
                case_id=case.id,
                persona=Persona().model_dump(mode="json"),
                seed=seed,
                models={"doctor": "offline", "patient": "offline", "examiner": "offline"},
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
                subject=case,
            )
            if checkpointer is not None:
                async for _ in run.stream():
                    pass
            else:
                await run.run()
            record = await run.finish(write=checkpointer is not None)
            return time.perf_counter() - start, retrieval_time, len(record.turns)

        async def measure(checkpointed: bool) -> tuple[list[float], list[float], list[int]]:
            async with open_checkpointer(Path(tmp) / "checkpoints.sqlite") as saver:
                checkpointer = saver if checkpointed else None
                await one(0, checkpointer)  # warm-up: the embedding model, the knowledge base
                totals: list[float] = []
                overheads: list[float] = []
                turns: list[int] = []
                for seed in range(1, args.repeats + 1):
                    total, retrieval, n = await one(seed, checkpointer)
                    totals.append(total)
                    overheads.append((total - retrieval) / max(n, 1))
                    turns.append(n)
            return totals, overheads, turns

        results = {
            "in memory (the bench path: no checkpoints, record written once)": asyncio.run(
                measure(False)
            ),
            "checkpointed (the `clinisim run` path: SQLite checkpoint and record every step)": (
                asyncio.run(measure(True))
            ),
        }

    print(f"offline consultation, case {args.case}, {args.repeats} runs per mode, judges off")
    for label, (totals, overheads, turns) in results.items():
        totals.sort()
        p95 = totals[min(len(totals) - 1, round(0.95 * (len(totals) - 1)))]
        print(f"{label}:")
        print(f"  turns per session: median {statistics.median(turns):.0f}")
        print(
            f"  wall time: median {statistics.median(totals) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms"
        )
        print(
            "  kit overhead per turn excluding retrieval (embedding + query): "
            f"median {statistics.median(overheads) * 1000:.2f} ms"
        )


if __name__ == "__main__":
    main()
