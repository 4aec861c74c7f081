"""The offline CBT counselor baseline."""

from clinisim.offline.counselor._counselor import CRISIS_RESPONSE, OfflineCounselor

__all__ = ["CRISIS_RESPONSE", "OfflineCounselor"]
