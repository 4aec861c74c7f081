"""Running a session end to end and keeping its record on disk."""

from clinisim.session._consultation_run import (
    ConsultationGraph,
    ConsultationRun,
    ConsultationSpec,
    HumanTurnNeeded,
    RunEvent,
    TurnMade,
    checkpoint_path,
    load_spec,
    open_checkpointer,
)
from clinisim.session._record_file import read_session, write_atomic, write_session
from clinisim.session._role_factory import HUMAN, OFFLINE, build_consultation_roles

__all__ = [
    "HUMAN",
    "OFFLINE",
    "ConsultationGraph",
    "ConsultationRun",
    "ConsultationSpec",
    "HumanTurnNeeded",
    "RunEvent",
    "TurnMade",
    "build_consultation_roles",
    "checkpoint_path",
    "load_spec",
    "open_checkpointer",
    "read_session",
    "write_atomic",
    "write_session",
]
