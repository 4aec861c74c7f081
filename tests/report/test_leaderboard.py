"""The leaderboard on a hand-made run whose every number is worked out by hand below."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from clinisim.engine import write_session
from clinisim.errors import InputError
from clinisim.judges._rubric_scoring import aggregate
from clinisim.report import (
    Leaderboard,
    ModelRow,
    build_leaderboard,
    leaderboard_csv,
    leaderboard_json,
    load_run,
)
from clinisim.runner._manifest import Manifest, write_manifest
from clinisim.runner._session_status import SessionStatus
from clinisim.schemas import (
    ConsultationOutcome,
    ItemResult,
    Role,
    Score,
    Session,
    SessionError,
    Suite,
    SuiteModels,
    TerminationReason,
    Turn,
    Usage,
)

OFFLINE = "offline"
API = "openai/x"
EXTRA = "extra/doc"
"""A doctor with a record but not in the manifest."""
P1 = {"personality": "plain", "language": "C", "bias": None}
P2 = {"personality": "distrust", "language": "A", "bias": None}
DONE = TerminationReason.DIAGNOSIS_GIVEN
FAILED = TerminationReason.ERROR
OVER_BUDGET = TerminationReason.BUDGET_EXCEEDED
T, F = True, False


def _manifest() -> Manifest:
    suite = Suite(name="t", trials=2, models=SuiteModels(doctor=[OFFLINE, API]))
    return Manifest(
        run_id="run-1",
        status="incomplete",
        suite_source="t.yaml",
        suite=suite,
        config_hash="abc123",
        git_revision="deadbeef",
        versions={"clinisim": "0.1.0"},
        models={"doctor": [OFFLINE, API], "patient": "offline"},
        rubrics={"diagnosis": "1", "history-taking": "2"},
        run_seed=0,
        seeds={},
        cases=["c1", "c2"],
        personas=[P1, P2],
        # 2 doctors × 2 cases × 2 personas × 2 trials.
        sessions_planned=16,
        warnings=["a manifest warning"],
    )


def _turns(doctor_turns: int) -> list[Turn]:
    turns = []
    for i in range(doctor_turns):
        turns.append(Turn(index=2 * i, role=Role.DOCTOR, content="q"))
        turns.append(Turn(index=2 * i + 1, role=Role.PATIENT, content="a"))
    return turns


def _diagnosis(top1: bool, top3: bool) -> Score:
    return Score(
        name="diagnosis",
        version="1",
        judge_model="offline",
        value=1.0 if top1 else 0.0,
        items=[ItemResult(id="top1", met=top1), ItemResult(id="top3", met=top3)],
    )


def _history(value: float | None, a: bool | None, b: bool | None, harm: bool | None) -> Score:
    """A rubric with items a (2 points, axis:a), b (1 point, axis:b), harm (-1, axis:a)."""
    return Score(
        name="history-taking",
        version="2",
        judge_model="offline",
        value=value,
        status="scored" if value is not None else "unscored",
        items=[
            ItemResult(id="a", met=a, points=2, tags=["axis:a"]),
            ItemResult(id="b", met=b, points=1, tags=["axis:b"]),
            ItemResult(id="harm", met=harm, points=-1, tags=["axis:a"]),
        ],
    )


def _simple(name: str, value: float | None) -> Score:
    status = "scored" if value is not None else "unscored"
    return Score(name=name, version="1", judge_model="j", value=value, status=status)


def _session(
    doctor: str,
    case: str,
    persona: dict[str, str | None],
    trial: int,
    *,
    end: TerminationReason | None = DONE,
    correct: bool | None = True,
    doctor_turns: int = 1,
    tests: int = 0,
    scores: list[Score] | None = None,
    usage: dict[str, Usage] | None = None,
    error: str | None = None,
    outcome: bool = True,
) -> Session:
    return Session(
        session_id=f"{doctor.replace('/', '-')}--{case}--{persona['personality']}--t{trial}",
        kind="consultation",
        case_id=case,
        persona=persona,
        models={"doctor": doctor, "patient": "offline"},
        seed=trial,
        config={"trial": trial},
        turns=_turns(doctor_turns),
        termination_reason=end,
        outcome=ConsultationOutcome(
            gold_diagnosis="g", correct=correct, tests_ordered=[f"t{i}" for i in range(tests)]
        )
        if outcome
        else None,
        usage=usage or {},
        scores=scores or [],
        error=SessionError(type=error, message="boom") if error else None,
    )


def _offline_sessions() -> list[Session]:
    """7 of 8 planned records: 4 completed, 1 failed, 1 interrupted, 1 budget exceeded."""
    return [
        _session(
            OFFLINE, "c1", P1, 0, doctor_turns=2, tests=1,
            scores=[_diagnosis(True, True), _history(0.5, True, True, False)],
        ),
        _session(
            OFFLINE, "c1", P1, 1, correct=False, doctor_turns=3, tests=2,
            scores=[_diagnosis(False, True), _history(1.0, True, False, True)],
        ),
        _session(
            OFFLINE, "c1", P2, 0,
            scores=[_diagnosis(True, True), _history(0.25, False, True, False)],
        ),
        _session(
            OFFLINE, "c1", P2, 1,
            scores=[_diagnosis(True, True), _history(0.75, True, True, False)],
        ),
        _session(OFFLINE, "c2", P1, 0, end=FAILED, error="ModelUnreachable", outcome=False),
        _session(OFFLINE, "c2", P1, 1, end=None, correct=True),
        _session(
            OFFLINE, "c2", P2, 0, end=OVER_BUDGET, correct=None, doctor_turns=2, tests=3,
            error="SessionBudgetExceeded",
            scores=[_diagnosis(False, False), _history(None, None, None, None)],
        ),
    ]  # fmt: skip


def _api_usage() -> dict[str, Usage]:
    return {
        "doctor": Usage(
            prompt_tokens=100, completion_tokens=20, cost_usd=0.01, calls=2, cache_hits=1
        ),
        "patient": Usage(prompt_tokens=50, completion_tokens=10, cost_usd=None, calls=2),
    }


def _api_sessions() -> list[Session]:
    """All 8 completed; top-1 by (case, persona): [T,T], [T,F], [F,F], [T,T]."""
    outcomes = {("c1", 0): (T, T), ("c1", 1): (T, F), ("c2", 0): (F, F), ("c2", 1): (T, T)}
    moderator = {("c1", 0, 0): 1.0, ("c1", 0, 1): 1.0, ("c1", 1, 0): 0.0, ("c2", 1, 0): 1.0}
    realism = {("c1", 0, 0): 0.6, ("c1", 0, 1): 0.6, ("c2", 0, 0): 0.8}
    sessions = []
    for (case, p), pair in outcomes.items():
        for trial, correct in enumerate(pair):
            scores = [_diagnosis(correct, correct)]
            if (case, p, trial) in moderator:
                scores.append(_simple("diagnosis-moderator", moderator[(case, p, trial)]))
            if (case, p, trial) in realism:
                scores.append(_simple("realism", realism[(case, p, trial)]))
            sessions.append(
                _session(
                    API, case, [P1, P2][p], trial, correct=correct, scores=scores,
                    usage=_api_usage(),
                )
            )  # fmt: skip
    # An unscored moderator and realism do not count.
    sessions[-1].scores.extend([_simple("diagnosis-moderator", None), _simple("realism", None)])
    return sessions


def _write_run(run_dir: Path) -> None:
    write_manifest(_manifest(), run_dir)
    records = [
        *_offline_sessions(),
        *_api_sessions(),
        _session(
            EXTRA, "c1", P1, 0, usage={"doctor": Usage(prompt_tokens=7, calls=3)},
            scores=[_diagnosis(True, True)],
        ),
    ]  # fmt: skip
    for record in records:
        write_session(record, run_dir / "sessions" / f"{record.session_id}.json")
    # A broken file: its session stays missing.
    (run_dir / "sessions" / "broken.json").write_text("{not json", encoding="utf-8")


@pytest.fixture
def board(tmp_path: Path) -> Leaderboard:
    _write_run(tmp_path)
    return build_leaderboard(load_run(tmp_path))


def _row(board: Leaderboard, doctor: str) -> ModelRow:
    return next(row for row in board.rows if row.model == doctor)


def test_rows_follow_the_manifest_then_others(board: Leaderboard) -> None:
    assert [row.model for row in board.rows] == [OFFLINE, API, EXTRA]
    assert any(EXTRA in w for w in board.warnings)
    assert "a manifest warning" in board.warnings


def test_counts_by_status(board: Leaderboard) -> None:
    offline = _row(board, OFFLINE)
    assert offline.sessions_planned == 8
    assert offline.counts == {
        SessionStatus.COMPLETED: 4,
        SessionStatus.BUDGET_EXCEEDED: 1,
        SessionStatus.FAILED: 1,
        SessionStatus.INTERRUPTED: 1,
        SessionStatus.MISSING: 1,
    }
    assert offline.ended == 6
    assert _row(board, API).counts[SessionStatus.COMPLETED] == 8
    assert _row(board, API).counts[SessionStatus.MISSING] == 0
    # Not planned by the manifest: planned is what was found, so nothing is missing.
    assert _row(board, EXTRA).sessions_planned == 1
    assert _row(board, EXTRA).counts[SessionStatus.MISSING] == 0
    assert board.counts[SessionStatus.COMPLETED] == 4 + 8 + 1
    assert board.counts[SessionStatus.MISSING] == 1
    assert [Path(p).name for p in board.unreadable] == ["broken.json"]


def test_top1_counts_failures_as_wrong_and_skips_interrupted(board: Leaderboard) -> None:
    # Ended: c1P1 (T, F), c1P2 (T, T), failed c2P1 (wrong), budget c2P2 (no diagnosis).
    offline = _row(board, OFFLINE)
    assert offline.success == aggregate([1, 0, 1, 1, 0, 0])
    assert offline.success is not None
    assert offline.success.mean == pytest.approx(0.5)
    assert offline.success.n == 6
    assert offline.success.low <= 0.5 <= offline.success.high
    # Top-3 met on the four completed sessions only.
    assert offline.columns["top3"] is not None
    assert offline.columns["top3"].mean == pytest.approx(4 / 6)
    api = _row(board, API)
    assert api.success is not None
    assert api.success.mean == pytest.approx(5 / 8)


def test_pass_k(board: Leaderboard) -> None:
    offline = _row(board, OFFLINE)
    # Groups: [T, F], [T, T], [F] (failed; interrupted left out), [F] (budget).
    assert offline.pass_k_by_k[1] == pytest.approx((1 / 2 + 1 + 0 + 0) / 4)
    # Only the two groups with 2 trials: C(1,2)/C(2,2) = 0 and 1.
    assert offline.pass_k == pytest.approx(0.5)
    assert offline.pass_k_by_k[2] == offline.pass_k
    api = _row(board, API)
    assert api.pass_k == pytest.approx((1 + 0 + 0 + 1) / 4)
    assert api.pass_k_by_k[1] == pytest.approx(5 / 8)
    assert _row(board, EXTRA).pass_k is None


def test_moderator_and_realism(board: Leaderboard) -> None:
    api = _row(board, API)
    assert api.columns["moderator"] is not None
    assert api.columns["moderator"].mean == pytest.approx(3 / 4)
    assert api.columns["moderator"].n == 4
    assert api.realism == pytest.approx((0.6 + 0.6 + 0.8) / 3)
    assert _row(board, OFFLINE).columns["moderator"] is None
    assert _row(board, OFFLINE).realism is None


def test_rubric_scores_and_axes(board: Leaderboard) -> None:
    offline = _row(board, OFFLINE)
    assert set(offline.rubrics) == {"history-taking"}
    history = offline.rubrics["history-taking"]
    assert history is not None
    assert history.mean == pytest.approx((0.5 + 1.0 + 0.25 + 0.75) / 4)
    assert history.n == 4
    axes = offline.rubric_axes["history-taking"]
    assert set(axes) == {"axis:a", "axis:b"}
    # axis:a holds a (+2) and harm (-1): 2/2, (2-1)/2, 0/2, 2/2 per session.
    assert axes["axis:a"].mean == pytest.approx((1 + 0.5 + 0 + 1) / 4)
    assert axes["axis:a"].n == 4
    assert axes["axis:b"].mean == pytest.approx((1 + 0 + 1 + 1) / 4)
    # The API doctor has no history-taking score at all.
    assert _row(board, API).rubrics == {}
    assert board.rubric_names == ["history-taking"]


def test_means_per_ended_session(board: Leaderboard) -> None:
    offline = _row(board, OFFLINE)
    # Doctor turns of the ended sessions: 2, 3, 1, 1, 1 (failed), 2 (budget).
    assert offline.mean_tested_turns == pytest.approx(10 / 6)
    assert offline.mean_turns == pytest.approx(20 / 6)
    tests = offline.columns["tests"]
    assert tests is not None and tests.mean == pytest.approx((1 + 2 + 0 + 0 + 0 + 3) / 6)
    assert offline.tokens_per_session == 0
    # No model call at all: the cost is known to be zero.
    assert offline.cost_per_session == 0.0
    api = _row(board, API)
    assert api.tokens_per_session == pytest.approx(180)
    assert api.cost_per_session == pytest.approx(0.01)
    assert api.calls == 32
    assert api.calls_unknown_cost == 16
    assert api.cache_hits == 8
    # Calls were made but none has a price.
    assert _row(board, EXTRA).cost_per_session is None


def test_failures_and_personas(board: Leaderboard) -> None:
    offline = _row(board, OFFLINE)
    assert offline.failures == {"ModelUnreachable": 1, "SessionBudgetExceeded": 1}
    assert _row(board, API).failures == {}
    personality = offline.by_persona["personality"]
    # plain: ended c1P1 t0 (T), t1 (F), failed c2P1 (F); distrust: T, T, budget (F).
    assert personality["plain"] is not None
    assert personality["plain"].mean == pytest.approx(1 / 3)
    assert personality["distrust"] is not None
    assert personality["distrust"].mean == pytest.approx(2 / 3)
    bias = offline.by_persona["bias"]["-"]
    assert bias is not None
    assert bias.n == 6


def test_run_info(board: Leaderboard) -> None:
    assert board.run_id == "run-1"
    assert board.status == "incomplete"
    assert board.trials == 2
    assert board.config_hash == "abc123"
    assert board.git_revision == "deadbeef"
    assert board.rubric_versions == {"diagnosis": "1", "history-taking": "2"}


def test_json_round_trip(board: Leaderboard) -> None:
    data = leaderboard_json(board)
    assert json.loads(json.dumps(data)) == data
    offline, api, _extra = data["models"]
    assert offline["model"] == OFFLINE
    assert set(offline["top1"]) == {"mean", "low", "high", "n"}
    assert offline["top1"]["mean"] == pytest.approx(0.5)
    assert offline["top1"]["n"] == 6
    assert offline["moderator"] is None
    assert offline["counts"]["missing"] == 1
    assert offline["rubric_axes"]["history-taking"]["axis:b"]["mean"] == pytest.approx(0.75)
    assert offline["pass_k"] == {"k": 2, "value": pytest.approx(0.5)}
    assert api["cost_per_session"] == pytest.approx(0.01)
    assert data["run_id"] == "run-1"
    assert data["counts"]["interrupted"] == 1


def test_csv_columns_and_values(board: Leaderboard) -> None:
    text = leaderboard_csv(board)
    rows = list(csv.DictReader(io.StringIO(text)))
    header = text.splitlines()[0].split(",")
    assert header[:8] == [
        "doctor",
        "sessions_planned",
        "completed",
        "budget_exceeded",
        "failed",
        "interrupted",
        "missing",
        "ended",
    ]
    for column in ("top1_low", "top3_high", "pass_k", "moderator", "cost_per_session"):
        assert column in header
    assert header[-3:] == ["history-taking", "history-taking_low", "history-taking_high"]
    assert [row["doctor"] for row in rows] == [OFFLINE, API, EXTRA]
    offline, api, extra = rows
    assert offline["failed"] == "1"
    assert offline["missing"] == "1"
    assert float(offline["top1"]) == pytest.approx(0.5)
    assert float(offline["top3"]) == pytest.approx(4 / 6, abs=1e-6)
    assert float(offline["pass_k"]) == pytest.approx(0.5)
    assert float(offline["history-taking"]) == pytest.approx(0.625)
    assert offline["moderator"] == ""
    assert float(api["moderator"]) == pytest.approx(0.75)
    assert float(api["cost_per_session"]) == pytest.approx(0.01)
    assert api["history-taking"] == ""
    assert extra["cost_per_session"] == ""


def test_load_run_needs_a_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=str(tmp_path)):
        load_run(tmp_path)


def test_load_run_needs_a_sessions_dir(tmp_path: Path) -> None:
    write_manifest(_manifest(), tmp_path)
    with pytest.raises(InputError, match="sessions") as info:
        load_run(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_empty_run_has_empty_rows(tmp_path: Path) -> None:
    write_manifest(_manifest(), tmp_path)
    (tmp_path / "sessions").mkdir()
    board = build_leaderboard(load_run(tmp_path))
    assert [row.model for row in board.rows] == [OFFLINE, API]
    for row in board.rows:
        assert row.counts[SessionStatus.MISSING] == 8
        assert row.success is None
        assert row.pass_k is None
        assert row.cost_per_session is None
    json.dumps(leaderboard_json(board))
    assert len(leaderboard_csv(board).splitlines()) == 3
