"""Agents by kind, role and backend: the one place that says who plays a role.

A kind's package registers a builder for each role it has, once for the offline
engine and once for a model (``@agent("consultation", Role.PATIENT, "offline")``).
``human`` needs no builder: a human role has no agent and the graph interrupts for
it. Every command, the runner and the tests build agents through
:func:`build_agents`, so a model string means the same agent everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from clinisim.errors import InputError
from clinisim.llm import HUMAN, OFFLINE
from clinisim.schemas import Role

if TYPE_CHECKING:
    from clinisim.engine._session_kind import AgentContext
    from clinisim.engine._session_spec import SessionSpec

__all__ = ["AgentBuild", "Backend", "agent", "backend_of", "build_agents", "registered_agents"]

Backend = Literal["offline", "model"]

AgentBuild = Callable[["SessionSpec", Any, "AgentContext", Any], Any]
"""``(spec, subject, context, chat_model)`` → the agent; ``chat_model`` is ``None`` offline."""

F = TypeVar("F", bound=AgentBuild)


@dataclass(frozen=True)
class _Entry:
    kind: str
    role: Role
    backend: Backend
    build: AgentBuild


_AGENTS: dict[tuple[str, Role, Backend], _Entry] = {}


def agent(kind: str, role: Role, backend: Backend) -> Callable[[F], F]:
    """Register the decorated builder as ``kind``'s ``role`` on ``backend``."""

    def register(build: F) -> F:
        _AGENTS[(kind, role, backend)] = _Entry(kind, role, backend, build)
        return build

    return register


def registered_agents(kind: str) -> list[tuple[Role, Backend]]:
    """The (role, backend) pairs registered for ``kind``."""
    return sorted((e.role, e.backend) for e in _AGENTS.values() if e.kind == kind)


def backend_of(model: str) -> Backend | None:
    """``offline`` and ``human`` are the built-in engine and a person; the rest are models."""
    if model == HUMAN:
        return None
    return "offline" if model == OFFLINE else "model"


def build_agents(
    kind: str,
    roles: Iterable[Role],
    spec: SessionSpec,
    subject: Any,
    context: AgentContext,
) -> tuple[dict[Role, Any], dict[str, str]]:
    """The agent for each of ``roles`` from ``spec.models``, and the prompt hashes used.

    A role without a model string is offline. A prompt-driven agent exposes its
    ``prompt`` (a versioned template, and ``formulation_prompt`` for a counselor asked
    for its formulation), whose hash goes into the record.
    """
    agents: dict[Role, Any] = {}
    hashes: dict[str, str] = {}
    for role in roles:
        model = spec.models.get(role.value, OFFLINE)
        backend = backend_of(model)
        if backend is None:
            agents[role] = None
            continue
        entry = _AGENTS.get((kind, role, backend))
        if entry is None:
            raise InputError(
                f"no {backend} agent can play the {role.value} in a {kind} session",
                field=f"models.{role.value}",
            )
        chat_model = context.chat_model(role) if backend == "model" else None
        built = entry.build(spec, subject, context, chat_model)
        for attribute in ("prompt", "formulation_prompt"):
            prompt = getattr(built, attribute, None)
            if prompt is not None and hasattr(prompt, "key") and hasattr(prompt, "hash"):
                hashes[prompt.key] = prompt.hash
        agents[role] = built
    return agents, hashes
