"""The counselor–client session as a LangGraph state machine.

``intake`` has the client fill in PHQ-9 and GAD-7, then the counselor and the
client alternate. The session ends at the counselor's turn budget, when the
counselor closes (the client says goodbye), when the client walks out, or on a
failure; ``closing`` then has the client fill in the questionnaires again (not
after a failure). A role whose agent is ``None`` is played by a human.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Literal, Protocol

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from clinisim.agents import END_TAG, QUESTIONNAIRES, AgentReply, parse_counselor_turn
from clinisim.engine import agents_in, failure_update, human_reply, turn_record, turns_of
from clinisim.errors import RuntimeFailure
from clinisim.kinds.counseling._state import CounselingState
from clinisim.schemas import (
    CounselingTurnState,
    CounselorAction,
    QuestionnaireResult,
    Role,
    TerminationReason,
    Turn,
)

__all__ = ["build_counseling_graph"]

_Node = Literal["intake", "counselor", "client", "closing"]
_Step = Callable[[CounselingState, Mapping[Role, Any]], Awaitable[dict[str, Any]]]


class _GraphNode(Protocol):
    async def __call__(self, state: CounselingState, config: RunnableConfig) -> Command[_Node]: ...


async def _questionnaires(agent: Any, transcript: Sequence[Turn]) -> list[dict[str, Any]]:
    if agent is None:  # a human client fills in no questionnaire here
        return []
    results: list[QuestionnaireResult] = [
        await agent.questionnaire(name, items, transcript) for name, items in QUESTIONNAIRES.items()
    ]
    return [r.model_dump(mode="json") for r in results]


async def _formulation(agent: Any, transcript: Sequence[Turn]) -> dict[str, Any]:
    """The counselor's written formulation; a failure is recorded, it does not end the
    session as an error (the conversation itself is complete)."""
    formulate = getattr(agent, "formulate", None)
    if formulate is None:
        return {"formulation_error": "this counselor writes no formulation (a human)"}
    try:
        formulation, usage = await formulate(transcript)
    except RuntimeFailure as exc:
        usage = getattr(exc, "usage", None)
        spent = [{"role": Role.COUNSELOR.value, "usage": usage.model_dump()}] if usage else []
        return {"formulation_error": exc.one_line(), "failed_usage": spent}
    spent = [{"role": Role.COUNSELOR.value, "usage": usage.model_dump()}] if usage else []
    return {"formulation": formulation.model_dump(mode="json"), "failed_usage": spent}


def _risk_events(index: int, reply: AgentReply) -> list[dict[str, Any]]:
    """Risk disclosures in a client reply: the turn and which of the profile's flags."""
    events = []
    for fact in reply.facts or []:
        field, _, number = fact.rpartition(":")[2].partition(".")
        if field == "risk" and number.isdigit():
            events.append({"turn": index, "flag": int(number)})
    return events


def build_counseling_graph(
    agents: Mapping[Role, Any] | None,
    budgets: Mapping[str, int],
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> CompiledStateGraph[CounselingState, None, CounselingState, CounselingState]:
    """Compile the counseling graph. Pass a checkpointer to make it resumable."""
    max_turns = int(budgets.get("max_turns", 20))

    def node(role: Role, step: _Step, after: Callable[[dict[str, Any]], _Node]) -> _GraphNode:
        async def run(state: CounselingState, config: RunnableConfig) -> Command[_Node]:
            try:
                update = await step(state, agents_in(agents, config))
            except RuntimeFailure as exc:
                update = failure_update(role, exc)
            goto: _Node = "closing" if update.get("termination_reason") else after(update)
            return Command(update=update, goto=goto)

        return run

    async def intake(state: CounselingState, agents: Mapping[Role, Any]) -> dict[str, Any]:
        return {"before": await _questionnaires(agents.get(Role.CLIENT), [])}

    async def counselor(state: CounselingState, agents: Mapping[Role, Any]) -> dict[str, Any]:
        done = state.get("counselor_turns", 0)
        if done >= max_turns:
            return {"termination_reason": TerminationReason.TURN_BUDGET.value}
        transcript = turns_of(state)
        agent = agents.get(Role.COUNSELOR)
        if agent is None:
            text = human_reply(
                Role.COUNSELOR,
                len(transcript),
                {"turns_left": max_turns - done, "end_tag": END_TAG},
            )
            parsed = parse_counselor_turn(text)
            said, action = parsed if parsed else (text, CounselorAction())
            reply = AgentReply(content=said, action=action)
        else:
            reply = await agent.act(transcript)
        closes = isinstance(reply.action, CounselorAction) and reply.action.closes
        return {
            "turns": [turn_record(len(transcript), Role.COUNSELOR, reply)],
            "counselor_turns": done + 1,
            "pending": {"closes": closes},
        }

    async def client(state: CounselingState, agents: Mapping[Role, Any]) -> dict[str, Any]:
        transcript = turns_of(state)
        agent = agents.get(Role.CLIENT)
        if agent is None:
            reply = AgentReply(content=human_reply(Role.CLIENT, len(transcript)))
        else:
            reply = await agent.respond(transcript)
        index = len(transcript)
        update: dict[str, Any] = {
            "turns": [turn_record(index, Role.CLIENT, reply)],
            "events": _risk_events(index, reply),
            "pending": None,
        }
        if isinstance(reply.state, CounselingTurnState) and reply.state.leaves:
            update["termination_reason"] = TerminationReason.CLIENT_LEFT.value
        elif (state.get("pending") or {}).get("closes"):
            update["termination_reason"] = TerminationReason.COUNSELOR_CLOSED.value
        return update

    async def closing(state: CounselingState, config: RunnableConfig) -> dict[str, Any]:
        reason = state.get("termination_reason")
        update: dict[str, Any] = {}
        if reason in (TerminationReason.ERROR.value, TerminationReason.BUDGET_EXCEEDED.value):
            return update
        session_agents = agents_in(agents, config)
        try:
            update["after"] = await _questionnaires(
                session_agents.get(Role.CLIENT), turns_of(state)
            )
        except RuntimeFailure as exc:
            update.update(failure_update(Role.CLIENT, exc))
            return update
        update.update(await _formulation(session_agents.get(Role.COUNSELOR), turns_of(state)))
        return update

    graph: StateGraph[CounselingState, None, CounselingState, CounselingState]
    graph = StateGraph(CounselingState)
    graph.add_node(
        "intake",
        node(Role.CLIENT, intake, lambda _u: "counselor"),
        destinations=("counselor", "closing"),
    )
    graph.add_node(
        "counselor",
        node(Role.COUNSELOR, counselor, lambda _u: "client"),
        destinations=("client", "closing"),
    )
    graph.add_node(
        "client",
        node(Role.CLIENT, client, lambda _u: "counselor"),
        destinations=("counselor", "closing"),
    )
    graph.add_node("closing", closing)
    graph.add_edge(START, "intake")
    graph.add_edge("closing", END)
    return graph.compile(checkpointer=checkpointer)
