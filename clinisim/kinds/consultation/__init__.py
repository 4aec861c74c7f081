"""The consultation kind: doctor, patient and examiner (registered on import)."""

from clinisim.engine import register_kind
from clinisim.kinds.consultation._agents import persona_of
from clinisim.kinds.consultation._graph import build_consultation_graph
from clinisim.kinds.consultation._kind import CONSULTATION, ConsultationKind
from clinisim.kinds.consultation._state import ConsultationState

register_kind(CONSULTATION)

__all__ = [
    "CONSULTATION",
    "ConsultationKind",
    "ConsultationState",
    "build_consultation_graph",
    "persona_of",
]
