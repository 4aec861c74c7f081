"""Import litellm the way the kit needs it: on first use, local price map, no chatter.

litellm takes seconds to import (on a slow 2-core machine, about eight), and most
commands never call a model: listing cases, validating them, an offline session. So
the kit imports it only when a model string names a provider or a call is made.
"""

from __future__ import annotations

import os
from functools import cache
from types import ModuleType

__all__ = ["litellm_module"]


@cache
def litellm_module() -> ModuleType:
    """The configured ``litellm`` module (imported on the first call)."""
    # litellm fetches a remote price map at import unless told not to.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm
