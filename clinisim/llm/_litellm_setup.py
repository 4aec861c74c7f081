"""Import litellm the way the kit needs it: on first use, local price map, no chatter.

litellm takes seconds to import (on a slow 2-core machine, about eight), and most
commands never call a model: listing cases, validating them, an offline session. So
the kit imports it only when a model string names a provider or a call is made.
"""

from __future__ import annotations

import gc
import os
from functools import cache
from types import ModuleType

__all__ = ["litellm_module"]


@cache
def litellm_module() -> ModuleType:
    """The configured ``litellm`` module (imported on the first call)."""
    # litellm fetches a remote price map at import unless told not to.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    # Its import creates objects by the hundred thousand, and the collector's passes
    # over them are a fifth of the import's time (about 1 s of 5 here).
    collecting = gc.isenabled()
    gc.disable()
    try:
        import litellm
    finally:
        if collecting:
            gc.enable()

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm
