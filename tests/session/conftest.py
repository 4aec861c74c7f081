"""Helpers to run consultations in-process."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from clinisim.library import CaseLibrary
from clinisim.llm import ModelClient, load_model_config
from clinisim.schemas import Persona
from clinisim.session import (
    ConsultationRun,
    ConsultationSpec,
    build_consultation_roles,
    open_checkpointer,
)
from clinisim.store import RecordStore


def make_run(
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
) -> ConsultationRun:
    """A consultation run writing to ``tmp_path``; models default to offline."""
    case = library.get(case_id)
    config = load_model_config(models or {}, env={}, backoff_base=0.001, max_retries=1)
    client = ModelClient(config, call_options=call_options, sleep=lambda _s: None)
    sid = session_id or f"{case_id}-{uuid.uuid4().hex[:8]}"
    spec = ConsultationSpec(
        session_id=sid,
        case_id=case_id,
        persona=persona or Persona(),
        seed=seed,
        models=config.models_for_record(),
        out=tmp_path / f"{sid}.json",
        max_turns=max_turns,
        max_tests=max_tests,
    )
    roles, hashes = build_consultation_roles(
        case=case,
        persona=spec.persona,
        seed=seed,
        models=spec.models,
        library=library,
        store=store,
        chat_model=client.chat_model,
        max_turns=max_turns,
        max_tests=max_tests,
    )
    checkpointer = open_checkpointer(tmp_path / "checkpoints.sqlite")
    return ConsultationRun(spec, case, roles, checkpointer, prompt_hashes=hashes)
