"""Running a session end to end and keeping its record on disk."""

from clinisim.session._consultation_run import (
    ConsultationRun,
    ConsultationSpec,
    HumanTurnNeeded,
    RunEvent,
    TurnMade,
    checkpoint_path,
    load_spec,
    open_checkpointer,
)
from clinisim.session._role_factory import HUMAN, OFFLINE, build_consultation_roles
from clinisim.session._record_file import read_session, write_atomic, write_session

__all__ = [
    "HUMAN",
    "OFFLINE",
    "build_consultation_roles",
    "ConsultationRun",
    "ConsultationSpec",
    "HumanTurnNeeded",
    "RunEvent",
    "TurnMade",
    "checkpoint_path",
    "load_spec",
    "open_checkpointer",
    "read_session",
    "write_atomic",
    "write_session",
]
