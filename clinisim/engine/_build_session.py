"""One assembly of a session for every caller: ``run``, ``counsel``, the runner, tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from clinisim.engine._session_kind import AgentContext, kind_named
from clinisim.engine._session_run import SessionRun
from clinisim.engine._session_spec import SessionSpec
from clinisim.judges import SessionJudge
from clinisim.schemas import Role

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from langgraph.graph.state import CompiledStateGraph

    from clinisim.library import CaseLibrary
    from clinisim.llm import ModelClient
    from clinisim.store import RecordStore

__all__ = ["build_session"]


def build_session(
    spec: SessionSpec,
    *,
    library: CaseLibrary,
    store: RecordStore,
    client: ModelClient,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
    judges: Sequence[SessionJudge] | None = None,
    reference: Sequence[str] | None = None,
    options: dict[str, Any] | None = None,
    subject: Any = None,
    shared_graph: CompiledStateGraph[Any, None, Any, Any] | None = None,
) -> SessionRun:
    """A ready-to-run session of ``spec.kind``.

    Looks up the kind and its subject (case or client), makes sure the subject is in
    the record store, builds each role's agent from ``spec.models`` through the agent
    registry and, unless ``judges`` is given, the kind's default judges (graded by
    the client's judge model when it has one). ``subject`` skips the library lookup
    when the caller already holds it; ``shared_graph`` is a graph compiled once for
    many sessions.
    """
    from clinisim.judges import judges_by_name

    kind = kind_named(spec.kind)
    spec = spec.with_budget_defaults(kind.budgets)
    if subject is None:
        subject = kind.subject(library, spec.case_id)
    kind.prepare_store(store, subject)
    context = AgentContext(library, store, client.chat_model, dict(options or {}))
    agents, hashes = kind.build_agents(spec, subject, context)
    if judges is None:
        judges = judges_by_name(None, client.model_if_any(Role.JUDGE), reference, kind.name)
    return SessionRun(
        kind,
        spec,
        subject,
        agents,
        checkpointer,
        judges=judges,
        prompt_hashes=hashes,
        shared_graph=shared_graph,
    )
