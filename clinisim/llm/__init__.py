"""The model layer: role configuration and litellm calls with retries and re-asks."""

from clinisim.llm._client import Completion, ModelClient, RoleChatModel, UsageLedger
from clinisim.llm._config import (
    HUMAN,
    OFFLINE,
    ROLES,
    ModelConfig,
    check_model_string,
    load_model_config,
)
from clinisim.llm._errors import ModelUnreachable, UnusableReply
from clinisim.llm._secrets import redact

__all__ = [
    "HUMAN",
    "OFFLINE",
    "ROLES",
    "Completion",
    "ModelClient",
    "ModelConfig",
    "ModelUnreachable",
    "RoleChatModel",
    "UnusableReply",
    "UsageLedger",
    "check_model_string",
    "load_model_config",
    "redact",
]
