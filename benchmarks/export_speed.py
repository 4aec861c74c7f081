"""Time ``clinisim export`` on many synthetic session records.

Usage: python benchmarks/export_speed.py [--sessions 10000] [--repeats 3]

First a small offline run produces real session records (every shipped case and
four counseling clients, judges on). They are then copied, with new session ids
and seeds and a numbered sentence added to every patient or client turn, until
there are ``--sessions`` records on disk. The export then runs in a fresh process
(``python -m clinisim export ... --format all --perspective both --dedupe 0.9``), as a
user runs it, ``--repeats`` times; the script prints the median and range of its
wall time, the records per second and the size written.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _seed_records(root: Path) -> list[Path]:
    """Real offline sessions: every shipped case once, and four clients twice."""
    import yaml

    from clinisim.library import CaseLibrary
    from clinisim.runner import BenchRun, load_suite, resolve_suite
    from clinisim.store import RecordStore

    library = CaseLibrary()
    store = RecordStore(root / "store")
    suites = {
        "cases": {"name": "cases", "cases": "all", "trials": 1},
        "clients": {
            "name": "clients",
            "kind": "counseling",
            "clients": ["helen-grief", "priya-panic", "maya-work-stress", "ben-loneliness"],
            "personas": [{}, {"style": "upset"}],
        },
    }
    files: list[Path] = []
    for name, data in suites.items():
        path = root / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data))
        loaded = resolve_suite(load_suite(path), library=library, source=str(path), base_dir=root)
        run_dir = root / "seed-runs" / name
        BenchRun(loaded, run_dir, library=library, store=store).run()
        files += sorted((run_dir / "sessions").glob("*.json"))
    return files


def _synthesise(seeds: list[Path], target: Path, count: int) -> None:
    import random

    from clinisim.engine import read_session, write_session
    from clinisim.schemas import Role

    records = [read_session(p) for p in seeds]
    vocabulary = sorted({w for r in records for t in r.turns for w in t.content.split()})
    target.mkdir(parents=True)
    for n in range(count):
        rng = random.Random(n)
        base = records[n % len(records)]
        copy = base.model_copy(deep=True)
        copy.session_id = f"synthetic-{n:06d}"
        copy.seed = n
        for turn in copy.turns:
            if turn.role in (Role.PATIENT, Role.CLIENT):
                # Enough words of their own that most copies are not near duplicates.
                extra = " ".join(rng.choices(vocabulary, k=12))
                turn.content = f"{turn.content} {extra}."
        write_session(copy, target / f"{copy.session_id}.json", durable=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["CLINISIM_DATA_DIR"] = str(root / "data")
        start = time.perf_counter()
        seeds = _seed_records(root)
        records = root / "records"
        _synthesise(seeds, records, args.sessions)
        print(
            f"wrote {args.sessions} synthetic records from {len(seeds)} real offline sessions "
            f"in {time.perf_counter() - start:.1f} s"
        )
        command = [
            sys.executable,
            "-m",
            "clinisim",
            "export",
            str(records),
            "--format",
            "all",
            "--perspective",
            "both",
            "--dedupe",
            "0.9",
            "--out",
            str(root / "dataset"),
        ]
        times: list[float] = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=os.environ.copy())
            times.append(time.perf_counter() - start)
        summary = json.loads((root / "dataset" / ".clinisim-export.json").read_text())
        size = sum(p.stat().st_size for p in (root / "dataset").rglob("*") if p.is_file())
    median = statistics.median(times)
    print(
        f"export of {args.sessions} sessions to every format, both perspectives, near "
        f"duplicates removed, whole process, {args.repeats} runs: median {median:.1f} s "
        f"(min {min(times):.1f}, max {max(times):.1f}); {args.sessions / median:.0f} "
        f"sessions/s; {size / 1e6:.0f} MB written; {summary['kept']} sessions kept, "
        f"{summary['dropped'].get('near duplicate', 0)} near duplicates dropped, "
        f"{summary['examples']} examples"
    )


if __name__ == "__main__":
    main()
