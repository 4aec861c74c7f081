"""Helpers to build suites and run them in-process on the offline engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from clinisim.library import CaseLibrary
from clinisim.runner import BenchResult, BenchRun, LoadedSuite, RunEvent, load_suite, resolve_suite
from clinisim.store import RecordStore


def write_suite(directory: Path, **fields: Any) -> Path:
    """A suite YAML in ``directory``; ``fields`` override a small offline default."""
    data: dict[str, Any] = {
        "name": "t",
        "cases": ["stemi-inferior", "gout"],
        "trials": 2,
        "rubrics": ["diagnosis"],
        "execution": {"concurrency": 2},
    }
    data.update(fields)
    path = directory / "suite.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def loaded_suite(path: Path, library: CaseLibrary) -> LoadedSuite:
    """Load and resolve a suite file."""
    return resolve_suite(load_suite(path), library=library, source=str(path), base_dir=path.parent)


def bench(
    suite_path: Path,
    run_dir: Path,
    library: CaseLibrary,
    store: RecordStore,
    *,
    events: list[RunEvent] | None = None,
    call_options: dict[str, Any] | None = None,
    cache_path: Path | None = None,
) -> BenchResult:
    """Run (or resume) the suite into ``run_dir``, collecting events."""
    sink = events.append if events is not None else None
    runner = BenchRun(
        loaded_suite(suite_path, library),
        run_dir,
        library=library,
        store=store,
        on_event=sink,
        call_options=call_options,
        cache_path=cache_path,
    )
    return runner.run()
