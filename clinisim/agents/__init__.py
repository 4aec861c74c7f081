"""Role agents: the interfaces the graphs drive, and their LLM implementations."""

from clinisim.agents._chat_model import ChatModel, Message
from clinisim.agents._client_state import (
    LEAVE_RESISTANCE,
    LEAVE_TRUST,
    StateChange,
    initial_state,
    last_client_state,
    open_layers,
    react,
)
from clinisim.agents._llm_doctor import AGENTCLINIC_DOCTOR_PROMPT, DOCTOR_PROMPT, LLMDoctor
from clinisim.agents._llm_examiner import EXAMINER_PROMPT, LLMExaminer
from clinisim.agents._llm_patient import PATIENT_PROMPT, LLMPatient, patient_profile
from clinisim.agents._prompt import PromptTemplate
from clinisim.agents._protocols import AgentReply, DoctorAgent, ExaminerAgent, PatientAgent
from clinisim.agents._reply_quality import usable_utterance

__all__ = [
    "AGENTCLINIC_DOCTOR_PROMPT",
    "DOCTOR_PROMPT",
    "EXAMINER_PROMPT",
    "LEAVE_RESISTANCE",
    "LEAVE_TRUST",
    "PATIENT_PROMPT",
    "AgentReply",
    "ChatModel",
    "DoctorAgent",
    "ExaminerAgent",
    "LLMDoctor",
    "LLMExaminer",
    "LLMPatient",
    "Message",
    "PatientAgent",
    "PromptTemplate",
    "StateChange",
    "initial_state",
    "last_client_state",
    "open_layers",
    "patient_profile",
    "react",
    "usable_utterance",
]
