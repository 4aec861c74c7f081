"""Top-1 and top-3 accuracy of the offline baseline doctor: the shipped library and
the shipped AgentClinic sample (imported on the fly).

Usage: python benchmarks/doctor_accuracy.py [--seeds 3] [--persona axis=value ...]

Every shipped case is run end to end on the offline engine (doctor, patient and
examiner), for each seed, and the doctor's diagnosis and differential are matched
against the gold diagnosis and its synonyms. Chance is one over the number of
conditions in the knowledge base.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--persona", action="append", default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CLINISIM_DATA_DIR"] = tmp
        import json

        from clinisim.engine import SessionSpec, build_session
        from clinisim.judges import match_diagnosis
        from clinisim.library import CaseLibrary, convert_agentclinic_case, parse_persona
        from clinisim.llm import ModelClient, load_model_config
        from clinisim.paths import suites_dir
        from clinisim.store import RecordStore

        library = CaseLibrary()
        sample_file = suites_dir() / "agentclinic_sample.jsonl"
        sample_lines = [
            line for line in sample_file.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        sample = [
            convert_agentclinic_case(json.loads(line), f"agentclinic-{n}", sample_file.name)
            for n, line in enumerate(sample_lines, start=1)
        ]
        groups = {"shipped library": list(library.cases.values()), "AgentClinic sample": sample}
        persona = parse_persona(args.persona)
        store = RecordStore()
        client = ModelClient(load_model_config({}, env={}))
        chance = 1 / len(library.conditions)
        print(f"offline doctor, {args.seeds} seed(s), persona {args.persona or 'plain'}")
        print(f"  chance (1 / {len(library.conditions)} conditions): {chance:.1%}")
        for group, group_cases in groups.items():
            top1 = top3 = total = 0
            misses: list[str] = []
            for seed in range(args.seeds):
                for case in group_cases:
                    spec = SessionSpec(
                        session_id=f"acc-{case.id}-{seed}",
                        case_id=case.id,
                        persona=persona.model_dump(mode="json"),
                        seed=seed,
                        models={},
                        out=Path(tmp) / "s" / f"{case.id}-{seed}.json",
                    )
                    run = build_session(
                        spec, library=library, store=store, client=client, judges=(), subject=case
                    )
                    asyncio.run(run.run())
                    outcome = run.record().consultation
                    assert outcome is not None
                    total += 1
                    top1 += bool(outcome.correct)
                    ranked = outcome.differential_given[:3]
                    top3 += any(match_diagnosis(d, case.diagnosis).correct for d in ranked)
                    if not outcome.correct:
                        misses.append(
                            f"{case.id} (seed {seed}): gave {outcome.diagnosis_given!r}, "
                            f"gold {case.diagnosis.name!r}"
                        )
            print(f"{group}: {len(group_cases)} cases x {args.seeds} seed(s)")
            print(f"  top-1 accuracy: {top1 / total:.1%} ({top1}/{total})")
            print(f"  top-3 accuracy: {top3 / total:.1%} ({top3}/{total})")
            for miss in misses:
                print(f"  miss: {miss}")


if __name__ == "__main__":
    main()
