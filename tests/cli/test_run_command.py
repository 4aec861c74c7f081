"""`clinisim run`: the main command, its record, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinisim.engine import (
    SessionSpec,
    build_session,
    open_checkpointer,
    read_session,
)
from clinisim.library import CaseLibrary
from clinisim.llm import ModelClient, load_model_config
from clinisim.schemas import Persona, TerminationReason
from clinisim.store import RecordStore
from tests.cli.conftest import Cli
from tests.integration.local_llm_server import free_port


def test_run_with_no_flags_runs_a_scored_offline_consultation(cli: Cli, tmp_path: Path) -> None:
    result = cli("run")
    assert result.returncode == 0, result.stderr
    records = list((tmp_path / "runs").glob("run-*/sessions/*.json"))
    assert len(records) == 1
    record = read_session(records[0])
    assert record.termination_reason is TerminationReason.DIAGNOSIS_GIVEN
    assert record.outcome is not None and record.outcome.diagnosis_given
    assert "diagnosis given" in result.stdout and "gold diagnosis" in result.stdout
    assert "Doctor:" in result.stdout and "Patient:" in result.stdout


def test_run_options_shape_the_record(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    result = cli(
        "run",
        "--case",
        "migraine",
        "--persona",
        "personality=verbose",
        "--persona",
        "language=A",
        "--seed",
        "7",
        "--max-turns",
        "12",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    record = read_session(out)
    assert record.case_id == "migraine" and record.seed == 7
    assert record.persona["personality"] == "verbose" and record.persona["language"] == "A"
    assert sum(1 for t in record.turns if t.role.value == "doctor") <= 12
    assert record.outcome is not None
    verdict = "correct" if record.outcome.correct else "incorrect"
    assert verdict in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["run", "--case", "no-such-case"], "--case: unknown case 'no-such-case'"),
        (["run", "--persona", "language=Z"], "unknown value 'Z' for axis 'language'"),
        (["run", "--persona", "mood=sad"], "unknown persona axis 'mood'"),
        (["run", "--doctor", "madeup/model"], "--doctor: unknown model provider 'madeup'"),
        (["run", "--no-such-flag"], "No such option: --no-such-flag"),
        (["run", "--max-turns", "0"], "--max-turns"),
        (["run", "--resume", "never-ran"], "no checkpoint for session 'never-ran'"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli: Cli, args: list[str], fragment: str) -> None:
    result = cli(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_unreachable_model_exits_1_and_saves_the_partial_session(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "partial.json"
    base = f"http://127.0.0.1:{free_port()}/v1"
    result = cli(
        "run",
        "--case",
        "gout",
        "--patient",
        "openai/local",
        "--api-base",
        base,
        "--out",
        str(out),
        env={"CLINISIM_API_KEY": "sk-secret-not-in-record-99"},
    )
    assert result.returncode == 1, result.stderr
    assert "unreachable after 4 attempt(s)" in result.stderr
    record = read_session(out)
    assert record.termination_reason is TerminationReason.ERROR
    assert record.error is not None and record.error.type == "ModelUnreachable"
    assert [t.role.value for t in record.turns] == ["doctor"]
    assert "sk-secret-not-in-record" not in out.read_text()
    assert "sk-secret-not-in-record" not in result.stderr + result.stdout


async def test_resume_finishes_a_killed_session(
    cli: Cli, tmp_path: Path, library: CaseLibrary, store: RecordStore, shared_data_dir: Path
) -> None:
    spec = SessionSpec(
        session_id="cli-resume-1",
        case_id="cellulitis",
        persona=Persona().model_dump(mode="json"),
        seed=2,
        models={},
        out=tmp_path / "resumed.json",
    )
    client = ModelClient(load_model_config({}, env={}))
    async with open_checkpointer(shared_data_dir / "checkpoints.sqlite") as checkpointer:
        run = build_session(
            spec, library=library, store=store, client=client, checkpointer=checkpointer
        )
        stream = run.stream()
        for _ in range(5):
            await anext(stream)
        await stream.aclose()  # the process "dies" here
    partial = read_session(spec.out)
    assert partial.termination_reason is None

    result = cli("run", "--resume", "cli-resume-1")
    assert result.returncode == 0, result.stderr
    record = read_session(spec.out)
    assert record.termination_reason is TerminationReason.DIAGNOSIS_GIVEN
    assert [t.content for t in record.turns[: len(partial.turns)]] == [
        t.content for t in partial.turns
    ]
    again = cli("run", "--resume", "cli-resume-1")
    assert again.returncode == 2 and "already finished" in again.stderr


def test_help_has_examples(cli: Cli) -> None:
    result = cli("run", "--help")
    assert result.returncode == 0
    assert "clinisim run --case" in result.stdout and "--resume" in result.stdout
