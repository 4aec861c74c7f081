"""The doctor–patient–examiner consultation as a LangGraph state machine.

Each node plans one step (``state -> partial update`` or an agent call) and
returns a ``Command``: the update and the next node. Routing lives in the node,
not in conditional edges: an edge's path function is traced by LangGraph as a
runnable of its own (a callback manager and an asyncio task per step), which cost
more than the rest of the step's graph machinery, and the node already knows
where the session goes next. A role whose agent is ``None`` is played by a
human: its node calls ``interrupt()`` and the caller resumes with
``Command(resume=text)``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, interrupt

from clinisim.agents import AgentReply, DoctorAgent, ExaminerAgent, PatientAgent
from clinisim.agents._doctor_action import parse_doctor_action
from clinisim.errors import RuntimeFailure
from clinisim.graphs._consultation_state import ConsultationState
from clinisim.schemas import ActionKind, DoctorAction, Role, TerminationReason, Turn, Usage

__all__ = [
    "ROLES_KEY",
    "ConsultationBudgets",
    "ConsultationRoles",
    "build_consultation_graph",
    "turns_of",
]


@dataclass(frozen=True)
class ConsultationBudgets:
    """Limits the graph enforces."""

    max_turns: int = 20
    """Doctor turns; at the budget the session ends with ``turn_budget``."""
    max_tests: int = 8
    """Tests and exams the doctor may order; later orders are refused, not run."""


@dataclass(frozen=True)
class ConsultationRoles:
    """The agent for each role; ``None`` means a human plays it via ``interrupt()``."""

    doctor: DoctorAgent | None
    patient: PatientAgent | None
    examiner: ExaminerAgent | None


def turns_of(state: ConsultationState) -> list[Turn]:
    """The transcript held in ``state`` as typed turns."""
    return [Turn.model_validate(t) for t in state.get("turns", [])]


def _turn(index: int, role: Role, reply: AgentReply) -> dict[str, Any]:
    turn = Turn(
        index=index,
        role=role,
        content=reply.content,
        action=reply.action,
        retrieved=reply.retrieved,
        facts=reply.facts,
        state=reply.state or (reply.meta or None),
        usage=reply.usage,
    )
    return turn.model_dump(mode="json", exclude_none=True)


def _failure(role: Role, exc: RuntimeFailure) -> dict[str, Any]:
    # A spending cap ends the session as budget_exceeded; any other failure as error.
    reason = getattr(exc, "termination_reason", TerminationReason.ERROR)
    update: dict[str, Any] = {
        "termination_reason": TerminationReason(reason).value,
        "pending": None,
        "error": {"type": type(exc).__name__, "message": exc.one_line(), "role": role.value},
    }
    # Calls that were made before the failure still cost tokens: keep their usage.
    usage = getattr(exc, "usage", None)
    if isinstance(usage, Usage):
        update["failed_usage"] = [{"role": role.value, "usage": usage.model_dump(mode="json")}]
    return update


def _human(role: Role, transcript: Sequence[Turn], extra: dict[str, Any] | None = None) -> str:
    payload: dict[str, Any] = {"role": role.value, "turn_index": len(transcript)}
    if extra:
        payload.update(extra)
    answer = interrupt(payload)
    return str(answer)


@dataclass(frozen=True)
class _AgentCall:
    """What a node needs from an agent: the call (sync and async) and what follows."""

    role: Role
    run: Callable[[], AgentReply]
    arun: Callable[[], Awaitable[AgentReply]]
    done: Callable[[AgentReply], dict[str, Any]]


_Planner = Callable[[ConsultationState, ConsultationRoles], "dict[str, Any] | _AgentCall"]

ROLES_KEY = "clinisim_roles"
"""Where a shared graph finds the session's agents: ``config["configurable"][ROLES_KEY]``."""


_Node = Literal["doctor", "patient", "examiner", "finish"]


class _SyncNode(Protocol):
    def __call__(self, state: ConsultationState, config: RunnableConfig) -> Command[_Node]: ...


class _AsyncNode(Protocol):
    async def __call__(
        self, state: ConsultationState, config: RunnableConfig
    ) -> Command[_Node]: ...


def _roles_of(fixed: ConsultationRoles | None, config: RunnableConfig) -> ConsultationRoles:
    if fixed is not None:
        return fixed
    roles = config.get("configurable", {}).get(ROLES_KEY)
    if not isinstance(roles, ConsultationRoles):
        raise TypeError(f"a shared consultation graph needs configurable[{ROLES_KEY!r}]")
    return roles


def _next_node(node: Role, state: ConsultationState, update: dict[str, Any]) -> _Node:
    """Where the session goes after ``node`` wrote ``update`` to ``state``.

    A termination reason (a budget, a failure) ends it. After the doctor, an
    ``ask`` goes to the patient, an ``order`` to the examiner and anything else (a
    diagnosis) to ``finish``; after a reply, the doctor speaks again.
    """
    if update.get("termination_reason") or state.get("termination_reason"):
        return "finish"
    if node is not Role.DOCTOR:
        return "doctor"
    kind = (update.get("pending") or {}).get("kind")
    if kind == ActionKind.ASK.value:
        return "patient"
    if kind == ActionKind.ORDER.value:
        return "examiner"
    return "finish"


def _sync_node(role: Role, plan: _Planner, fixed: ConsultationRoles | None) -> _SyncNode:
    def node(state: ConsultationState, config: RunnableConfig) -> Command[_Node]:
        step = plan(state, _roles_of(fixed, config))
        if isinstance(step, dict):
            update = step
        else:
            try:
                update = step.done(step.run())
            except RuntimeFailure as exc:
                update = _failure(step.role, exc)
        return Command(update=update, goto=_next_node(role, state, update))

    return node


def _async_node(role: Role, plan: _Planner, fixed: ConsultationRoles | None) -> _AsyncNode:
    async def node(state: ConsultationState, config: RunnableConfig) -> Command[_Node]:
        step = plan(state, _roles_of(fixed, config))
        if isinstance(step, dict):
            update = step
        else:
            try:
                update = step.done(await step.arun())
            except RuntimeFailure as exc:
                update = _failure(step.role, exc)
        return Command(update=update, goto=_next_node(role, state, update))

    return node


def _async_call(
    agent: object, method: str | None, sync: Callable[[], AgentReply], *args: Any
) -> Callable[[], Awaitable[AgentReply]]:
    """The agent's async ``method`` when it has one (LLM agents), else its sync call.

    An offline agent's sync call runs in a worker thread, so retrieval and embedding
    leave the event loop free for other sessions. A human turn (``agent`` is
    ``None``) runs in the loop, because ``interrupt()`` must raise inside the graph.
    """
    native = getattr(agent, method, None) if method else None

    async def call() -> AgentReply:
        if native is not None:
            reply: AgentReply = await native(*args)
            return reply
        if agent is None:
            return sync()
        return await asyncio.to_thread(sync)

    return call


def build_consultation_graph(
    roles: ConsultationRoles | None,
    budgets: ConsultationBudgets,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
    *,
    asynchronous: bool = False,
) -> CompiledStateGraph[ConsultationState, None, ConsultationState, ConsultationState]:
    """Compile the consultation graph. Pass a checkpointer to make it resumable.

    By default the nodes call agents synchronously (run it with ``stream`` or
    ``invoke``). With ``asynchronous`` the nodes await LLM agents and run offline
    agents in worker threads (run it with ``astream``), so many sessions share one
    event loop. With ``roles=None`` the graph is shared: each run passes its agents
    in ``config["configurable"][ROLES_KEY]``, so a benchmark compiles it once.
    """

    def doctor(state: ConsultationState, roles: ConsultationRoles) -> dict[str, Any] | _AgentCall:
        done = state.get("doctor_turns", 0)
        if done >= budgets.max_turns:
            return {"termination_reason": TerminationReason.TURN_BUDGET.value, "pending": None}
        transcript = turns_of(state)

        def finish(reply: AgentReply) -> dict[str, Any]:
            assert reply.action is not None, "a doctor agent must return an action"
            return {
                "turns": [_turn(len(transcript), Role.DOCTOR, reply)],
                "doctor_turns": done + 1,
                "pending": reply.action.model_dump(mode="json"),
            }

        agent = roles.doctor
        if agent is None:

            def human() -> AgentReply:
                text = _human(Role.DOCTOR, transcript, {"turns_left": budgets.max_turns - done})
                action = parse_doctor_action(text) or DoctorAction(kind=ActionKind.ASK, text=text)
                return AgentReply(content=text, action=action)

            return _AgentCall(Role.DOCTOR, human, _async_call(None, None, human), finish)

        def act() -> AgentReply:
            return agent.act(transcript)

        return _AgentCall(Role.DOCTOR, act, _async_call(agent, "aact", act, transcript), finish)

    def patient(state: ConsultationState, roles: ConsultationRoles) -> dict[str, Any] | _AgentCall:
        transcript = turns_of(state)

        def finish(reply: AgentReply) -> dict[str, Any]:
            return {"turns": [_turn(len(transcript), Role.PATIENT, reply)], "pending": None}

        agent = roles.patient
        if agent is None:

            def human() -> AgentReply:
                return AgentReply(content=_human(Role.PATIENT, transcript))

            return _AgentCall(Role.PATIENT, human, _async_call(None, None, human), finish)

        def respond() -> AgentReply:
            return agent.respond(transcript)

        arespond = _async_call(agent, "arespond", respond, transcript)
        return _AgentCall(Role.PATIENT, respond, arespond, finish)

    def examiner(state: ConsultationState, roles: ConsultationRoles) -> dict[str, Any] | _AgentCall:
        transcript = turns_of(state)
        action = DoctorAction.model_validate(state.get("pending") or {})
        request = action.test or action.text
        ordered = state.get("tests_ordered", [])
        if len(ordered) >= budgets.max_tests:
            refusal = AgentReply(
                content=(
                    f"Not done: the test budget of {budgets.max_tests} orders is used up "
                    f"({request!r} was not run)."
                ),
                state={"refused": request},
            )
            return {"turns": [_turn(len(transcript), Role.SYSTEM, refusal)], "pending": None}

        def finish(reply: AgentReply) -> dict[str, Any]:
            return {
                "turns": [_turn(len(transcript), Role.EXAMINER, reply)],
                "tests_ordered": [request],
                "pending": None,
            }

        agent = roles.examiner
        if agent is None:

            def human() -> AgentReply:
                text = _human(Role.EXAMINER, transcript, {"request": request})
                return AgentReply(content=text)

            return _AgentCall(Role.EXAMINER, human, _async_call(None, None, human), finish)

        def examine() -> AgentReply:
            return agent.examine(request, transcript)

        aexamine = _async_call(agent, "aexamine", examine, request, transcript)
        return _AgentCall(Role.EXAMINER, examine, aexamine, finish)

    def finish(state: ConsultationState) -> dict[str, Any]:
        if state.get("termination_reason"):
            return {}
        return {"termination_reason": TerminationReason.DIAGNOSIS_GIVEN.value}

    # LangGraph runs a plain function of an async graph in a worker thread; this
    # one is a dictionary read, so the async graph gets a coroutine version that runs
    # in the loop (a thread hop per step costs more than the step).
    async def afinish(state: ConsultationState) -> dict[str, Any]:
        return finish(state)

    node = _async_node if asynchronous else _sync_node
    graph: StateGraph[ConsultationState, None, ConsultationState, ConsultationState]
    graph = StateGraph(ConsultationState)
    graph.add_node(
        "doctor", node(Role.DOCTOR, doctor, roles), destinations=("patient", "examiner", "finish")
    )
    graph.add_node("patient", node(Role.PATIENT, patient, roles), destinations=("doctor", "finish"))
    graph.add_node(
        "examiner", node(Role.EXAMINER, examiner, roles), destinations=("doctor", "finish")
    )
    graph.add_node("finish", afinish if asynchronous else finish)
    graph.add_edge(START, "doctor")
    graph.add_edge("finish", END)
    return graph.compile(checkpointer=checkpointer)
