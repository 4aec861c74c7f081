"""Checkpoints in a real PostgreSQL: a session started by one worker is resumed by
another; bad URLs exit 2; a database that is down, or goes down mid-session, exits 1
with the partial session saved."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from clinisim.engine import SessionSpec, build_session, open_checkpointer, read_session
from clinisim.errors import InputError
from clinisim.library import CaseLibrary
from clinisim.llm import ModelClient, load_model_config
from clinisim.schemas import Persona, TerminationReason
from clinisim.store import RecordStore
from tests.cli.conftest import Cli
from tests.integration.local_llm_server import free_port
from tests.integration.local_postgres import start_postgres

pytestmark = pytest.mark.integration


def _spec(session_id: str, out: Path) -> SessionSpec:
    return SessionSpec(
        session_id=session_id,
        case_id="cellulitis",
        persona=Persona().model_dump(mode="json"),
        seed=2,
        models={},
        out=out,
    )


async def test_a_session_started_on_one_worker_is_resumed_on_another(
    cli: Cli, tmp_path: Path, library: CaseLibrary, store: RecordStore, postgres_url: str
) -> None:
    spec = _spec("pg-resume-1", tmp_path / "resumed.json")
    client = ModelClient(load_model_config({}, env={}))
    async with open_checkpointer(url=postgres_url) as checkpointer:
        run = build_session(
            spec, library=library, store=store, client=client, checkpointer=checkpointer
        )
        stream = run.stream()
        for _ in range(5):
            await anext(stream)
        await stream.aclose()  # the first worker "dies" here
    partial = read_session(spec.out)
    assert partial.termination_reason is None and len(partial.turns) >= 4

    # Another worker: its own data dir (no SQLite checkpoints, its own record store).
    other = tmp_path / "other-worker"
    result = cli(
        "run",
        "-q",
        "--resume",
        "pg-resume-1",
        "--checkpoint-url",
        postgres_url,
        env={"CLINISIM_DATA_DIR": str(other)},
    )
    assert result.returncode == 0, result.stderr
    assert not (other / "checkpoints.sqlite").exists()
    record = read_session(spec.out)
    assert record.termination_reason is TerminationReason.DIAGNOSIS_GIVEN
    done = len(partial.turns)
    assert [t.content for t in record.turns[:done]] == [t.content for t in partial.turns]
    assert len(record.turns) > done
    # The same session id is unknown to a worker without the database.
    local = cli("run", "--resume", "pg-resume-1", env={"CLINISIM_DATA_DIR": str(other)})
    assert local.returncode == 2 and "no checkpoint for session" in local.stderr


def test_counsel_keeps_its_checkpoints_in_postgres(cli: Cli, postgres_url: str) -> None:
    result = cli(
        "counsel",
        "-q",
        "--seed",
        "3",
        "--max-turns",
        "4",
        env={"CLINISIM_CHECKPOINT_URL": postgres_url},
    )
    assert result.returncode == 0, result.stderr
    with psycopg.connect(postgres_url) as conn:
        threads = [row[0] for row in conn.execute("SELECT DISTINCT thread_id FROM checkpoints")]
    assert any("-s3-" in thread for thread in threads), threads


def test_bad_and_unreachable_checkpoint_urls(cli: Cli) -> None:
    for url in ("mysql://db.example/x", "postgresql://u@h:abc/db", "postgresql://[::1/db"):
        bad = cli("run", "-q", "--checkpoint-url", url)
        assert bad.returncode == 2, (url, bad.stderr)
        assert len([line for line in bad.stderr.splitlines() if line.strip()]) == 1
        assert "--checkpoint-url" in bad.stderr
    from_env = cli("run", "-q", env={"CLINISIM_CHECKPOINT_URL": "sqlite:///x"})
    assert from_env.returncode == 2 and "CLINISIM_CHECKPOINT_URL" in from_env.stderr
    down = cli(
        "run", "-q", "--checkpoint-url", f"postgresql://u:secret-pw@127.0.0.1:{free_port()}/db"
    )
    assert down.returncode == 1 and "unreachable" in down.stderr
    assert "secret-pw" not in down.stderr


async def test_a_database_lost_mid_session_keeps_the_partial_session(
    tmp_path: Path, library: CaseLibrary, store: RecordStore
) -> None:
    server = start_postgres()
    spec = _spec("pg-lost-1", tmp_path / "lost.json")
    client = ModelClient(load_model_config({}, env={}))
    try:
        async with open_checkpointer(url=server.url) as checkpointer:
            run = build_session(
                spec, library=library, store=store, client=client, checkpointer=checkpointer
            )
            stream = run.stream()
            for _ in range(3):
                await anext(stream)
            server.stop()
            with pytest.raises(psycopg.OperationalError):
                async for _event in stream:
                    pass
    except psycopg.OperationalError:
        pass  # closing the dead connection may fail too
    finally:
        server.stop()
    record = read_session(spec.out)
    assert record.termination_reason is TerminationReason.ERROR
    assert record.error is not None and record.error.type == "OperationalError"
    assert len(record.turns) >= 3


def test_an_unknown_scheme_is_an_input_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from clinisim.engine import checkpoint_url

    monkeypatch.setenv("CLINISIM_CHECKPOINT_URL", "redis://h/0")
    with pytest.raises(InputError) as caught:
        checkpoint_url()
    assert caught.value.field == "CLINISIM_CHECKPOINT_URL"
    monkeypatch.setenv("CLINISIM_CHECKPOINT_URL", "")
    assert checkpoint_url() is None
    assert checkpoint_url("postgres://u@h:5432,h2:5433/db") is not None
