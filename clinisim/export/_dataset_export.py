"""``clinisim export``: session records in, a dataset folder out.

Reading, filtering, removing near duplicates, splitting by subject, writing every
format and the card all happen in a staging folder next to the output; the output
is swapped in only when everything is written. An export interrupted midway leaves
the previous output untouched, and running it again starts clean.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinisim.engine import kind_named
from clinisim.errors import InputError
from clinisim.export._dataset_card import CardFacts, write_card
from clinisim.export._dialogue import Perspective, dialogue_examples
from clinisim.export._formats import FORMATS, write_format
from clinisim.export._near_duplicates import check_threshold, duplicates_of, signature
from clinisim.export._session_files import RunInfo, Skipped, read_session_file, session_files
from clinisim.export._session_filter import SessionFilter
from clinisim.export._splits import SPLIT_NAMES, split_subjects
from clinisim.library import CaseLibrary

__all__ = ["MARKER", "ExportOptions", "ExportReport", "Progress", "export_dataset"]

MARKER = ".clinisim-export.json"
"""The file that marks a folder as an export (so a re-run may replace it)."""

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total) as the export goes."""


@dataclass(frozen=True)
class ExportOptions:
    sources: Sequence[Path]
    out: Path
    formats: Sequence[str] = ("messages",)
    perspectives: Sequence[Perspective] = (Perspective.CLINICIAN,)
    session_filter: SessionFilter = field(default_factory=SessionFilter)
    dedupe: float | None = None
    """Jaccard threshold for near duplicates; ``None`` keeps them all."""
    ratios: dict[str, float] = field(
        default_factory=lambda: {"train": 0.8, "validation": 0.1, "test": 0.1}
    )
    seed: int = 0
    name: str = "clinisim synthetic dialogues"
    workers: int | None = None
    """Processes that read and build examples (default: up to 4, one per core)."""


@dataclass
class ExportReport:
    out: Path
    found: int = 0
    kept: int = 0
    examples: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    skipped: list[Skipped] = field(default_factory=list)
    missing_subjects: list[str] = field(default_factory=list)
    files: dict[str, dict[str, str]] = field(default_factory=dict)
    by_split: dict[str, int] = field(default_factory=dict)


def _check_formats(formats: Sequence[str]) -> list[str]:
    chosen = list(FORMATS) if "all" in formats else list(dict.fromkeys(formats))
    for name in chosen:
        if name not in FORMATS:
            raise InputError(
                f"unknown format {name!r} (formats: {', '.join(FORMATS)}, all)", field="--format"
            )
    return chosen


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", file=out, field="--out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise InputError(
            "is a folder that is not an earlier export; give an empty or new folder",
            file=out,
            field="--out",
        )


def _subject(library: CaseLibrary, kind: str, subject_id: str) -> Any:
    try:
        return kind_named(kind).subject(library, subject_id)
    except InputError:
        return None


def _staging(out: Path) -> Path:
    return out.parent / f".{out.name}.partial"


def _swap_in(staging: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old"
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    if old.exists():
        shutil.rmtree(old)


def _filters_text(options: ExportOptions) -> str:
    f = options.session_filter
    parts = ["failed, interrupted and budget-stopped sessions left out"]
    if f.reasons:
        parts.append("termination reason " + " or ".join(sorted(f.reasons)))
    parts += [f"{name} at least {value:g}" for name, value in f.min_scores.items()]
    if f.correct:
        parts.append("correct diagnosis")
    if f.safe:
        parts.append("no safety-critical rubric item failed")
    parts += [f"{axis} = {value}" for axis, value in f.persona.items()]
    return "; ".join(parts)


@dataclass(frozen=True)
class _Job:
    """What every worker needs to prepare a session (set once per worker)."""

    library: CaseLibrary
    perspectives: tuple[Perspective, ...]
    session_filter: SessionFilter
    dedupe: bool


@dataclass
class _Prepared:
    """One file, read and turned into examples (split not yet set)."""

    path: Path
    run: RunInfo
    skipped: str | None = None
    case_id: str = ""
    rejected: str | None = None
    examples: list[dict[str, Any]] = field(default_factory=list)
    signature: Any = None
    subject_found: bool = True


_JOB: _Job | None = None
_SUBJECTS: dict[tuple[str, str], Any] = {}


def _start_worker(job: _Job) -> None:
    global _JOB
    _JOB = job
    _SUBJECTS.clear()


def _prepare(item: tuple[Path, RunInfo]) -> _Prepared:
    """Read one file and build its examples (in a worker process, or in this one)."""
    path, run = item
    job = _JOB
    assert job is not None, "_start_worker was not called"
    record = read_session_file(path)
    if isinstance(record, str):
        return _Prepared(path, run, skipped=record)
    prepared = _Prepared(path, run, case_id=record.case_id)
    prepared.rejected = job.session_filter.rejects(record)
    if prepared.rejected is not None:
        return prepared
    key = (record.kind, record.case_id)
    if key not in _SUBJECTS:
        _SUBJECTS[key] = _subject(job.library, *key)
    subject = _SUBJECTS[key]
    prepared.subject_found = subject is not None
    prepared.examples = dialogue_examples(record, job.perspectives, subject, run, str(path))
    if job.dedupe:
        prepared.signature = signature("\n".join(turn.content for turn in record.turns))
    return prepared


PARALLEL_FROM = 400
"""Files from which the reading and building runs in worker processes."""


def _prepared(
    files: list[tuple[Path, RunInfo]], job: _Job, workers: int, tell: Progress
) -> Iterator[_Prepared]:
    if workers <= 1 or len(files) < PARALLEL_FROM:
        _start_worker(job)
        for done, item in enumerate(files, 1):
            yield _prepare(item)
            if done % 200 == 0:
                tell("reading sessions", done, len(files))
        return
    # Forked workers share the parent's memory until they write to it; the garbage
    # collector would write to every object it scans. Frozen objects are not scanned.
    gc.freeze()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(workers, initializer=_start_worker, initargs=(job,)) as pool:
        for done, found in enumerate(pool.imap(_prepare, files, chunksize=16), 1):
            yield found
            if done % 200 == 0:
                tell("reading sessions", done, len(files))


def export_dataset(
    options: ExportOptions, library: CaseLibrary, progress: Progress | None = None
) -> ExportReport:
    """Export the sessions under ``options.sources`` to ``options.out``."""
    formats = _check_formats(options.formats)
    _check_out(options.out)
    if not options.perspectives:
        raise InputError("give at least one perspective", field="--perspective")
    if options.dedupe is not None:
        check_threshold(options.dedupe)
    report = ExportReport(out=options.out)
    tell = progress or (lambda _stage, _done, _total: None)

    files = session_files(options.sources)
    job = _Job(
        library, tuple(options.perspectives), options.session_filter, options.dedupe is not None
    )
    workers = options.workers if options.workers is not None else min(4, os.cpu_count() or 1)
    kept: list[_Prepared] = []
    runs: dict[Path, RunInfo] = {}
    for found in _prepared(files, job, workers, tell):
        if found.skipped is not None:
            report.skipped.append(Skipped(found.path, found.skipped))
            continue
        report.found += 1
        runs.setdefault(found.run.path, found.run)
        if found.rejected is not None:
            report.dropped[found.rejected] += 1
            continue
        if not found.subject_found:
            report.missing_subjects.append(found.case_id)
        kept.append(found)
    tell("reading sessions", len(files), len(files))

    if options.dedupe is not None and kept:
        tell("finding near duplicates", 0, len(kept))
        duplicates = duplicates_of([f.signature for f in kept], options.dedupe)
        report.dropped["near duplicate"] += len(duplicates)
        kept = [f for i, f in enumerate(kept) if i not in duplicates]
    report.kept = len(kept)

    splits = split_subjects((f.case_id for f in kept), options.ratios, options.seed)
    by_split: dict[str, list[dict[str, Any]]] = {
        s: [] for s in SPLIT_NAMES if options.ratios.get(s, 0) > 0
    }
    for found in kept:
        for example in found.examples:
            example["split"] = splits[found.case_id]  # each example's own dict
            by_split[example["split"]].append(example)
    examples = [e for chunk in by_split.values() for e in chunk]
    report.examples = len(examples)
    report.by_split = {s: len(v) for s, v in by_split.items()}
    written = {s: v for s, v in by_split.items() if v} or {SPLIT_NAMES[0]: []}

    staging = _staging(options.out)
    if staging.exists():
        shutil.rmtree(staging)  # left by an export that was interrupted
    staging.mkdir(parents=True)
    try:
        tables: dict[str, Any] = {}
        for n, name in enumerate(formats, 1):
            tell(f"writing {name}", n - 1, len(formats))
            report.files[name] = write_format(name, staging, written, tables)
        tell("writing the dataset card", len(formats), len(formats))
        facts = CardFacts(
            found=report.found,
            dropped=report.dropped,
            skipped=report.skipped,
            runs=list(runs.values()),
            files=report.files,
            ratios={s: options.ratios.get(s, 0.0) for s in written},
            seed=options.seed,
            filters_text=_filters_text(options),
            dedupe_text=(
                f"MinHash LSH (datasketch), word 5-gram shingles, 128 permutations, Jaccard "
                f"threshold {options.dedupe:g}; {report.dropped['near duplicate']} dropped"
                if options.dedupe is not None
                else "not removed (no --dedupe)"
            ),
            name=options.name,
        )
        write_card(staging, examples, facts)
        (staging / MARKER).write_text(
            json.dumps(
                {
                    "found": report.found,
                    "kept": report.kept,
                    "examples": report.examples,
                    "dropped": dict(report.dropped),
                    "skipped": [str(s.path) for s in report.skipped],
                    "files": report.files,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        _swap_in(staging, options.out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report
