"""The doctor–patient–examiner consultation as a LangGraph state machine.

Nodes are plain ``state -> partial update`` functions; routing lives in the
conditional edge after the doctor. A role whose agent is ``None`` is played by a
human: its node calls ``interrupt()`` and the caller resumes with
``Command(resume=text)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import interrupt

from clinisim.agents import AgentReply, DoctorAgent, ExaminerAgent, PatientAgent
from clinisim.agents._doctor_action import parse_doctor_action
from clinisim.errors import RuntimeFailure
from clinisim.graphs._consultation_state import ConsultationState
from clinisim.schemas import ActionKind, DoctorAction, Role, TerminationReason, Turn, Usage

__all__ = ["ConsultationBudgets", "ConsultationRoles", "build_consultation_graph", "turns_of"]


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
    update: dict[str, Any] = {
        "termination_reason": TerminationReason.ERROR.value,
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


def build_consultation_graph(
    roles: ConsultationRoles,
    budgets: ConsultationBudgets,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> CompiledStateGraph[ConsultationState, None, ConsultationState, ConsultationState]:
    """Compile the consultation graph. Pass a checkpointer to make it resumable."""

    def doctor(state: ConsultationState) -> dict[str, Any]:
        done = state.get("doctor_turns", 0)
        if done >= budgets.max_turns:
            return {"termination_reason": TerminationReason.TURN_BUDGET.value, "pending": None}
        transcript = turns_of(state)
        if roles.doctor is None:
            text = _human(Role.DOCTOR, transcript, {"turns_left": budgets.max_turns - done})
            action = parse_doctor_action(text) or DoctorAction(kind=ActionKind.ASK, text=text)
            reply = AgentReply(content=text, action=action)
        else:
            try:
                reply = roles.doctor.act(transcript)
            except RuntimeFailure as exc:
                return _failure(Role.DOCTOR, exc)
        assert reply.action is not None, "a doctor agent must return an action"
        return {
            "turns": [_turn(len(transcript), Role.DOCTOR, reply)],
            "doctor_turns": done + 1,
            "pending": reply.action.model_dump(mode="json"),
        }

    def patient(state: ConsultationState) -> dict[str, Any]:
        transcript = turns_of(state)
        if roles.patient is None:
            reply = AgentReply(content=_human(Role.PATIENT, transcript))
        else:
            try:
                reply = roles.patient.respond(transcript)
            except RuntimeFailure as exc:
                return _failure(Role.PATIENT, exc)
        return {"turns": [_turn(len(transcript), Role.PATIENT, reply)], "pending": None}

    def examiner(state: ConsultationState) -> dict[str, Any]:
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
        if roles.examiner is None:
            reply = AgentReply(content=_human(Role.EXAMINER, transcript, {"request": request}))
        else:
            try:
                reply = roles.examiner.examine(request, transcript)
            except RuntimeFailure as exc:
                return _failure(Role.EXAMINER, exc)
        return {
            "turns": [_turn(len(transcript), Role.EXAMINER, reply)],
            "tests_ordered": [request],
            "pending": None,
        }

    def finish(state: ConsultationState) -> dict[str, Any]:
        if state.get("termination_reason"):
            return {}
        return {"termination_reason": TerminationReason.DIAGNOSIS_GIVEN.value}

    def after_doctor(state: ConsultationState) -> Literal["patient", "examiner", "finish"]:
        if state.get("termination_reason"):
            return "finish"
        kind = (state.get("pending") or {}).get("kind")
        if kind == ActionKind.ASK.value:
            return "patient"
        if kind == ActionKind.ORDER.value:
            return "examiner"
        return "finish"

    def after_reply(state: ConsultationState) -> Literal["doctor", "finish"]:
        return "finish" if state.get("termination_reason") else "doctor"

    graph: StateGraph[ConsultationState, None, ConsultationState, ConsultationState]
    graph = StateGraph(ConsultationState)
    graph.add_node("doctor", doctor)
    graph.add_node("patient", patient)
    graph.add_node("examiner", examiner)
    graph.add_node("finish", finish)
    graph.add_edge(START, "doctor")
    graph.add_conditional_edges("doctor", after_doctor)
    graph.add_conditional_edges("patient", after_reply)
    graph.add_conditional_edges("examiner", after_reply)
    graph.add_edge("finish", END)
    return graph.compile(checkpointer=checkpointer)
