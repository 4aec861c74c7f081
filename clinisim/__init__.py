"""clinisim: clinical and counseling role-play simulation, offline by default."""

import os

# litellm fetches a remote price map at import, and chromadb sends telemetry, unless
# told not to; the kit is offline by default, so say so before either is imported.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

__version__ = "0.1.0"
"""The kit's version: the one place it is written (the build reads it from here)."""

__all__ = ["__version__"]
