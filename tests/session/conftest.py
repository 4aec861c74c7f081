"""Helpers to run sessions in-process, on the same assembly the CLI uses."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from clinisim.engine import RunEvent, SessionRun, SessionSpec, build_session
from clinisim.library import CaseLibrary
from clinisim.llm import ModelClient, load_model_config
from clinisim.schemas import Persona
from clinisim.store import RecordStore

_SAVERS: dict[tuple[Path, int], InMemorySaver] = {}


def checkpointer_at(path: Path) -> InMemorySaver:
    """One checkpointer per directory and event loop: the runs of one test share it, as
    sessions share the SQLite file (the CLI tests cover the file across processes)."""
    key = (path, id(asyncio.get_running_loop()))
    if key not in _SAVERS:
        _SAVERS[key] = InMemorySaver()
    return _SAVERS[key]


async def make_run(
    tmp_path: Path,
    library: CaseLibrary,
    store: RecordStore,
    *,
    case_id: str = "stemi-inferior",
    models: dict[str, str] | None = None,
    seed: int = 0,
    max_turns: int = 20,
    max_tests: int = 8,
    session_id: str | None = None,
    call_options: dict[str, Any] | None = None,
    persona: Persona | None = None,
) -> SessionRun:
    """A checkpointed consultation writing to ``tmp_path``; models default to offline."""
    config = load_model_config(models or {}, env={}, backoff_base=0.001, max_retries=1)
    client = ModelClient(config, call_options=call_options, sleep=_no_wait)
    sid = session_id or f"{case_id}-{uuid.uuid4().hex[:8]}"
    spec = SessionSpec(
        kind="consultation",
        session_id=sid,
        case_id=case_id,
        persona=(persona or Persona()).model_dump(mode="json"),
        seed=seed,
        models=config.models_for_record(),
        out=tmp_path / f"{sid}.json",
        budgets={"max_turns": max_turns, "max_tests": max_tests},
    )
    run = build_session(
        spec,
        library=library,
        store=store,
        client=client,
        checkpointer=checkpointer_at(tmp_path / "checkpoints.sqlite"),
    )
    await run.restore()
    return run


async def _no_wait(_seconds: float) -> None:
    return None


async def drain(run: SessionRun, human_input: str | None = None) -> list[RunEvent]:
    """Stream ``run`` until it ends or pauses; a session that ended is scored and saved."""
    events = [event async for event in run.stream(human_input)]
    if run.is_finished():
        await run.finish()
    return events
