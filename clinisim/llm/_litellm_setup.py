"""Import litellm the way the kit needs it: local price map, no console chatter."""

from __future__ import annotations

import os

# litellm fetches a remote price map at import unless told not to.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm

litellm.suppress_debug_info = True
litellm.telemetry = False

__all__ = ["litellm"]
