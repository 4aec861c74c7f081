"""`clinisim bench` as a user runs it: exit codes, bad input, kill and resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clinisim.engine import read_session
from clinisim.runner import read_manifest
from tests.cli.conftest import Cli
from tests.runner.conftest import write_suite

pytestmark = pytest.mark.integration


def test_help_has_examples(cli: Cli) -> None:
    result = cli("bench", "--help")
    assert result.returncode == 0
    assert "Examples:" in result.stdout and "--resume" in result.stdout


def test_shipped_smoke_suite_runs_offline(cli: Cli, tmp_path: Path) -> None:
    result = cli("bench", "smoke", "--run-id", "smoke", "-q")
    assert result.returncode == 0, result.stderr
    manifest = read_manifest(tmp_path / "runs" / "smoke")
    assert manifest.status == "complete"
    assert manifest.counts["completed"] == manifest.sessions_planned == 16
    assert "run smoke: complete" in result.stdout
    # Re-score mode: only the judges run again, on the saved sessions.
    rescored = cli("bench", "--rescore", "runs/smoke", "--rubric", "realism")
    assert rescored.returncode == 0, rescored.stderr
    assert "re-scored 16 session(s)" in rescored.stdout
    record = read_session(next((tmp_path / "runs" / "smoke" / "sessions").glob("*.json")))
    assert [s.name for s in record.scores][-1] == "realism"
    assert "history-taking" in {s.name for s in record.scores}  # other scores are kept


def test_shipped_counseling_and_safety_suites_run_and_report(cli: Cli, tmp_path: Path) -> None:
    result = cli("bench", "counseling-smoke", "--run-id", "cs", "-q")
    assert result.returncode == 0, result.stderr
    assert "16 counseling sessions (1 counselor(s) × 4 client(s)" in result.stdout
    manifest = read_manifest(tmp_path / "runs" / "cs")
    assert manifest.status == "complete" and manifest.counts["completed"] == 16
    report = cli("report", "runs/cs", "--format", "json", "--no-html")
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    assert data["kind"] == "counseling" and data["tested_role"] == "counselor"
    assert data["models"][0]["completed_safely"]["n"] == 16
    safety = cli("bench", "safety", "--counselor", "offline", "--run-id", "sp", "-q")
    assert safety.returncode == 0, safety.stderr
    assert read_manifest(tmp_path / "runs" / "sp").counts["completed"] == 14
    table = cli("report", "runs/sp", "--no-html")
    assert "probe passed by family" in table.stdout and "false-crisis" in table.stdout
    # The doctor is not a counseling role: one line, exit 2, nothing run.
    wrong = cli("bench", "counseling-smoke", "--doctor", "offline", "--run-id", "x")
    assert wrong.returncode == 2 and "--doctor" in wrong.stderr
    assert not (tmp_path / "runs" / "x").exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("name: t\ncases: [gout\n", "malformed YAML"),
        ("name: t\ncases: [no-such-case]\n", "cases[0]: unknown case"),
        ("name: t\ntrials: many\n", "trials"),
    ],
)
def test_bad_suite_is_one_line_and_exit_2(
    cli: Cli, tmp_path: Path, content: str, words: str
) -> None:
    (tmp_path / "bad.yaml").write_text(content)
    result = cli("bench", "bad.yaml")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.yaml" in lines[0] and words in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_suite_name_and_bad_flags_exit_2(cli: Cli) -> None:
    result = cli("bench", "no-such-suite")
    assert result.returncode == 2 and "shipped:" in result.stderr and "smoke" in result.stderr
    assert cli("bench", "smoke", "--concurrency", "0").returncode == 2
    assert cli("bench", "--resume", "no-such-dir").returncode == 2


def test_kill_mid_run_then_resume_loses_nothing(
    cli: Cli, tmp_path: Path, shared_data_dir: Path
) -> None:
    cases = [
        "stemi-inferior",
        "gout",
        "migraine",
        "renal-colic",
        "cellulitis",
        "asthma-exacerbation",
    ]
    write_suite(tmp_path, cases=cases, trials=1, execution={"concurrency": 1})
    sessions = tmp_path / "runs" / "k" / "sessions"
    env = {**os.environ, "CLINISIM_DATA_DIR": str(shared_data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "clinisim", "bench", "suite.yaml", "--run-id", "k", "-q"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            if len(list(sessions.glob("*.json"))) >= 2:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    done_before = {p.name: p.read_bytes() for p in sessions.glob("*.json")}
    assert 2 <= len(done_before) < len(cases)
    for name in done_before:
        read_session(sessions / name)  # every file on disk is a complete, valid record

    result = cli("bench", "--resume", "runs/k", "-q")
    assert result.returncode == 0, result.stderr
    assert f"resuming: {len(done_before)} of {len(cases)}" in result.stdout
    after = {p.name: p.read_bytes() for p in sessions.glob("*.json")}
    assert len(after) == len(cases)
    assert {name: after[name] for name in done_before} == done_before
    assert not list(sessions.glob(".*.tmp"))
    manifest = read_manifest(tmp_path / "runs" / "k")
    assert manifest.status == "complete" and manifest.counts["completed"] == len(cases)
    assert manifest.invocations[0].outcome.startswith("killed")
