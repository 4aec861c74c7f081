"""LangGraph state machines: the consultation (counseling arrives later)."""

from clinisim.graphs._consultation import (
    ROLES_KEY,
    ConsultationBudgets,
    ConsultationRoles,
    build_consultation_graph,
    turns_of,
)
from clinisim.graphs._consultation_state import ConsultationState

__all__ = [
    "ROLES_KEY",
    "ConsultationBudgets",
    "ConsultationRoles",
    "ConsultationState",
    "build_consultation_graph",
    "turns_of",
]
