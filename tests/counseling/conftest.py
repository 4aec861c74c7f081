"""Helpers to run counseling sessions in-process, on the same assembly the CLI uses."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from clinisim.engine import SessionRun, SessionSpec, build_session
from clinisim.kinds.counseling import counseling_persona
from clinisim.library import CaseLibrary
from clinisim.llm import ModelClient, load_model_config
from clinisim.schemas import Role, Session
from clinisim.store import RecordStore


@pytest.fixture(scope="session")
def client_store(store: RecordStore, library: CaseLibrary) -> RecordStore:
    """The test session's record store with every shipped client ingested."""
    for client in library.clients.values():
        store.clients.ensure(client)
    return store


async def _no_wait(_seconds: float) -> None:
    return None


def counseling_run(
    tmp_path: Path,
    library: CaseLibrary,
    store: RecordStore,
    client_id: str,
    *,
    seed: int = 0,
    overrides: dict[str, str | None] | None = None,
    models: dict[str, str] | None = None,
    max_turns: int = 20,
    extra_config: dict[str, Any] | None = None,
    call_options: dict[str, Any] | None = None,
    checkpointer: Any = None,
) -> SessionRun:
    """A counseling session writing to ``tmp_path``; both roles offline by default."""
    profile = library.get_client(client_id)
    config = load_model_config(models or {}, env={}, backoff_base=0.001, max_retries=1)
    client = ModelClient(config, call_options=call_options, sleep=_no_wait)
    session_id = f"{client_id}-{uuid.uuid4().hex[:8]}"
    spec = SessionSpec(
        kind="counseling",
        session_id=session_id,
        case_id=client_id,
        persona=counseling_persona(profile, overrides),
        seed=seed,
        models=config.models_for_record(),
        out=tmp_path / f"{session_id}.json",
        budgets={"max_turns": max_turns},
        extra_config=extra_config or {},
    )
    return build_session(
        spec, library=library, store=store, client=client, checkpointer=checkpointer
    )


async def run_to_end(run: SessionRun) -> Session:
    """Run a session to its end and return its scored, written record."""
    await run.run()
    return await run.finish()


def client_lines(record: Session) -> list[str]:
    """What the client said, turn by turn."""
    return [t.content for t in record.turns if t.role is Role.CLIENT]
