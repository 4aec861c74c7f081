"""Who can play each consultation role: the offline engine or a model.

``human`` needs no entry (the graph interrupts for a human role). Under the
``agentclinic`` protocol an LLM doctor gets AgentClinic's tag-only prompt.
"""

from __future__ import annotations

from typing import Any

from clinisim.agents import (
    AGENTCLINIC_DOCTOR_PROMPT,
    DOCTOR_PROMPT,
    LLMDoctor,
    LLMExaminer,
    LLMPatient,
)
from clinisim.engine import AgentContext, SessionSpec, agent
from clinisim.schemas import PatientCase, Persona, Protocol, Role

__all__ = ["persona_of"]

KIND = "consultation"


def persona_of(spec: SessionSpec) -> Persona:
    """The patient persona a consultation spec holds."""
    return Persona.model_validate(spec.persona)


@agent(KIND, Role.DOCTOR, "offline")
def _offline_doctor(spec: SessionSpec, case: PatientCase, ctx: AgentContext, _m: Any) -> Any:
    from clinisim.offline.doctor import OfflineDoctor

    return OfflineDoctor(
        ctx.library.conditions,
        seed=spec.seed,
        max_turns=spec.max_turns,
        max_tests=spec.budget("max_tests", 8),
    )


@agent(KIND, Role.DOCTOR, "model")
def _llm_doctor(spec: SessionSpec, case: PatientCase, ctx: AgentContext, model: Any) -> Any:
    protocol = ctx.options.get("protocol", Protocol.CLINISIM)
    prompt = AGENTCLINIC_DOCTOR_PROMPT if protocol is Protocol.AGENTCLINIC else DOCTOR_PROMPT
    return LLMDoctor(model, max_turns=spec.max_turns, prompt=prompt)


@agent(KIND, Role.PATIENT, "offline")
def _offline_patient(spec: SessionSpec, case: PatientCase, ctx: AgentContext, _m: Any) -> Any:
    from clinisim.offline.patient import OfflinePatient

    return OfflinePatient(case, persona_of(spec), ctx.store, spec.seed)


@agent(KIND, Role.PATIENT, "model")
def _llm_patient(spec: SessionSpec, case: PatientCase, ctx: AgentContext, model: Any) -> Any:
    return LLMPatient(case, persona_of(spec), ctx.store, model, ctx.library.axis_descriptions)


@agent(KIND, Role.EXAMINER, "offline")
def _offline_examiner(spec: SessionSpec, case: PatientCase, ctx: AgentContext, _m: Any) -> Any:
    from clinisim.offline.examiner import OfflineExaminer

    return OfflineExaminer(case)


@agent(KIND, Role.EXAMINER, "model")
def _llm_examiner(spec: SessionSpec, case: PatientCase, ctx: AgentContext, model: Any) -> Any:
    return LLMExaminer(case, model)
