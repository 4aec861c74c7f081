"""`clinisim score` re-scores saved sessions in place."""

from __future__ import annotations

import json
from pathlib import Path

from clinisim.engine import read_session
from tests.cli.conftest import Cli


def test_score_rewrites_only_the_requested_scores(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "runs" / "sessions" / "one.json"
    assert cli("run", "--case", "bells-palsy", "--out", str(out), "--quiet").returncode == 0
    before = read_session(out)
    assert {s.name for s in before.scores} == {
        "diagnosis",
        "realism",
        "history-taking",
        "communication",
        "clinical-safety",
        "patient-fidelity",
    }
    data = json.loads(out.read_text())
    data["scores"] = [s for s in data["scores"] if s["name"] != "history-taking"]
    out.write_text(json.dumps(data))
    result = cli("score", str(tmp_path / "runs"), "--rubric", "history-taking")
    assert result.returncode == 0, result.stderr
    after = read_session(out)
    names = [s.name for s in after.scores]
    assert sorted(names) == sorted({s.name for s in before.scores})
    rescored = next(s for s in after.scores if s.name == "history-taking")
    original = next(s for s in before.scores if s.name == "history-taking")
    assert rescored.value == original.value and rescored.version == "1"
    assert "history-taking" in result.stdout


def test_score_errors(cli: Cli, tmp_path: Path) -> None:
    missing = cli("score", str(tmp_path / "nothing-here"))
    assert missing.returncode == 2 and "no such file or directory" in missing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    invalid = cli("score", str(bad))
    assert invalid.returncode == 2 and str(bad) in invalid.stderr
    out = tmp_path / "s.json"
    cli("run", "--case", "gout", "--out", str(out), "--quiet")
    unknown = cli("score", str(out), "--rubric", "no-such-rubric")
    assert unknown.returncode == 2 and "unknown rubric 'no-such-rubric'" in unknown.stderr


def test_judges_agree_command(cli: Cli, tmp_path: Path) -> None:
    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        '{"kind": "binary", "judge": true, "human": true}\n'
        '{"kind": "binary", "judge": true, "human": false}\n'
        '{"kind": "binary", "judge": false, "human": false}\n'
        '{"kind": "binary", "judge": false, "human": false}\n'
        '{"kind": "scale", "judge": 2, "human": 3}\n{"kind": "scale", "judge": 5, "human": 6}\n'
    )
    result = cli("judges", "agree", str(labels), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["binary_items"] == 4 and abs(report["kappa"] - 0.5) < 1e-9
    assert abs(report["spearman"] - 1.0) < 1e-9
    labels.write_text("not json\n")
    bad = cli("judges", "agree", str(labels))
    assert bad.returncode == 2 and "line 1: not valid JSON" in bad.stderr


def test_score_with_a_human_reference_corpus(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    assert cli("run", "--case", "gout", "--out", str(out), "--quiet").returncode == 0
    reference = tmp_path / "human.txt"
    reference.write_text(
        "\n".join(
            [
                "well it started on monday and has been getting worse ever since",
                "i have had a cough and some fever and i feel tired most of the day",
                "my back hurts when i bend down and sometimes it goes down my leg",
                "no i do not smoke but i drink a little wine at the weekend",
            ]
            * 10
        )
    )
    result = cli("score", str(out), "--rubric", "realism", "--reference", str(reference))
    assert result.returncode == 0, result.stderr
    realism = next(s for s in read_session(out).scores if s.name == "realism")
    assert set(realism.details["z"]) == {"mattr", "yules_k", "hdd"}
    missing = cli("score", str(out), "--rubric", "realism", "--reference", str(tmp_path / "no.txt"))
    assert missing.returncode == 2 and "--reference: file not found" in missing.stderr


def test_imported_transcripts_are_scored_and_compared_with_human_ratings(
    cli: Cli, tmp_path: Path
) -> None:
    sample = Path(__file__).parents[1] / "data" / "counseling_messages_sample.jsonl"
    imported = cli("sessions", "import", "--kind", "counseling", str(sample), "--out", "imported")
    # Two broken lines are reported by number; the six good ones import (exit 2).
    assert imported.returncode == 2
    assert "line 5:" in imported.stdout and "line 6:" in imported.stdout
    assert "imported 6 session(s)" in imported.stdout
    scored = cli("score", "imported")
    assert scored.returncode == 0, scored.stderr
    assert "ctrs" in scored.stdout and "counseling-safety" in scored.stdout
    agree = cli("judges", "agree", "imported", "--format", "json")
    assert agree.returncode == 0, agree.stderr
    rows = {row["dimension"]: row for row in json.loads(agree.stdout)}
    assert set(rows) == {"agenda", "alliance", "communication"}
    assert rows["agenda"]["source"] == "ctrs/agenda" and rows["agenda"]["sessions"] == 6
    assert all(row["rho"] is not None for row in rows.values())
    unrated = cli("judges", "agree", str(tmp_path / "imported" / "panic-good.json"))
    assert unrated.returncode == 0
    page = cli("view", "imported/panic-good.json", "--html", "panic.html")
    assert page.returncode == 0, page.stderr
    text = (tmp_path / "panic.html").read_text(encoding="utf-8")
    assert "ctrs" in text and 'id="turn-0"' in text
