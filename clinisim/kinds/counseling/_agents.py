"""Who can play each counseling role: the offline engine or a model.

``human`` needs no entry (the graph interrupts for a human role). A session that
is part of a course (``extra_config["course"]``, ``session_number``) gives both
roles what earlier sessions left in the client's memory.
"""

from __future__ import annotations

from typing import Any

from clinisim.agents import LLMClient, LLMCounselor
from clinisim.engine import AgentContext, SessionSpec, agent
from clinisim.schemas import Attitude, ClientProfile, ConversationalStyle, Role, Severity
from clinisim.store import MemoryItem, client_chunks

__all__ = ["TRUST_PER_SESSION", "course_of", "memories_for", "played"]

KIND = "counseling"
TRUST_PER_SESSION = 0.05
"""Trust a client brings to each later session of a course (rapport carries over)."""


def course_of(spec: SessionSpec) -> tuple[str | None, int]:
    """The course id and this session's number in it (``None``, 1 for a single session)."""
    course = spec.extra_config.get("course")
    return (str(course) if course else None), int(spec.extra_config.get("session_number", 1))


def memories_for(spec: SessionSpec, client: ClientProfile, ctx: AgentContext) -> list[MemoryItem]:
    """What earlier sessions of this spec's course left (empty outside a course)."""
    course, number = course_of(spec)
    if course is None or number <= 1:
        return []
    return ctx.store.clients.memories(client.id, course, before=number)


def _trust_bonus(spec: SessionSpec) -> float:
    return TRUST_PER_SESSION * (course_of(spec)[1] - 1)


def played(spec: SessionSpec, client: ClientProfile) -> ClientProfile:
    """The profile as this session plays it: the spec's attitude overrides the profile's."""
    value = spec.persona.get("attitude")
    if value and value != client.attitude.value:
        return client.model_copy(update={"attitude": Attitude(value)})
    return client


def _style(spec: SessionSpec) -> ConversationalStyle | None:
    value = spec.persona.get("style")
    return ConversationalStyle(value) if value else None


def _severity(spec: SessionSpec, axis: str) -> Severity | None:
    value = spec.persona.get(axis)
    return Severity(value) if value else None


@agent(KIND, Role.CLIENT, "offline")
def _offline_client(spec: SessionSpec, client: ClientProfile, ctx: AgentContext, _m: Any) -> Any:
    from clinisim.offline.client import OfflineClient

    return OfflineClient(
        played(spec, client),
        ctx.store,
        spec.seed,
        style=_style(spec),
        depression=_severity(spec, "depression"),
        anxiety=_severity(spec, "anxiety"),
        memories=memories_for(spec, client, ctx),
        trust_bonus=_trust_bonus(spec),
    )


@agent(KIND, Role.CLIENT, "model")
def _llm_client(spec: SessionSpec, client: ClientProfile, ctx: AgentContext, model: Any) -> Any:
    return LLMClient(
        played(spec, client),
        model,
        client_chunks(client),
        style=_style(spec),
        trust_bonus=_trust_bonus(spec),
    )


@agent(KIND, Role.COUNSELOR, "offline")
def _offline_counselor(spec: SessionSpec, client: ClientProfile, ctx: AgentContext, _m: Any) -> Any:
    from clinisim.offline.counselor import OfflineCounselor

    return OfflineCounselor(
        client.name,
        max_turns=spec.max_turns,
        session_number=course_of(spec)[1],
        memories=memories_for(spec, client, ctx),
    )


@agent(KIND, Role.COUNSELOR, "model")
def _llm_counselor(spec: SessionSpec, client: ClientProfile, ctx: AgentContext, model: Any) -> Any:
    memories = memories_for(spec, client, ctx)
    return LLMCounselor(
        model,
        client.name,
        max_turns=spec.max_turns,
        session_number=course_of(spec)[1],
        memory=" ".join(f"({m.kind}) {m.text}" for m in memories),
    )
