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
from clinisim.agents._doctor_action import parse_doctor_action
from clinisim.agents._llm_client import CLIENT_PROMPT, STYLE_GUIDES, LLMClient
from clinisim.agents._llm_counselor import (
    COUNSELOR_PROMPT,
    END_TAG,
    LLMCounselor,
    parse_counselor_turn,
)
from clinisim.agents._llm_doctor import AGENTCLINIC_DOCTOR_PROMPT, DOCTOR_PROMPT, LLMDoctor
from clinisim.agents._llm_examiner import EXAMINER_PROMPT, LLMExaminer
from clinisim.agents._llm_patient import PATIENT_PROMPT, LLMPatient, patient_profile
from clinisim.agents._prompt import PromptTemplate
from clinisim.agents._protocols import AgentReply, DoctorAgent, ExaminerAgent, PatientAgent
from clinisim.agents._questionnaires import (
    GAD7_ITEMS,
    PHQ9_ITEMS,
    QUESTIONNAIRES,
    items_for_severity,
    offline_answers,
    parse_answers,
)
from clinisim.agents._reply_quality import usable_utterance

__all__ = [
    "AGENTCLINIC_DOCTOR_PROMPT",
    "CLIENT_PROMPT",
    "COUNSELOR_PROMPT",
    "DOCTOR_PROMPT",
    "END_TAG",
    "EXAMINER_PROMPT",
    "GAD7_ITEMS",
    "LEAVE_RESISTANCE",
    "LEAVE_TRUST",
    "PATIENT_PROMPT",
    "PHQ9_ITEMS",
    "QUESTIONNAIRES",
    "STYLE_GUIDES",
    "AgentReply",
    "ChatModel",
    "DoctorAgent",
    "ExaminerAgent",
    "LLMClient",
    "LLMCounselor",
    "LLMDoctor",
    "LLMExaminer",
    "LLMPatient",
    "Message",
    "PatientAgent",
    "PromptTemplate",
    "StateChange",
    "initial_state",
    "items_for_severity",
    "last_client_state",
    "offline_answers",
    "open_layers",
    "parse_answers",
    "parse_counselor_turn",
    "parse_doctor_action",
    "patient_profile",
    "react",
    "usable_utterance",
]
