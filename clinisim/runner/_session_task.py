"""One benchmark session: build its agents, run it async under a timeout, score it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinisim.engine import SessionKind, SessionRun, SessionSpec, build_session, write_session
from clinisim.judges import judges_by_name
from clinisim.library import CaseLibrary
from clinisim.llm import (
    CallLimits,
    CallWorkers,
    ModelClient,
    ModelConfig,
    ResponseCache,
    SpendingCap,
)
from clinisim.runner._plan import SessionPlan
from clinisim.schemas import Role, Session, SessionError, Suite
from clinisim.store import RecordStore

if TYPE_CHECKING:
    from langgraph.graph.state import CompiledStateGraph

__all__ = ["SessionContext", "play_session", "run_session", "session_file"]


@dataclass
class SessionContext:
    """What every session of a run shares."""

    suite: Suite
    run_id: str
    sessions_dir: Path
    library: CaseLibrary
    store: RecordStore
    kind: SessionKind
    subjects: dict[str, Any]
    """The run's cases or clients by id (imported cases included)."""
    run_cap: SpendingCap
    limits: CallLimits
    cache: ResponseCache | None = None
    call_options: dict[str, Any] | None = None
    """Extra litellm arguments for every call (unit tests pass ``mock_response``)."""
    call_workers: CallWorkers | None = None
    """Processes that make the async model calls (``None``: in-process)."""

    @cached_property
    def budgets(self) -> dict[str, int]:
        """The suite's budgets that the kind knows (``max_turns``, ``max_tests``...)."""
        return {name: int(getattr(self.suite.budgets, name)) for name in self.kind.budgets}

    @cached_property
    def graph(self) -> CompiledStateGraph[Any, None, Any, Any]:
        """One graph for every session of the run (each session's agents are in its config)."""
        return self.kind.build_graph(None, self.budgets, None)


def session_models(suite: Suite, kind: SessionKind, model: str) -> dict[str, str]:
    """Role to model string for one model under test of the suite."""
    models: dict[str, str] = {kind.tested_role.value: model}
    for role in kind.roles:
        if role is not kind.tested_role:
            models[role.value] = suite.models.model_for(role.value)
    models[Role.JUDGE.value] = suite.models.judge
    return models


def _build(ctx: SessionContext, plan: SessionPlan, attempt: int) -> SessionRun:
    suite = ctx.suite
    budgets, execution = suite.budgets, suite.execution
    models = session_models(suite, ctx.kind, plan.model)
    subject = ctx.subjects[plan.case_id]
    spec = SessionSpec(
        kind=ctx.kind.name,
        session_id=plan.session_id,
        case_id=plan.case_id,
        persona=ctx.kind.session_persona(subject, plan.persona),
        seed=plan.seed,
        models=models,
        out=session_file(ctx, plan),
        budgets=dict(ctx.budgets),
        api_base=suite.api_base,
        extra_config={
            "run_id": ctx.run_id,
            "suite": suite.name,
            "trial": plan.trial,
            "attempt": attempt,
            "protocol": suite.protocol.value,
            "session_usd": budgets.session_usd,
            "session_tokens": budgets.session_tokens,
        },
    )
    config = ModelConfig(
        models=models,
        api_base=suite.api_base,
        timeout=execution.call_timeout,
        max_retries=execution.call_retries,
    )
    session_cap = SpendingCap("session", budgets.session_usd, budgets.session_tokens)
    client = ModelClient(
        config,
        seed=plan.seed,
        call_options=ctx.call_options,
        caps=[session_cap, ctx.run_cap],
        limits=ctx.limits,
        cache=ctx.cache if execution.cache else None,
        cache_scope=f"trial={plan.trial}",
        call_workers=ctx.call_workers,
    )
    judges = judges_by_name(suite.rubrics, client.model_if_any(Role.JUDGE), kind=ctx.kind.name)
    # No checkpointer: a benchmark re-runs an unfinished session whole, so per-step
    # checkpoints would only cost time (the record is written when the session ends).
    return build_session(
        spec,
        library=ctx.library,
        store=ctx.store,
        client=client,
        judges=judges,
        options={"protocol": suite.protocol},
        subject=subject,
        shared_graph=ctx.graph,
    )


async def play_session(
    ctx: SessionContext,
    plan: SessionPlan,
    attempt: int,
    *,
    keep_partial: Callable[[Session], None] | None = None,
) -> Session:
    """Run one session to its end and return its record, scored (nothing is written).

    A session over its timeout ends ``error`` (``SessionTimeout``) with the turns made
    so far; a crash inside it ends ``error`` too. If the task is cancelled (the run
    stops early), ``keep_partial`` gets the partial record, marked ``interrupted``,
    and the cancellation propagates. Judges run inside the session's timeout, on the
    same event loop, limits and caps as the agents.
    """
    run = _build(ctx, plan, attempt)
    timeout = ctx.suite.execution.session_timeout
    try:
        async with asyncio.timeout(timeout):
            await run.run()
            return await run.finish(write=False)
    except TimeoutError:
        run.mark_failed(
            SessionError(type="SessionTimeout", message=f"session timed out after {timeout:g} s")
        )
    except asyncio.CancelledError:
        run.mark_interrupted()
        if keep_partial is not None:
            keep_partial(run.record())
        raise
    except Exception as exc:  # a bug or a library failure: the session fails, the run goes on
        run.mark_failed(SessionError(type=type(exc).__name__, message=str(exc)[:500]))
    return run.record()


def session_file(ctx: SessionContext, plan: SessionPlan) -> Path:
    """Where the run keeps ``plan``'s record."""
    return ctx.sessions_dir / f"{plan.session_id}.json"


async def run_session(ctx: SessionContext, plan: SessionPlan, attempt: int) -> Session:
    """Play one session (:func:`play_session`) and write its record atomically.

    An interrupted session's partial record is written too, before the cancellation
    propagates.
    """
    out = session_file(ctx, plan)
    record = await play_session(
        ctx, plan, attempt, keep_partial=lambda partial: write_session(partial, out)
    )
    # The atomic write fsyncs: keep that wait off the event loop.
    await asyncio.to_thread(write_session, record, out)
    return record
