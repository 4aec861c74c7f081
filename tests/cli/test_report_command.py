"""`clinisim report`: every number is recomputed here from the session files."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest

from clinisim.engine import read_session
from clinisim.library import CaseLibrary
from clinisim.schemas import Session
from clinisim.store import RecordStore
from tests.cli.conftest import Cli
from tests.runner.conftest import bench, write_suite

pytestmark = pytest.mark.integration

MOCK = "openai/mock-doctor"


@pytest.fixture
def run_dir(tmp_path: Path, library: CaseLibrary, store: RecordStore) -> Path:
    """Two doctors × two cases × two trials; the mocked doctor always says gout."""
    suite = write_suite(
        tmp_path,
        cases=["gout", "migraine"],
        trials=2,
        models={"doctor": ["offline", MOCK]},
        rubrics=["diagnosis", "communication"],
    )
    target = tmp_path / "runs" / "r"
    bench(suite, target, library, store, call_options={"mock_response": "DIAGNOSIS READY: gout"})
    return target


def _records(run_dir: Path) -> dict[str, list[Session]]:
    by_doctor: dict[str, list[Session]] = defaultdict(list)
    for path in sorted((run_dir / "sessions").glob("*.json")):
        record = read_session(path)
        by_doctor[record.models["doctor"]].append(record)
    return by_doctor


def test_json_report_matches_the_session_files(cli: Cli, run_dir: Path) -> None:
    result = cli("report", str(run_dir), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rows = {row["model"]: row for row in report["models"]}
    records = _records(run_dir)
    assert set(rows) == set(records) == {"offline", MOCK}
    for doctor, sessions in records.items():
        row = rows[doctor]
        correct = [1.0 if s.outcome and s.outcome.correct else 0.0 for s in sessions]
        assert row["ended"] == len(sessions) == 4
        assert row["top1"]["mean"] == pytest.approx(sum(correct) / len(correct))
        assert row["top1"]["low"] <= row["top1"]["mean"] <= row["top1"]["high"]
        assert row["mean_turns"] == pytest.approx(sum(len(s.turns) for s in sessions) / 4)
        tokens = sum(u.total_tokens for s in sessions for u in s.usage.values())
        assert row["tokens_per_session"] == pytest.approx(tokens / 4)
        communication = [
            next(sc.value for sc in s.scores if sc.name == "communication") for s in sessions
        ]
        assert row["rubrics"]["communication"]["mean"] == pytest.approx(
            sum(v for v in communication if v is not None) / 4
        )
        # pass^2 by hand: per case, both trials must be right.
        by_case: dict[str, list[bool]] = defaultdict(list)
        for s in sessions:
            by_case[s.case_id].append(bool(s.outcome and s.outcome.correct))
        expected = sum(all(v) for v in by_case.values()) / len(by_case)
        assert row["pass_k"] == {"k": 2, "value": pytest.approx(expected)}
    # The mocked doctor is right on gout only, and says so in one turn.
    assert rows[MOCK]["top1"]["mean"] == pytest.approx(0.5)
    assert rows[MOCK]["pass_k"]["value"] == pytest.approx(0.5)
    assert rows[MOCK]["tokens_per_session"] == pytest.approx(30.0)  # 10 + 20 mocked tokens
    assert rows["offline"]["top1"]["mean"] == pytest.approx(1.0)


def test_table_csv_and_html(cli: Cli, run_dir: Path) -> None:
    table = cli("report", str(run_dir))
    assert table.returncode == 0, table.stderr
    assert "results (95% bootstrap CI)" in table.stdout and MOCK in table.stdout
    assert "50% (" in table.stdout  # the mocked doctor is right on gout only
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 5 and run_dir.name in html
    pages = sorted((run_dir / "pages").glob("*.html"))
    assert len(pages) == len(list((run_dir / "sessions").glob("*.json")))
    assert all(f'href="pages/{page.name}"' in html for page in pages)
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # self-contained
    result = cli("report", str(run_dir), "--format", "csv", "--no-html")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["doctor"] for r in rows] == ["offline", MOCK]
    assert float(rows[1]["top1"]) == pytest.approx(0.5)
    assert int(rows[0]["completed"]) == 4


def test_report_on_a_directory_that_is_not_a_run(cli: Cli, tmp_path: Path) -> None:
    result = cli("report", str(tmp_path))
    assert result.returncode == 2
    assert "manifest" in result.stderr and "Traceback" not in result.stderr
