"""The benchmark runner in-process: offline suites, resume, caps, retries, cache, manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinisim.engine import read_session
from clinisim.errors import InputError
from clinisim.library import CaseLibrary
from clinisim.runner import (
    RunEvent,
    RunPlanned,
    SessionEnded,
    SessionStatus,
    call_worker_count,
    derive_seed,
    read_manifest,
    status_of,
)
from clinisim.schemas import Persona, TerminationReason
from clinisim.store import RecordStore
from tests.runner.conftest import bench, loaded_suite, write_suite

MOCK_DOCTOR = "openai/mock-doctor"


def _records(run_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((run_dir / "sessions").glob("*.json"))}


def test_offline_suite_runs_every_session_and_writes_a_manifest(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    suite = write_suite(tmp_path)
    events: list[RunEvent] = []
    result = bench(suite, tmp_path / "run", library, store, events=events)
    assert result.exit_code == 0
    files = _records(tmp_path / "run")
    assert len(files) == 2 * 2  # two cases, two trials, one persona, one doctor
    manifest = read_manifest(tmp_path / "run")
    assert manifest.status == "complete"
    assert manifest.counts["completed"] == 4 and manifest.sessions_planned == 4
    assert manifest.rubrics == {"diagnosis": "1"}
    assert manifest.models["doctor"] == ["offline"]
    assert {"clinisim", "langgraph", "litellm", "chromadb"} <= set(manifest.versions)
    assert len(manifest.invocations) == 1 and manifest.invocations[0].sessions_run == 4
    for name in files:
        record = read_session(tmp_path / "run" / "sessions" / name)
        assert record.seed == manifest.seeds[record.session_id]
        assert record.seed == derive_seed(
            0, record.case_id, Persona().axis_values(), record.config["trial"]
        )
        assert record.termination_reason is TerminationReason.DIAGNOSIS_GIVEN
        assert [s.name for s in record.scores] == ["diagnosis"]
    ended = [e for e in events if isinstance(e, SessionEnded)]
    assert len(ended) == 4 and all(e.status is SessionStatus.COMPLETED for e in ended)


def test_rerun_does_nothing_and_resume_runs_only_what_is_missing(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    suite, run_dir = write_suite(tmp_path), tmp_path / "run"
    bench(suite, run_dir, library, store)
    before = _records(run_dir)
    events: list[RunEvent] = []
    bench(suite, run_dir, library, store, events=events)
    assert [e for e in events if isinstance(e, RunPlanned)] == [RunPlanned(4, 0, 4)]
    assert _records(run_dir) == before
    removed = sorted(before)[1]
    (run_dir / "sessions" / removed).unlink()
    events.clear()
    result = bench(suite, run_dir, library, store, events=events)
    assert [e.plan.session_id + ".json" for e in events if isinstance(e, SessionEnded)] == [removed]
    after = _records(run_dir)
    assert {k: v for k, v in after.items() if k != removed} == {
        k: v for k, v in before.items() if k != removed
    }
    # The offline engine is deterministic: the re-run session says the same things.
    again = json.loads(after[removed])
    first = json.loads(before[removed])
    assert [t["content"] for t in again["turns"]] == [t["content"] for t in first["turns"]]
    assert result.manifest.status == "complete" and len(result.manifest.invocations) == 3


def test_resume_refuses_a_changed_suite(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    run_dir = tmp_path / "run"
    bench(write_suite(tmp_path), run_dir, library, store)
    with pytest.raises(InputError) as caught:
        bench(write_suite(tmp_path, trials=3), run_dir, library, store)
    assert caught.value.field == "config_hash" and "different suite" in caught.value.problem
    # Execution settings may change on resume.
    result = bench(write_suite(tmp_path, execution={"concurrency": 1}), run_dir, library, store)
    assert result.exit_code == 0


def test_session_token_cap_ends_sessions_with_budget_exceeded(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    suite = write_suite(
        tmp_path,
        cases=["gout"],
        trials=1,
        models={"doctor": MOCK_DOCTOR},
        budgets={"session_tokens": 50},
    )
    # Every mocked call reports 10 prompt + 20 completion tokens.
    result = bench(
        suite,
        tmp_path / "run",
        library,
        store,
        call_options={"mock_response": "Where does it hurt?"},
    )
    (name,) = _records(tmp_path / "run")
    record = read_session(tmp_path / "run" / "sessions" / name)
    assert record.termination_reason is TerminationReason.BUDGET_EXCEEDED
    assert record.error is not None and record.error.type == "SessionBudgetExceeded"
    assert record.usage["doctor"].calls == 2 and record.usage["doctor"].total_tokens == 60
    assert result.manifest.counts["budget_exceeded"] == 1
    # A session stopped by its own cap is final: the run is complete and nothing re-runs.
    assert result.exit_code == 0
    events: list[RunEvent] = []
    bench(suite, tmp_path / "run", library, store, events=events)
    assert [e for e in events if isinstance(e, RunPlanned)] == [RunPlanned(1, 0, 1)]


def test_run_token_cap_stops_the_run_and_a_bigger_budget_resumes_it(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    options = {"mock_response": "Where does it hurt?"}
    common = {
        "models": {"doctor": MOCK_DOCTOR},
        "budgets": {"max_turns": 3},
        "execution": {"concurrency": 1},
    }
    run_dir = tmp_path / "run"
    small = write_suite(tmp_path, **{**common, "budgets": {"max_turns": 3, "run_tokens": 100}})
    result = bench(small, run_dir, library, store, call_options=options)
    counts = result.manifest.counts
    # 30 tokens a call, 3 calls a session: the cap is crossed in the second session.
    assert counts == {
        "completed": 1,
        "budget_exceeded": 1,
        "failed": 0,
        "interrupted": 0,
        "missing": 2,
    }
    assert result.manifest.status == "incomplete" and result.exit_code == 1
    assert any("run budget reached" in w for w in result.manifest.warnings)
    stopped = [
        read_session(p)
        for p in (run_dir / "sessions").glob("*.json")
        if read_session(p).termination_reason is TerminationReason.BUDGET_EXCEEDED
    ]
    assert stopped[0].error is not None and stopped[0].error.type == "RunBudgetExceeded"
    bigger = write_suite(tmp_path, **{**common, "budgets": {"max_turns": 3, "run_tokens": 10_000}})
    resumed = bench(bigger, run_dir, library, store, call_options=options)
    assert resumed.manifest.status == "complete"
    assert resumed.manifest.counts["completed"] == 4
    assert resumed.manifest.spend["tokens"] == 4 * 3 * 30


def test_failed_sessions_are_retried_then_the_failure_threshold_aborts(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    suite = write_suite(
        tmp_path,
        models={"doctor": MOCK_DOCTOR},
        execution={"concurrency": 1, "session_retries": 1, "max_failure_fraction": 0.25},
    )
    events: list[RunEvent] = []
    # An empty reply is re-asked twice, then the session fails with UnusableReply.
    result = bench(
        suite, tmp_path / "run", library, store, events=events, call_options={"mock_response": ""}
    )
    ended = [e for e in events if isinstance(e, SessionEnded)]
    assert [(e.attempt, e.retrying) for e in ended] == [
        (1, True),
        (2, False),
        (1, True),
        (2, False),
    ]
    assert all(e.record.error is not None for e in ended)
    assert ended[0].record.error is not None and ended[0].record.error.type == "UnusableReply"
    # Two of four failed: more than 25%, so the run stopped with two sessions never run.
    assert result.manifest.status == "aborted" and result.exit_code == 1
    assert result.manifest.counts["failed"] == 2 and result.manifest.counts["missing"] == 2
    record = read_session(tmp_path / "run" / "sessions" / f"{ended[-1].plan.session_id}.json")
    assert record.config["attempt"] == 2 and record.usage["doctor"].calls == 3


def test_session_timeout_fails_the_session_with_its_reason(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    suite = write_suite(
        tmp_path,
        cases=["gout"],
        trials=1,
        execution={"session_timeout": 0.001, "session_retries": 0, "max_failure_fraction": 1.0},
    )
    result = bench(suite, tmp_path / "run", library, store)
    (name,) = _records(tmp_path / "run")
    record = read_session(tmp_path / "run" / "sessions" / name)
    assert status_of(record) is SessionStatus.FAILED
    assert record.error is not None and record.error.type == "SessionTimeout"
    assert result.manifest.status == "incomplete" and result.exit_code == 1


def test_cache_is_opt_in_and_keyed_by_trial(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    options = {"mock_response": "DIAGNOSIS READY: acute gout"}
    cache = tmp_path / "cache.sqlite"
    cached = write_suite(
        tmp_path, cases=["gout"], models={"doctor": MOCK_DOCTOR}, execution={"cache": True}
    )
    bench(cached, tmp_path / "a", library, store, call_options=options, cache_path=cache)
    first = [read_session(p) for p in sorted((tmp_path / "a" / "sessions").glob("*.json"))]
    # Trials 0 and 1 send identical prompts, yet neither reuses the other's reply.
    assert [r.usage["doctor"].cache_hits for r in first] == [0, 0]
    bench(cached, tmp_path / "b", library, store, call_options=options, cache_path=cache)
    second = [read_session(p) for p in sorted((tmp_path / "b" / "sessions").glob("*.json"))]
    assert [r.usage["doctor"].cache_hits for r in second] == [1, 1]
    assert all(r.usage["doctor"].total_tokens == 0 for r in second)
    assert [r.outcome.correct for r in second if r.outcome] == [True, True]
    # Without the opt-in the cache file is not consulted.
    plain = write_suite(tmp_path, cases=["gout"], models={"doctor": MOCK_DOCTOR})
    bench(plain, tmp_path / "c", library, store, call_options=options, cache_path=cache)
    third = [read_session(p) for p in sorted((tmp_path / "c" / "sessions").glob("*.json"))]
    assert [r.usage["doctor"].cache_hits for r in third] == [0, 0]


def test_two_doctors_meet_the_same_patients(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    suite = write_suite(
        tmp_path, cases=["gout"], trials=1, models={"doctor": ["offline", MOCK_DOCTOR]}
    )
    result = bench(
        suite,
        tmp_path / "run",
        library,
        store,
        call_options={"mock_response": "DIAGNOSIS READY: migraine"},
    )
    records = [read_session(p) for p in (tmp_path / "run" / "sessions").glob("*.json")]
    by_doctor = {r.models["doctor"]: r for r in records}
    assert set(by_doctor) == {"offline", MOCK_DOCTOR}
    assert by_doctor["offline"].seed == by_doctor[MOCK_DOCTOR].seed
    assert by_doctor["offline"].outcome is not None and by_doctor["offline"].outcome.correct
    assert by_doctor[MOCK_DOCTOR].outcome is not None
    assert by_doctor[MOCK_DOCTOR].outcome.correct is False
    assert result.manifest.models["doctor"] == ["offline", MOCK_DOCTOR]


def test_call_worker_count_follows_the_suite_and_the_machine(
    tmp_path: Path, library: CaseLibrary
) -> None:
    def count(cpus: int = 2, **fields: object) -> int:
        return call_worker_count(loaded_suite(write_suite(tmp_path, **fields), library), cpus)

    llm = {"doctor": MOCK_DOCTOR}
    assert count(models=llm, execution={"concurrency": 32}) == 2
    assert count(models=llm, execution={"concurrency": 15}) == 0
    assert count(cpus=1, models=llm, execution={"concurrency": 32}) == 0
    assert count(models=llm, execution={"concurrency": 2, "call_workers": 3}) == 3
    assert count(models=llm, execution={"concurrency": 64, "call_workers": 0}) == 0
    # Offline sessions call no model: no worker, whatever the setting.
    assert count(execution={"concurrency": 64, "call_workers": 4}) == 0
    with pytest.raises(InputError, match="call_workers"):
        count(models=llm, execution={"call_workers": 17})


def test_sessions_through_call_workers_match_in_process_sessions(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    options = {"mock_response": "DIAGNOSIS READY: acute gout"}

    events: dict[str, list[RunEvent]] = {}

    def run(name: str, workers: int) -> dict[str, object]:
        suite_dir = tmp_path / name
        suite_dir.mkdir()
        suite = write_suite(
            suite_dir,
            models={"doctor": MOCK_DOCTOR},
            execution={"concurrency": 4, "call_workers": workers},
        )
        events[name] = []
        result = bench(
            suite,
            tmp_path / f"run-{name}",
            library,
            store,
            call_options=options,
            events=events[name],
        )
        assert result.exit_code == 0 and result.manifest.status == "complete"
        records = [read_session(p) for p in (tmp_path / f"run-{name}" / "sessions").glob("*.json")]
        return {
            r.session_id: (
                [t.content for t in r.turns],
                r.usage["doctor"].calls,
                r.usage["doctor"].total_tokens,
                r.outcome.correct if r.outcome else None,
            )
            for r in records
        }

    through_workers = run("workers", 2)
    in_process = run("local", 0)
    assert len(through_workers) == 4
    assert through_workers == in_process
    # Sessions start at once; the workers (importing litellm) get ready meanwhile.
    kinds = [type(e).__name__ for e in events["workers"]]
    assert kinds.count("CallWorkersReady") == 1
    assert kinds.index("SessionStarted") < kinds.index("CallWorkersReady")
    assert "CallWorkersReady" not in [type(e).__name__ for e in events["local"]]
    assert not (tmp_path / "run-local" / "call-workers.log").exists()
    assert (tmp_path / "run-workers" / "call-workers.log").exists()


def test_a_run_compiles_one_graph_for_all_its_sessions(
    tmp_path: Path, library: CaseLibrary, store: RecordStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clinisim.kinds.consultation._kind as consultation_kind

    compiled: list[object] = []
    original = consultation_kind.build_consultation_graph

    def counting(*args: object, **kwargs: object) -> object:
        compiled.append(args[0])
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(consultation_kind, "build_consultation_graph", counting)
    suite = write_suite(tmp_path, models={"doctor": MOCK_DOCTOR}, execution={"concurrency": 3})
    result = bench(
        suite,
        tmp_path / "run",
        library,
        store,
        call_options={"mock_response": "DIAGNOSIS READY: acute gout"},
    )
    assert result.manifest.counts["completed"] == 4
    assert compiled == [None]  # one shared graph; each session's agents come in its config
