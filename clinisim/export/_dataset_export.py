"""``clinisim export``: session records in, a dataset folder out.

Reading, filtering, removing near duplicates, splitting by subject, writing every
format and the card all happen in a staging folder next to the output; the output
is swapped in only when everything is written. An export interrupted midway leaves
the previous output untouched, and running it again starts clean.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinisim.engine import kind_named
from clinisim.errors import InputError
from clinisim.export._dataset_card import CardFacts, write_card
from clinisim.export._dialogue import Perspective, dialogue_example
from clinisim.export._formats import FORMATS, write_format
from clinisim.export._near_duplicates import near_duplicates
from clinisim.export._session_files import FoundSession, RunInfo, Skipped, find_sessions
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


def _dialogue_text(found: FoundSession) -> str:
    return "\n".join(turn.content for turn in found.record.turns)


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


def export_dataset(
    options: ExportOptions, library: CaseLibrary, progress: Progress | None = None
) -> ExportReport:
    """Export the sessions under ``options.sources`` to ``options.out``."""
    formats = _check_formats(options.formats)
    _check_out(options.out)
    if not options.perspectives:
        raise InputError("give at least one perspective", field="--perspective")
    report = ExportReport(out=options.out)
    tell = progress or (lambda _stage, _done, _total: None)

    found: list[FoundSession] = []
    runs: dict[Path, RunInfo] = {}
    for item in find_sessions(options.sources):
        if isinstance(item, Skipped):
            report.skipped.append(item)
            continue
        report.found += 1
        runs.setdefault(item.run.path, item.run)
        reason = options.session_filter.rejects(item.record)
        if reason is None:
            found.append(item)
        else:
            report.dropped[reason] += 1
        if report.found % 200 == 0:
            tell("reading sessions", report.found, 0)
    tell("reading sessions", report.found, report.found)

    if options.dedupe is not None and found:
        tell("finding near duplicates", 0, len(found))
        duplicates = near_duplicates([_dialogue_text(f) for f in found], options.dedupe)
        report.dropped["near duplicate"] += len(duplicates)
        found = [f for i, f in enumerate(found) if i not in duplicates]
    report.kept = len(found)

    splits = split_subjects((f.record.case_id for f in found), options.ratios, options.seed)
    by_split: dict[str, list[dict[str, Any]]] = {
        s: [] for s in SPLIT_NAMES if options.ratios.get(s, 0) > 0
    }
    subjects: dict[tuple[str, str], Any] = {}
    for done, item in enumerate(found, 1):
        record = item.record
        key = (record.kind, record.case_id)
        if key not in subjects:
            subjects[key] = _subject(library, *key)
            if subjects[key] is None:
                report.missing_subjects.append(record.case_id)
        for perspective in options.perspectives:
            example = dialogue_example(record, perspective, subjects[key], item.run, str(item.path))
            example["split"] = splits[record.case_id]
            by_split[example["split"]].append(example)
        if done % 500 == 0:
            tell("building examples", done, len(found))
    examples = [e for chunk in by_split.values() for e in chunk]
    report.examples = len(examples)
    report.by_split = {s: len(v) for s, v in by_split.items()}
    written = {s: v for s, v in by_split.items() if v} or {SPLIT_NAMES[0]: []}

    staging = _staging(options.out)
    if staging.exists():
        shutil.rmtree(staging)  # left by an export that was interrupted
    staging.mkdir(parents=True)
    try:
        for n, name in enumerate(formats, 1):
            tell(f"writing {name}", n - 1, len(formats))
            report.files[name] = write_format(name, staging, written)
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
