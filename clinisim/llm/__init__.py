"""The model layer: role configuration and litellm calls with retries and re-asks."""

from clinisim.llm._budget import (
    BudgetExceeded,
    RunBudgetExceeded,
    SessionBudgetExceeded,
    SpendingCap,
)
from clinisim.llm._call_limits import CallLimits, provider_of
from clinisim.llm._call_workers import CallWorkers
from clinisim.llm._client import Completion, ModelClient, RoleChatModel, UsageLedger
from clinisim.llm._config import (
    HUMAN,
    OFFLINE,
    ROLES,
    ModelConfig,
    check_model_string,
    load_model_config,
)
from clinisim.llm._errors import ModelUnreachable, RemoteCallFailed, UnusableReply
from clinisim.llm._model_reply import ModelReply, reply_of
from clinisim.llm._reply_stream import TextSink, streaming_to
from clinisim.llm._response_cache import CachedReply, ResponseCache, cache_key
from clinisim.llm._secrets import redact

__all__ = [
    "HUMAN",
    "OFFLINE",
    "ROLES",
    "BudgetExceeded",
    "CachedReply",
    "CallLimits",
    "CallWorkers",
    "Completion",
    "ModelClient",
    "ModelConfig",
    "ModelReply",
    "ModelUnreachable",
    "RemoteCallFailed",
    "ResponseCache",
    "RoleChatModel",
    "RunBudgetExceeded",
    "SessionBudgetExceeded",
    "SpendingCap",
    "TextSink",
    "UnusableReply",
    "UsageLedger",
    "cache_key",
    "check_model_string",
    "load_model_config",
    "provider_of",
    "redact",
    "reply_of",
    "streaming_to",
]
