"""What every kind's graph nodes share: turn records, failures, human turns, agents.

A node plans one step and returns a ``Command`` (the update and the next node).
A role whose agent is ``None`` is played by a human: the node calls ``interrupt()``
and the caller resumes the graph with ``Command(resume=text)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.types import interrupt

from clinisim.agents import AgentReply
from clinisim.errors import RuntimeFailure
from clinisim.schemas import Role, TerminationReason, Turn, Usage

__all__ = [
    "AGENTS_KEY",
    "agents_in",
    "failure_update",
    "human_reply",
    "turn_record",
    "turns_of",
]

AGENTS_KEY = "clinisim_agents"
"""Where a shared graph finds the session's agents: ``config["configurable"][AGENTS_KEY]``."""


def turns_of(state: Mapping[str, Any]) -> list[Turn]:
    """The transcript held in a graph state as typed turns."""
    return [Turn.model_validate(t) for t in state.get("turns", [])]


def turn_record(index: int, role: Role, reply: AgentReply) -> dict[str, Any]:
    """A reply as the JSON-able turn the graph state keeps."""
    turn = Turn(
        index=index,
        role=role,
        content=reply.content,
        action=reply.action,
        retrieved=reply.retrieved,
        facts=reply.facts,
        state=reply.state,
        usage=reply.usage,
    )
    return turn.model_dump(mode="json", exclude_none=True)


def failure_update(role: Role, exc: RuntimeFailure) -> dict[str, Any]:
    """End the session after a failed agent call, keeping the usage it already cost.

    A spending cap ends it as ``budget_exceeded``; any other failure as ``error``.
    """
    reason = getattr(exc, "termination_reason", TerminationReason.ERROR)
    update: dict[str, Any] = {
        "termination_reason": TerminationReason(reason).value,
        "pending": None,
        "error": {"type": type(exc).__name__, "message": exc.one_line(), "role": role.value},
    }
    usage = getattr(exc, "usage", None)
    if isinstance(usage, Usage):
        update["failed_usage"] = [{"role": role.value, "usage": usage.model_dump(mode="json")}]
    return update


def human_reply(role: Role, turn_index: int, extra: Mapping[str, Any] | None = None) -> str:
    """Pause the graph for the human playing ``role``; the resume value is their text."""
    payload: dict[str, Any] = {"role": role.value, "turn_index": turn_index}
    if extra:
        payload.update(extra)
    return str(interrupt(payload))


def agents_in(fixed: Mapping[Role, Any] | None, config: RunnableConfig) -> Mapping[Role, Any]:
    """The session's agents: those the graph was built with, else those in its config."""
    if fixed is not None:
        return fixed
    agents = config.get("configurable", {}).get(AGENTS_KEY)
    if not isinstance(agents, Mapping):
        raise TypeError(f"a shared graph needs configurable[{AGENTS_KEY!r}]")
    return agents
