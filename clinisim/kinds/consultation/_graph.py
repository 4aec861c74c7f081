"""The doctor–patient–examiner consultation as a LangGraph state machine.

Each node plans one step and returns a ``Command``: the update and the next node.
Routing lives in the node, not in conditional edges: an edge's path function is
traced by LangGraph as a runnable of its own, which costs more than the rest of the
step, and the node already knows where the session goes next. A role whose agent is
``None`` is played by a human (see :func:`clinisim.engine.human_reply`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal, Protocol

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from clinisim.agents import AgentReply, parse_doctor_action
from clinisim.engine import agents_in, failure_update, human_reply, turn_record, turns_of
from clinisim.errors import RuntimeFailure
from clinisim.kinds.consultation._state import ConsultationState
from clinisim.schemas import ActionKind, DoctorAction, Role, TerminationReason

__all__ = ["build_consultation_graph"]

_Node = Literal["doctor", "patient", "examiner", "finish"]


class _GraphNode(Protocol):
    async def __call__(
        self, state: ConsultationState, config: RunnableConfig
    ) -> Command[_Node]: ...


_Step = Callable[[ConsultationState, Mapping[Role, Any]], Awaitable[dict[str, Any]]]


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


def _node(role: Role, step: _Step, fixed: Mapping[Role, Any] | None) -> _GraphNode:
    async def node(state: ConsultationState, config: RunnableConfig) -> Command[_Node]:
        try:
            update = await step(state, agents_in(fixed, config))
        except RuntimeFailure as exc:
            update = failure_update(role, exc)
        return Command(update=update, goto=_next_node(role, state, update))

    return node


def build_consultation_graph(
    agents: Mapping[Role, Any] | None,
    budgets: Mapping[str, int],
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> CompiledStateGraph[ConsultationState, None, ConsultationState, ConsultationState]:
    """Compile the consultation graph. Pass a checkpointer to make it resumable.

    With ``agents=None`` the graph is shared: each run passes its agents in
    ``config["configurable"][AGENTS_KEY]``, so a benchmark compiles it once.
    """
    max_turns = int(budgets.get("max_turns", 20))
    max_tests = int(budgets.get("max_tests", 8))

    async def doctor(state: ConsultationState, agents: Mapping[Role, Any]) -> dict[str, Any]:
        done = state.get("doctor_turns", 0)
        if done >= max_turns:
            return {"termination_reason": TerminationReason.TURN_BUDGET.value, "pending": None}
        transcript = turns_of(state)
        agent = agents.get(Role.DOCTOR)
        if agent is None:
            text = human_reply(Role.DOCTOR, len(transcript), {"turns_left": max_turns - done})
            action = parse_doctor_action(text) or DoctorAction(kind=ActionKind.ASK, text=text)
            reply = AgentReply(content=text, action=action)
        else:
            reply = await agent.act(transcript)
        if not isinstance(reply.action, DoctorAction):
            raise TypeError("a doctor agent must return a DoctorAction")
        return {
            "turns": [turn_record(len(transcript), Role.DOCTOR, reply)],
            "doctor_turns": done + 1,
            "pending": reply.action.model_dump(mode="json"),
        }

    async def patient(state: ConsultationState, agents: Mapping[Role, Any]) -> dict[str, Any]:
        transcript = turns_of(state)
        agent = agents.get(Role.PATIENT)
        if agent is None:
            reply = AgentReply(content=human_reply(Role.PATIENT, len(transcript)))
        else:
            reply = await agent.respond(transcript)
        return {"turns": [turn_record(len(transcript), Role.PATIENT, reply)], "pending": None}

    async def examiner(state: ConsultationState, agents: Mapping[Role, Any]) -> dict[str, Any]:
        transcript = turns_of(state)
        action = DoctorAction.model_validate(state.get("pending") or {})
        request = action.test or action.text
        if len(state.get("tests_ordered", [])) >= max_tests:
            refusal = AgentReply(
                content=(
                    f"Not done: the test budget of {max_tests} orders is used up "
                    f"({request!r} was not run)."
                ),
                state={"refused": request},
            )
            return {"turns": [turn_record(len(transcript), Role.SYSTEM, refusal)], "pending": None}
        agent = agents.get(Role.EXAMINER)
        if agent is None:
            text = human_reply(Role.EXAMINER, len(transcript), {"request": request})
            reply = AgentReply(content=text)
        else:
            reply = await agent.examine(request, transcript)
        return {
            "turns": [turn_record(len(transcript), Role.EXAMINER, reply)],
            "tests_ordered": [request],
            "pending": None,
        }

    async def finish(state: ConsultationState) -> dict[str, Any]:
        if state.get("termination_reason"):
            return {}
        return {"termination_reason": TerminationReason.DIAGNOSIS_GIVEN.value}

    graph: StateGraph[ConsultationState, None, ConsultationState, ConsultationState]
    graph = StateGraph(ConsultationState)
    graph.add_node(
        "doctor",
        _node(Role.DOCTOR, doctor, agents),
        destinations=("patient", "examiner", "finish"),
    )
    graph.add_node(
        "patient", _node(Role.PATIENT, patient, agents), destinations=("doctor", "finish")
    )
    graph.add_node(
        "examiner", _node(Role.EXAMINER, examiner, agents), destinations=("doctor", "finish")
    )
    graph.add_node("finish", finish)
    graph.add_edge(START, "doctor")
    graph.add_edge("finish", END)
    return graph.compile(checkpointer=checkpointer)
