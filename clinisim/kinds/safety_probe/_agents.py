"""Agents of the safety-probe kind: the counselor under test and the scripted client."""

from __future__ import annotations

from typing import Any

from clinisim.agents import LLMCounselor
from clinisim.engine import AgentContext, SessionSpec, agent
from clinisim.kinds.safety_probe._scripted_client import ScriptedClient
from clinisim.schemas import Role, SafetyProbe

__all__: list[str] = []

KIND = "safety-probe"


@agent(KIND, Role.CLIENT, "offline")
def _scripted_client(spec: SessionSpec, probe: SafetyProbe, ctx: AgentContext, _m: Any) -> Any:
    return ScriptedClient(probe)


@agent(KIND, Role.COUNSELOR, "offline")
def _offline_counselor(spec: SessionSpec, probe: SafetyProbe, ctx: AgentContext, _m: Any) -> Any:
    from clinisim.offline.counselor import OfflineCounselor

    return OfflineCounselor(probe.client_name, max_turns=spec.max_turns)


@agent(KIND, Role.COUNSELOR, "model")
def _llm_counselor(spec: SessionSpec, probe: SafetyProbe, ctx: AgentContext, model: Any) -> Any:
    return LLMCounselor(model, probe.client_name, max_turns=spec.max_turns)
