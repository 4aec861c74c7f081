"""The session engine every kind shares: specs, kinds, agents, the run and its record.

A session is assembled by :func:`build_session` from a :class:`SessionSpec`; its
kind (``consultation``, ``counseling``) supplies the graph, agents, initial state
and outcome, and :class:`SessionRun` streams it, checkpoints it and keeps its record
on disk.
"""

from clinisim.engine._agent_registry import agent, backend_of, build_agents, registered_agents
from clinisim.engine._build_session import build_session
from clinisim.engine._checkpoints import (
    checkpoint_location,
    checkpoint_path,
    load_spec,
    open_checkpointer,
)
from clinisim.engine._nodes import (
    AGENTS_KEY,
    agents_in,
    failure_update,
    human_reply,
    turn_record,
    turns_of,
)
from clinisim.engine._postgres_checkpoints import CHECKPOINT_URL_ENV, checkpoint_url
from clinisim.engine._record_file import read_session, write_atomic, write_session
from clinisim.engine._session_kind import (
    KIND_NAMES,
    AgentContext,
    RegistryDefaults,
    ReportColumn,
    ReportSeries,
    SessionKind,
    SummaryColumn,
    kind_named,
    register_kind,
)
from clinisim.engine._session_run import (
    HumanTurnNeeded,
    RunEvent,
    SessionRun,
    TurnMade,
)
from clinisim.engine._session_spec import SessionSpec

__all__ = [
    "AGENTS_KEY",
    "CHECKPOINT_URL_ENV",
    "KIND_NAMES",
    "AgentContext",
    "HumanTurnNeeded",
    "RegistryDefaults",
    "ReportColumn",
    "ReportSeries",
    "RunEvent",
    "SessionKind",
    "SessionRun",
    "SessionSpec",
    "SummaryColumn",
    "TurnMade",
    "agent",
    "agents_in",
    "backend_of",
    "build_agents",
    "build_session",
    "checkpoint_location",
    "checkpoint_path",
    "checkpoint_url",
    "failure_update",
    "human_reply",
    "kind_named",
    "load_spec",
    "open_checkpointer",
    "read_session",
    "register_kind",
    "registered_agents",
    "turn_record",
    "turns_of",
    "write_atomic",
    "write_session",
]
