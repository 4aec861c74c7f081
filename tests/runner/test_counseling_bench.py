"""A counseling suite runs through the same runner, resume, manifest and report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from clinisim.engine import read_session
from clinisim.errors import InputError
from clinisim.library import CaseLibrary
from clinisim.report import (
    build_leaderboard,
    leaderboard_csv,
    leaderboard_json,
    load_run,
    render_html,
    write_session_pages,
)
from clinisim.runner import RunEvent, RunPlanned, config_hash
from clinisim.schemas import CounselingOutcome, Role, TerminationReason
from clinisim.store import RecordStore
from tests.runner.conftest import bench, loaded_suite, write_suite

MOCK_COUNSELOR = "openai/mock-counselor"


def _write(directory: Path, **fields: Any) -> Path:
    """A small counseling suite: two clients, as written and upset; ``fields`` override."""
    data: dict[str, Any] = {
        "name": "c",
        "kind": "counseling",
        "clients": ["helen-grief", "nadia-suicidal-passive"],
        "personas": [{}, {"style": "upset"}],
        "trials": 1,
        "models": {"counselor": "offline", "client": "offline"},
        "budgets": {"max_turns": 12},
        "execution": {"concurrency": 2},
    }
    data.update(fields)
    path = directory / "suite.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_counseling_suite_resolves_clients_styles_and_roles(
    tmp_path: Path, library: CaseLibrary
) -> None:
    loaded = loaded_suite(_write(tmp_path), library)
    assert loaded.kind.name == "counseling" and loaded.tested_role == "counselor"
    assert list(loaded.subjects) == ["helen-grief", "nadia-suicidal-passive"]
    assert loaded.personas == [
        {"style": None, "attitude": None, "depression": None, "anxiety": None},
        {"style": "upset", "attitude": None, "depression": None, "anxiety": None},
    ]
    assert loaded.role_models() == {
        "counselor": ["offline"],
        "client": "offline",
        "judge": "offline",
    }
    risky = loaded_suite(_write(tmp_path, clients=["tag:risk"]), library)
    assert risky.subjects and all(c.risks for c in risky.subjects.values())


@pytest.mark.parametrize(
    ("fields", "field", "problem"),
    [
        ({"personas": [{"personality": "verbose"}]}, "personas[0]", "unknown persona axis"),
        ({"personas": [{"style": "shouty"}]}, "personas[0].style", "unknown value"),
        ({"clients": ["no-such-client"]}, "clients[0]", "unknown client"),
        ({"clients": ["tag:no-such-topic"]}, "clients[0]", "no client has tag"),
        ({"models": {"doctor": "offline"}}, "models.doctor", "tests the counselor"),
        ({"models": {"patient": "offline"}}, "models.roles.patient", "no 'patient' role"),
        ({"rubrics": ["diagnosis"]}, "rubrics[0]", "does not apply to counseling"),
        ({"kind": "surgery"}, "kind", "unknown session kind"),
    ],
)
def test_counseling_suite_errors_name_the_field(
    tmp_path: Path, library: CaseLibrary, fields: dict[str, Any], field: str, problem: str
) -> None:
    with pytest.raises(InputError) as caught:
        loaded_suite(_write(tmp_path, **fields), library)
    assert caught.value.field == field and problem in caught.value.problem
    assert caught.value.file is not None and str(caught.value.file).endswith("suite.yaml")


def test_a_counseling_suite_cannot_select_cases(tmp_path: Path, library: CaseLibrary) -> None:
    with pytest.raises(InputError) as caught:
        loaded_suite(_write(tmp_path, cases=["gout"]), library)
    assert caught.value.field == "cases" and "selects clients" in caught.value.problem


def test_offline_counseling_bench_runs_resumes_and_reports(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    suite = _write(tmp_path)
    run_dir = tmp_path / "run"
    result = bench(suite, run_dir, library, store)
    assert result.exit_code == 0 and result.manifest.counts["completed"] == 4
    manifest = result.manifest
    assert manifest.models == {"counselor": ["offline"], "client": "offline", "judge": "offline"}
    assert manifest.cases == ["helen-grief", "nadia-suicidal-passive"]
    records = [read_session(p) for p in sorted((run_dir / "sessions").glob("*.json"))]
    assert len(records) == 4
    for record in records:
        assert record.kind == "counseling" and isinstance(record.outcome, CounselingOutcome)
        assert record.termination_reason in (
            TerminationReason.COUNSELOR_CLOSED,
            TerminationReason.TURN_BUDGET,
        )
        assert sum(t.role is Role.COUNSELOR for t in record.turns) <= 12
        assert record.models["counselor"] == "offline" and record.models["client"] == "offline"
    # The persona override is played and recorded; the other axes are the client's own.
    styles = sorted((r.case_id, r.persona["style"]) for r in records)
    own = library.get_client("helen-grief").style.value
    assert ("helen-grief", "upset") in styles and ("helen-grief", own) in styles
    # Resuming a complete run runs nothing.
    events: list[RunEvent] = []
    bench(suite, run_dir, library, store, events=events)
    assert [e for e in events if isinstance(e, RunPlanned)] == [RunPlanned(4, 0, 4)]

    board = build_leaderboard(load_run(run_dir))
    assert board.kind == "counseling" and board.tested_role == "counselor"
    (row,) = board.rows
    assert row.model == "offline" and row.ended == 4
    passed = [
        r.termination_reason is not TerminationReason.CLIENT_LEFT
        and all(e.handled for e in r.counseling.risk_events)  # type: ignore[union-attr]
        for r in records
    ]
    assert row.success is not None and row.success.mean == pytest.approx(sum(passed) / 4)
    trust = row.columns["final_trust"]
    finals = [r.counseling.trust[-1] for r in records]  # type: ignore[union-attr]
    assert trust is not None and trust.mean == pytest.approx(sum(finals) / 4)
    risky = [r for r in records if r.counseling and r.counseling.risk_events]
    handled = row.columns["risks_handled"]
    assert (handled is None) == (not risky)
    assert handled is None or handled.n == len(risky)
    assert row.mean_tested_turns is not None and row.mean_tested_turns > 3
    assert set(row.by_persona) == {"style", "attitude", "depression", "anxiety"}
    # Series for the HTML charts: mean trust at each client turn, questionnaire means.
    firsts = [r.counseling.trust[0] for r in records]  # type: ignore[union-attr]
    assert row.series["trust"]["turn 1"] == pytest.approx(sum(firsts) / 4)
    assert list(row.series["questionnaires"])[:2] == ["PHQ-9 before", "PHQ-9 after"]

    data = leaderboard_json(board)
    assert data["kind"] == "counseling" and data["models"][0]["model"] == "offline"
    assert data["models"][0]["completed_safely"]["n"] == 4
    header = leaderboard_csv(board).splitlines()[0].split(",")
    assert header[0] == "counselor" and "completed_safely" in header and "phq9_change" in header
    assert "mean_counselor_turns" in header
    page = render_html(board)
    assert "Completed safely" in page and "<th>Counselor</th>" in page and "Top-1" not in page
    assert "Mean trust by client turn" in page and "Mean questionnaire totals" in page
    # Each session gets a feedback page, linked from the report.
    links = write_session_pages(records, run_dir / "pages")
    linked = render_html(board, sessions=links)
    for link in links:
        assert (run_dir / link.href).is_file() and f'href="{link.href}"' in linked
    assert {link.session_id for link in links} == {r.session_id for r in records}
    json.dumps(data)  # serialisable as a whole


def test_counselor_models_are_compared_on_the_same_clients(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    suite = _write(
        tmp_path,
        clients=["priya-panic"],
        personas=[{}],
        models={"under_test": ["offline", MOCK_COUNSELOR], "roles": {"client": "offline"}},
        budgets={"max_turns": 3},
    )
    run_dir = tmp_path / "run"
    result = bench(
        suite,
        run_dir,
        library,
        store,
        call_options={"mock_response": "That sounds hard. What went through your mind then?"},
    )
    assert result.exit_code == 0
    records = {
        r.models["counselor"]: r
        for r in (read_session(p) for p in sorted((run_dir / "sessions").glob("*.json")))
    }
    assert set(records) == {"offline", MOCK_COUNSELOR}
    mocked = records[MOCK_COUNSELOR]
    assert mocked.usage["counselor"].calls >= 3 and "client" not in mocked.usage
    assert mocked.seed == records["offline"].seed  # paired: the same simulated client
    assert mocked.termination_reason is TerminationReason.TURN_BUDGET
    board = build_leaderboard(load_run(run_dir))
    assert [row.model for row in board.rows] == ["offline", MOCK_COUNSELOR]


def test_consultation_hash_is_the_same_in_the_old_and_new_model_forms(
    tmp_path: Path, library: CaseLibrary
) -> None:
    old = tmp_path / "old"
    new = tmp_path / "new"
    old.mkdir()
    new.mkdir()
    legacy = {"doctor": ["offline", "openai/x"], "patient": "offline", "examiner": "offline"}
    a = loaded_suite(write_suite(old, models=legacy), library)
    b = loaded_suite(
        write_suite(
            new,
            kind="consultation",
            models={"under_test": ["offline", "openai/x"], "roles": {"patient": "offline"}},
        ),
        library,
    )
    assert config_hash(a) == config_hash(b)
    assert a.role_models() == b.role_models()
    changed = loaded_suite(
        write_suite(new, models={"doctor": "offline", "roles": {"patient": "openai/y"}}), library
    )
    assert config_hash(changed) != config_hash(a)
