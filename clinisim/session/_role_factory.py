"""Build the agents of a consultation from the role → model-string mapping.

``offline`` selects the built-in engine, ``human`` leaves the role to a person (the
graph interrupts for it), and anything else is a litellm model string.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from clinisim.agents import (
    AGENTCLINIC_DOCTOR_PROMPT,
    DOCTOR_PROMPT,
    ChatModel,
    DoctorAgent,
    ExaminerAgent,
    LLMDoctor,
    LLMExaminer,
    LLMPatient,
    PatientAgent,
)
from clinisim.graphs import ConsultationRoles
from clinisim.llm import HUMAN, OFFLINE
from clinisim.schemas import PatientCase, Persona, Protocol, Role

if TYPE_CHECKING:
    from clinisim.library import CaseLibrary
    from clinisim.store import RecordStore

__all__ = ["HUMAN", "OFFLINE", "build_consultation_roles"]


def build_consultation_roles(
    *,
    case: PatientCase,
    persona: Persona,
    seed: int,
    models: dict[str, str],
    library: CaseLibrary,
    store: RecordStore,
    chat_model: Callable[[Role], ChatModel],
    max_turns: int,
    max_tests: int,
    protocol: Protocol = Protocol.CLINISIM,
) -> tuple[ConsultationRoles, dict[str, str]]:
    """The three agents and the hashes of the prompts they use (``name@version`` → hash).

    Under the ``agentclinic`` protocol an LLM doctor gets AgentClinic's tag-only prompt.
    """
    from clinisim.offline.doctor import OfflineDoctor
    from clinisim.offline.examiner import OfflineExaminer
    from clinisim.offline.patient import OfflinePatient

    hashes: dict[str, str] = {}

    doctor: DoctorAgent | None
    match models.get(Role.DOCTOR.value, OFFLINE):
        case "offline":
            doctor = OfflineDoctor(
                library.conditions, seed=seed, max_turns=max_turns, max_tests=max_tests
            )
        case "human":
            doctor = None
        case _:
            prompt = (
                AGENTCLINIC_DOCTOR_PROMPT if protocol is Protocol.AGENTCLINIC else DOCTOR_PROMPT
            )
            llm_doctor = LLMDoctor(chat_model(Role.DOCTOR), max_turns=max_turns, prompt=prompt)
            hashes[llm_doctor.prompt.key] = llm_doctor.prompt.hash
            doctor = llm_doctor

    patient: PatientAgent | None
    match models.get(Role.PATIENT.value, OFFLINE):
        case "offline":
            patient = OfflinePatient(case, persona, store, seed)
        case "human":
            patient = None
        case _:
            llm_patient = LLMPatient(
                case, persona, store, chat_model(Role.PATIENT), library.axis_descriptions
            )
            hashes[llm_patient.prompt.key] = llm_patient.prompt.hash
            patient = llm_patient

    examiner: ExaminerAgent | None
    match models.get(Role.EXAMINER.value, OFFLINE):
        case "offline":
            examiner = OfflineExaminer(case)
        case "human":
            examiner = None
        case _:
            llm_examiner = LLMExaminer(case, chat_model(Role.EXAMINER))
            hashes[llm_examiner.prompt.key] = llm_examiner.prompt.hash
            examiner = llm_examiner

    return ConsultationRoles(doctor=doctor, patient=patient, examiner=examiner), hashes
