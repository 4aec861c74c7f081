"""Role agents: the interfaces the graphs drive, and their LLM implementations."""

from clinisim.agents._protocols import AgentReply, DoctorAgent, ExaminerAgent, PatientAgent

__all__ = ["AgentReply", "DoctorAgent", "ExaminerAgent", "PatientAgent"]
