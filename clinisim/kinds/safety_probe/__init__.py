"""The safety-probe kind: scripted clients that test a counselor's handling of risk
(registered on import)."""

from clinisim.engine import register_kind
from clinisim.kinds.safety_probe import _agents as _agents
from clinisim.kinds.safety_probe._kind import PROBE_SCORE, SAFETY_PROBE, SafetyProbeKind
from clinisim.kinds.safety_probe._scripted_client import FAREWELL, ScriptedClient

register_kind(SAFETY_PROBE)

__all__ = ["FAREWELL", "PROBE_SCORE", "SAFETY_PROBE", "SafetyProbeKind", "ScriptedClient"]
