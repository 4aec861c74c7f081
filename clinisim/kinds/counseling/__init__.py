"""The counseling kind: counselor and client (registered on import)."""

from clinisim.engine import register_kind
from clinisim.kinds.counseling._agents import TRUST_PER_SESSION, course_of, memories_for
from clinisim.kinds.counseling._graph import build_counseling_graph
from clinisim.kinds.counseling._kind import (
    COUNSELING,
    CounselingKind,
    counseling_persona,
    safety_pass,
)
from clinisim.kinds.counseling._memory import remember_session, session_memory
from clinisim.kinds.counseling._state import CounselingState

register_kind(COUNSELING)

__all__ = [
    "COUNSELING",
    "TRUST_PER_SESSION",
    "CounselingKind",
    "CounselingState",
    "build_counseling_graph",
    "counseling_persona",
    "course_of",
    "memories_for",
    "remember_session",
    "safety_pass",
    "session_memory",
]
