"""One benchmark session: build its agents, run it async under a timeout, score it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from clinisim.graphs import ConsultationBudgets, build_consultation_graph
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
from clinisim.schemas import PatientCase, Role, Session, SessionError, Suite
from clinisim.session import (
    ConsultationGraph,
    ConsultationRun,
    ConsultationSpec,
    build_consultation_roles,
    write_session,
)
from clinisim.store import RecordStore

__all__ = ["SessionContext", "run_session"]


@dataclass
class SessionContext:
    """What every session of a run shares."""

    suite: Suite
    run_id: str
    sessions_dir: Path
    library: CaseLibrary
    store: RecordStore
    cases: dict[str, PatientCase]
    run_cap: SpendingCap
    limits: CallLimits
    cache: ResponseCache | None = None
    call_options: dict[str, Any] | None = None
    """Extra litellm arguments for every call (unit tests pass ``mock_response``)."""
    call_workers: CallWorkers | None = None
    """Processes that make the async model calls (``None``: in-process)."""

    @cached_property
    def graph(self) -> ConsultationGraph:
        """One async graph for every session of the run (agents come in its config)."""
        budgets = ConsultationBudgets(self.suite.budgets.max_turns, self.suite.budgets.max_tests)
        return build_consultation_graph(None, budgets, None, asynchronous=True)


def session_models(suite: Suite, doctor: str) -> dict[str, str]:
    """Role to model string for one doctor of the suite."""
    models = suite.models
    return {
        Role.DOCTOR.value: doctor,
        Role.PATIENT.value: models.patient,
        Role.EXAMINER.value: models.examiner,
        Role.JUDGE.value: models.judge,
    }


def _build(ctx: SessionContext, plan: SessionPlan, attempt: int) -> ConsultationRun:
    suite = ctx.suite
    budgets, execution = suite.budgets, suite.execution
    case = ctx.cases[plan.case_id]
    models = session_models(suite, plan.doctor)
    spec = ConsultationSpec(
        session_id=plan.session_id,
        case_id=plan.case_id,
        persona=plan.persona,
        seed=plan.seed,
        models=models,
        out=ctx.sessions_dir / f"{plan.session_id}.json",
        max_turns=budgets.max_turns,
        max_tests=budgets.max_tests,
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
    roles, hashes = build_consultation_roles(
        case=case,
        persona=plan.persona,
        seed=plan.seed,
        models=models,
        library=ctx.library,
        store=ctx.store,
        chat_model=client.chat_model,
        max_turns=budgets.max_turns,
        max_tests=budgets.max_tests,
        protocol=suite.protocol,
    )
    judge_model = client.model_if_any(Role.JUDGE)
    judges = judges_by_name(suite.rubrics, judge_model)
    # No checkpointer: a benchmark re-runs an unfinished session whole, so per-step
    # checkpoints would only cost time (the record is written when the session ends).
    return ConsultationRun(spec, case, roles, None, hashes, judges, shared_graph=ctx.graph)


async def run_session(ctx: SessionContext, plan: SessionPlan, attempt: int) -> Session:
    """Run one session to its end, write its record atomically and return it.

    A session over its timeout ends ``error`` (``SessionTimeout``) with the turns made
    so far; a crash inside it ends ``error`` too. If the task is cancelled (the run
    stops early), the partial record is written as ``interrupted`` and the
    cancellation propagates.
    """
    run = _build(ctx, plan, attempt)
    timeout = ctx.suite.execution.session_timeout
    try:
        await asyncio.wait_for(run.arun(), timeout)
    except TimeoutError:
        run.mark_failed(
            SessionError(type="SessionTimeout", message=f"session timed out after {timeout:g} s")
        )
    except asyncio.CancelledError:
        run.mark_interrupted()
        write_session(run.session(scored=False), run.spec.out)
        raise
    except Exception as exc:  # a bug or a library failure: the session fails, the run goes on
        run.mark_failed(SessionError(type=type(exc).__name__, message=str(exc)[:500]))
    record = run.session(scored=False)
    if record.termination_reason is not None:
        # Judges embed text or call a judge model synchronously: keep the loop free.
        # Cancelled while judging, nothing is written: an unscored record must not
        # pass for a finished one, so the session stays to be run on resume.
        record.scores = await asyncio.to_thread(run.score, record)
    # The atomic write fsyncs: keep that wait off the event loop too.
    await asyncio.to_thread(write_session, record, run.spec.out)
    return record
