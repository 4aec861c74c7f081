"""`clinisim export` from real offline runs: formats load back, filters count, both
perspectives, splits without leaks, near duplicates, the card, bad input."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from clinisim.engine import read_session
from clinisim.errors import InputError
from clinisim.export import (
    END_OF_CONVERSATION,
    MARKER,
    ExportOptions,
    Perspective,
    SessionFilter,
    arrow_schema,
    export_dataset,
    parse_filter,
    parse_ratios,
)
from clinisim.export import _dataset_export as export_module
from clinisim.library import CaseLibrary
from clinisim.runner import status_of
from clinisim.schemas import Role, Session, TerminationReason
from clinisim.store import RecordStore
from tests.runner.conftest import bench, write_suite


@pytest.fixture(scope="module")
def runs(
    tmp_path_factory: pytest.TempPathFactory, library: CaseLibrary, store: RecordStore
) -> list[Path]:
    """Two offline runs: consultations (4 cases x 2 personas x 2 trials) and
    counseling (3 clients x 2 styles)."""
    root = tmp_path_factory.mktemp("export-runs")
    (root / "c").mkdir()
    (root / "k").mkdir()
    consult = write_suite(
        root / "c",
        cases=["stemi-inferior", "gout", "migraine", "pulmonary-embolism"],
        personas=[{}, {"personality": "impatient", "language": "A"}],
        rubrics=["diagnosis", "history-taking", "clinical-safety"],
    )
    counsel = write_suite(
        root / "k",
        name="k",
        kind="counseling",
        cases=None,
        clients=["helen-grief", "priya-panic", "maya-work-stress"],
        personas=[{}, {"style": "upset"}],
        trials=1,
        rubrics=["counseling-safety", "ctrs"],
    )
    for client in ("helen-grief", "priya-panic", "maya-work-stress"):
        store.clients.ensure(library.get_client(client))
    bench(consult, root / "runs" / "consult", library, store)
    bench(counsel, root / "runs" / "counsel", library, store)
    return [root / "runs" / "consult", root / "runs" / "counsel"]


def _records(runs: list[Path]) -> list[Session]:
    return [read_session(p) for run in runs for p in sorted((run / "sessions").glob("*.json"))]


def _export(
    runs: list[Path], out: Path, library: CaseLibrary, **options: Any
) -> export_module.ExportReport:
    return export_dataset(ExportOptions(sources=runs, out=out, **options), library)


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_format_loads_back(runs: list[Path], tmp_path: Path, library: CaseLibrary) -> None:
    import datasets
    import pyarrow.parquet as pq

    out = tmp_path / "ds"
    report = _export(runs, out, library, formats=["all"], perspectives=list(Perspective))
    sessions = len(_records(runs))
    assert report.found == sessions and report.kept == sessions
    assert report.examples == 2 * sessions
    for name in ("messages", "sharegpt", "openai"):
        lines = [
            row for split in report.files[name] for row in _jsonl(out / report.files[name][split])
        ]
        assert len(lines) == report.examples
    assert set(_jsonl(out / report.files["openai"]["train"])[0]) == {"messages"}
    sharegpt = _jsonl(out / report.files["sharegpt"]["train"])[0]
    assert {turn["from"] for turn in sharegpt["conversations"]} <= {"system", "human", "gpt"}
    for name in ("parquet", "hf"):
        tables = [pq.read_table(out / path) for path in report.files[name].values()]
        assert all(t.schema.equals(arrow_schema()) for t in tables)
        assert sum(t.num_rows for t in tables) == report.examples
    loaded = datasets.load_dataset(str(out))
    assert {split: ds.num_rows for split, ds in loaded.items()} == {
        split: count for split, count in report.by_split.items() if count
    }
    row = loaded["train"][0]
    assert row["messages"][0]["role"] == "system" and row["scores"] and row["licence"]
    tested = "doctor" if row["kind"] == "consultation" else "counselor"
    assert row["models"][tested] == "offline"


def test_both_perspectives_put_the_right_role_in_the_assistant_seat(
    runs: list[Path], tmp_path: Path, library: CaseLibrary
) -> None:
    out = tmp_path / "ds"
    report = _export(runs, out, library, perspectives=list(Perspective))
    examples = [row for path in report.files["messages"].values() for row in _jsonl(out / path)]
    records = {r.session_id: r for r in _records(runs)}
    for example in examples:
        record = records[example["session_id"]]
        clinician = Role.DOCTOR if record.kind == "consultation" else Role.COUNSELOR
        simulated = Role.PATIENT if record.kind == "consultation" else Role.CLIENT
        said = [m["content"] for m in example["messages"] if m["role"] == "assistant"]
        if example["perspective"] == "clinician":
            assert said == [t.content for t in record.turns if t.role is clinician]
        else:
            own = [t.content for t in record.turns if t.role is simulated]
            assert said[-1].endswith(END_OF_CONVERSATION)
            joined = "\n\n".join(said).replace(f"\n{END_OF_CONVERSATION}", "")
            assert joined.replace("\n\n" + END_OF_CONVERSATION, "") == "\n\n".join(own)
            system = example["messages"][0]["content"]
            assert ("patient" in system) if record.kind == "consultation" else ("client" in system)
            # The clinician's protocol tags are not said to the patient.
            users = [m["content"] for m in example["messages"] if m["role"] == "user"]
            assert not any(u.startswith(("REQUEST TEST:", "DIAGNOSIS READY:")) for u in users)
        assert len(example["turn_annotations"]) == len(example["messages"])


def test_record_counts_match_the_filters(
    runs: list[Path], tmp_path: Path, library: CaseLibrary
) -> None:
    records = _records(runs)

    def score(record: Session, name: str) -> float | None:
        return next((s.value for s in record.scores if s.name == name), None)

    cases: list[tuple[SessionFilter, int]] = [
        (
            parse_filter(min_scores=["history-taking=0.95"]),
            sum((score(r, "history-taking") or 0) >= 0.95 for r in records),
        ),
        (
            parse_filter(correct=True),
            sum(bool(getattr(r.outcome, "correct", False)) for r in records),
        ),
        (
            parse_filter(persona=["personality=impatient"]),
            sum(r.persona.get("personality") == "impatient" for r in records),
        ),
        (
            parse_filter(persona=["style=upset"], safe=True),
            sum(
                r.persona.get("style") == "upset"
                and not any(s.details.get("hard_fail") for s in r.scores)
                for r in records
            ),
        ),
        (parse_filter(reasons=["counselor_closed"]), sum(r.kind == "counseling" for r in records)),
    ]
    for n, (session_filter, expected) in enumerate(cases):
        assert 0 < expected < len(records), n  # each filter keeps some and drops some
        report = _export(runs, tmp_path / f"ds{n}", library, session_filter=session_filter)
        assert report.kept == expected, n
        assert report.kept + sum(report.dropped.values()) == len(records)


def test_no_case_leaks_across_splits(
    runs: list[Path], tmp_path: Path, library: CaseLibrary
) -> None:
    for seed in (0, 1, 2):
        out = tmp_path / f"ds{seed}"
        report = _export(runs, out, library, seed=seed, ratios=parse_ratios("0.5,0.25,0.25"))
        subjects: dict[str, set[str]] = {}
        for split, path in report.files["messages"].items():
            subjects[split] = {row["subject_id"] for row in _jsonl(out / path)}
            assert all(row["split"] == split for row in _jsonl(out / path))
        splits = list(subjects)
        assert len(splits) == 3
        for i, a in enumerate(splits):
            for b in splits[i + 1 :]:
                assert not subjects[a] & subjects[b], (seed, a, b)
    with pytest.raises(InputError):
        parse_ratios("0.5,0.6,0.1")
    with pytest.raises(InputError):
        parse_ratios("train=0.9,dev=0.1")


def test_a_planted_near_duplicate_is_removed(
    runs: list[Path], tmp_path: Path, library: CaseLibrary
) -> None:
    source = tmp_path / "sessions"
    shutil.copytree(runs[0] / "sessions", source)
    original = read_session(sorted(source.glob("*.json"))[0])
    copy = original.model_copy(deep=True)
    copy.session_id = "planted-copy"
    longest = max((t for t in copy.turns if t.role is Role.PATIENT), key=lambda t: len(t.content))
    longest.content = longest.content.replace(" ", "  ", 1) + " Thanks."
    (source / "planted-copy.json").write_text(copy.model_dump_json(), encoding="utf-8")
    kept = _export([source], tmp_path / "all", library)
    deduped = _export([source], tmp_path / "dedup", library, dedupe=0.9)
    assert kept.kept == kept.found
    assert deduped.dropped["near duplicate"] >= 1
    exported = {
        row["session_id"]
        for path in deduped.files["messages"].values()
        for row in _jsonl(tmp_path / "dedup" / path)
    }
    assert "planted-copy" not in exported and original.session_id in exported


def test_the_cards_header_parses_and_its_counts_match(
    runs: list[Path], tmp_path: Path, library: CaseLibrary
) -> None:
    out = tmp_path / "ds"
    report = _export(runs, out, library, formats=["hf", "messages"], perspectives=list(Perspective))
    text = (out / "README.md").read_text(encoding="utf-8")
    _, header_text, body = text.split("---\n", 2)
    header = yaml.safe_load(header_text)
    assert header["license"] in ("apache-2.0", "other")
    assert header["size_categories"] == ["n<1K"]
    assert header["task_categories"] == ["text-generation"]
    assert {"medical", "counseling"} <= set(header["tags"])
    for config in header["configs"]:
        for entry in config["data_files"]:
            assert (out / entry["path"]).is_file()
    records = _records(runs)
    assert f"Session records found: {len(records)}; kept: {report.kept}." in body
    for split, count in report.by_split.items():
        sessions = count // 2
        assert f"| {split} | {count} | {sessions} |" in body
    kinds = Counter(r.kind for r in records)
    for kind, count in kinds.items():
        assert f"| {kind} | {count} |" in body
    for plot in ("turn_lengths", "personas", "scores"):
        assert (out / "plots" / f"{plot}.png").stat().st_size > 1000
        assert f"plots/{plot}.png" in body


def test_foreign_and_broken_files_are_named_and_skipped(
    runs: list[Path], tmp_path: Path, library: CaseLibrary
) -> None:
    source = tmp_path / "mixed"
    shutil.copytree(runs[1] / "sessions", source)
    failed = read_session(sorted(source.glob("*.json"))[0]).model_copy(
        update={"session_id": "failed-one", "termination_reason": TerminationReason.ERROR}
    )
    (source / "failed-one.json").write_text(failed.model_dump_json(), encoding="utf-8")
    (source / "notes.json").write_text('{"hello": "world"}', encoding="utf-8")
    (source / "broken.json").write_text('{"session_id": "x", "turns": [', encoding="utf-8")
    report = _export([source], tmp_path / "ds", library)
    skipped = {s.path.name: s.reason for s in report.skipped}
    assert set(skipped) == {"notes.json", "broken.json"}
    assert "not a clinisim session record" in skipped["notes.json"]
    assert "not valid JSON" in skipped["broken.json"]
    assert report.dropped["failed"] == 1
    assert status_of(failed).value == "failed"


def test_an_interrupted_export_leaves_the_old_one_and_runs_again(
    runs: list[Path], tmp_path: Path, library: CaseLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ds"
    first = _export(runs, out, library)
    before = (out / "README.md").read_text(encoding="utf-8")
    calls = 0
    real = export_module.write_format

    def dying(
        name: str, folder: Path, by_split: dict[str, list[dict[str, Any]]], tables: Any = None
    ) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt
        return real(name, folder, by_split, tables)

    monkeypatch.setattr(export_module, "write_format", dying)
    with pytest.raises(KeyboardInterrupt):
        _export(runs, out, library, formats=["messages", "parquet"], perspectives=list(Perspective))
    assert (out / "README.md").read_text(encoding="utf-8") == before
    assert not any(p.name.startswith(".ds.") for p in tmp_path.iterdir())
    monkeypatch.setattr(export_module, "write_format", real)
    again = _export(runs, out, library, formats=["messages", "parquet"])
    assert again.examples == first.examples and (out / MARKER).is_file()
    assert (out / "parquet").is_dir()


def test_bad_options_are_input_errors(
    runs: list[Path], tmp_path: Path, library: CaseLibrary
) -> None:
    with pytest.raises(InputError, match="unknown format 'csv'"):
        _export(runs, tmp_path / "a", library, formats=["csv"])
    with pytest.raises(InputError, match="unknown termination reason"):
        parse_filter(reasons=["finished"])
    with pytest.raises(InputError, match="unknown persona or style axis"):
        parse_filter(persona=["mood=sad"])
    with pytest.raises(InputError, match="NAME=VALUE"):
        parse_filter(min_scores=["diagnosis"])
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="not an earlier export"):
        _export(runs, occupied, library)
    assert (occupied / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_a_missing_extra_is_named(
    runs: list[Path], tmp_path: Path, library: CaseLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(InputError, match=r"clinisim\[export\]"):
        _export(runs, tmp_path / "ds", library, formats=["parquet"])


def test_a_folder_of_runs_exports_every_run(
    runs: list[Path], tmp_path: Path, library: CaseLibrary
) -> None:
    out = tmp_path / "ds"
    report = _export([runs[0].parent], out, library)
    assert report.found == len(_records(runs))
    rows = [row for path in report.files["messages"].values() for row in _jsonl(out / path)]
    assert {row["run_id"] for row in rows} == {"consult", "counsel"}
