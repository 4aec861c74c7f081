"""Time offline consultations end to end: warm start to saved record.

Usage: python benchmarks/consultation_speed.py [--repeats 20] [--case stemi-inferior]

Prints the median and p95 wall time of a full offline consultation (all roles on the
built-in engine, record written), the number of turns, and the kit's own overhead per
turn excluding retrieval (total time minus time spent in the record store's
queries and in embedding the questions; question embeddings are cached per
process, so warm runs that repeat a question skip the model).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from clinisim.agents import ChatModel
    from clinisim.schemas import Role
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
        from clinisim.library import CaseLibrary
        from clinisim.schemas import Persona, Visibility
        from clinisim.session import (
            ConsultationRun,
            ConsultationSpec,
            build_consultation_roles,
            open_checkpointer,
        )
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
        checkpointer = open_checkpointer(Path(tmp) / "checkpoints.sqlite")

        def one(seed: int) -> tuple[float, float, int]:
            nonlocal retrieval_time
            retrieval_time = 0.0
            start = time.perf_counter()
            spec = ConsultationSpec(
                session_id=f"bench-{seed}-{time.perf_counter_ns()}",
                case_id=case.id,
                persona=Persona(),
                seed=seed,
                models={"doctor": "offline", "patient": "offline", "examiner": "offline"},
                out=Path(tmp) / "sessions" / f"{seed}.json",
                max_turns=20,
            )
            roles, hashes = build_consultation_roles(
                case=case,
                persona=spec.persona,
                seed=seed,
                models=spec.models,
                library=library,
                store=store,
                chat_model=_no_model,
                max_turns=spec.max_turns,
                max_tests=spec.max_tests,
            )
            run = ConsultationRun(spec, case, roles, checkpointer, prompt_hashes=hashes)
            for _ in run.stream():
                pass
            record = run.save()
            return time.perf_counter() - start, retrieval_time, len(record.turns)

        one(0)  # warm-up: loads the embedding model and the knowledge base
        totals, overheads, turns = [], [], []
        for seed in range(1, args.repeats + 1):
            total, retrieval, n = one(seed)
            totals.append(total)
            overheads.append((total - retrieval) / max(n, 1))
            turns.append(n)

    totals.sort()
    p95 = totals[min(len(totals) - 1, round(0.95 * (len(totals) - 1)))]
    print(f"offline consultation, case {args.case}, {args.repeats} runs")
    print(f"  turns per session: median {statistics.median(turns):.0f}")
    print(f"  wall time: median {statistics.median(totals) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(
        "  kit overhead per turn excluding retrieval (embedding + query): "
        f"median {statistics.median(overheads) * 1000:.2f} ms"
    )


def _no_model(role: Role) -> ChatModel:
    raise SystemExit(f"benchmark uses the offline engine only; no model for {role}")


if __name__ == "__main__":
    main()
