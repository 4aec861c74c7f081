"""clinisim: clinical and counseling role-play simulation, offline by default."""

import os
from importlib.metadata import PackageNotFoundError, version

# litellm fetches a remote price map at import, and chromadb sends telemetry, unless
# told not to; the kit is offline by default, so say so before either is imported.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

try:
    __version__ = version("clinisim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
