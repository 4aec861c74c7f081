"""Which model plays each role, and how calls to it behave.

Precedence, highest first: explicit values (CLI flags), environment variables
(``CLINISIM_<ROLE>_MODEL``, ``CLINISIM_API_BASE``), a config file (``--config`` or
``CLINISIM_CONFIG``; YAML or TOML), then the default ``offline``. API keys come from
the environment only (``CLINISIM_API_KEY`` or the provider's own variables) and
never appear in :meth:`ModelConfig.models_for_record`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator

from clinisim.errors import InputError
from clinisim.library import describe_validation_error, read_yaml
from clinisim.llm._litellm_setup import litellm_module
from clinisim.schemas import StrictModel

__all__ = [
    "CALL_PATHS",
    "CALL_PATH_ENV",
    "HUMAN",
    "OFFLINE",
    "ROLES",
    "ModelConfig",
    "check_model_string",
    "load_model_config",
]

OFFLINE = "offline"
"""The built-in engine: no model is called."""
HUMAN = "human"
"""A person plays the role (the graph interrupts for their input)."""
CALL_PATH_ENV = "CLINISIM_CALL_PATH"
"""How calls to a self-hosted OpenAI-compatible server go: ``auto`` (the default: the
direct path, :mod:`clinisim.llm._openai_compatible`) or ``litellm`` (every call through
``litellm.acompletion``)."""
CALL_PATHS = ("auto", "litellm")
ROLES: tuple[str, ...] = ("doctor", "patient", "examiner", "judge", "counselor", "client")


def check_model_string(value: str, *, field: str) -> str:
    """Accept ``offline``, ``human`` or ``provider/model`` with a litellm provider."""
    value = value.strip()
    if value in (OFFLINE, HUMAN):
        return value
    provider, sep, name = value.partition("/")
    if not sep or not provider or not name:
        raise InputError(
            f"model {value!r} must be 'offline', 'human' or 'provider/model'", field=field
        )
    if provider not in litellm_module().provider_list:
        raise InputError(f"unknown model provider {provider!r} in {value!r}", field=field)
    return value


class _FileConfig(StrictModel):
    models: dict[str, str] = Field(default_factory=dict)
    api_base: str | None = None
    timeout: float | None = Field(default=None, gt=0)
    max_retries: int | None = Field(default=None, ge=0, le=20)
    max_reasks: int | None = Field(default=None, ge=0, le=10)

    @field_validator("models")
    @classmethod
    def _known_roles(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(ROLES))
        if unknown:
            raise ValueError(f"unknown role {unknown[0]!r} (roles: {', '.join(ROLES)})")
        return value


class ModelConfig(StrictModel):
    """Resolved model settings for a session or a run."""

    models: dict[str, str]
    """Role to model string, every role present."""
    api_base: str | None = None
    timeout: float = 60.0
    """Seconds per call."""
    max_retries: int = 3
    """Retries after the first attempt on timeouts, connection errors, 429 and 5xx."""
    backoff_base: float = 0.5
    """First backoff in seconds; doubles each retry, with jitter, up to ``backoff_max``."""
    backoff_max: float = 20.0
    max_reasks: int = 2
    """Re-asks after an empty or unusable reply."""
    max_tokens: int = 512
    """Upper bound on each reply's length, so a rambling model cannot stall a session."""

    def model_for(self, role: str) -> str:
        """The model string for ``role`` (``offline`` when unset)."""
        return self.models.get(role, OFFLINE)

    def api_key(self) -> str | None:
        """``CLINISIM_API_KEY`` if set; otherwise litellm reads the provider's own variable."""
        return os.environ.get("CLINISIM_API_KEY") or None

    def models_for_record(self) -> dict[str, str]:
        """Role to model string, for the session record. Holds no secrets."""
        return dict(self.models)


def _read_config_file(path: Path) -> _FileConfig:
    if path.suffix == ".toml":
        try:
            data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise InputError("file not found", file=path) from exc
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"malformed TOML: {exc}", file=path) from exc
    else:
        data = read_yaml(path)
    if not isinstance(data, dict):
        raise InputError("expected a mapping at the top level", file=path)
    try:
        return _FileConfig.model_validate(data)
    except ValidationError as exc:
        field, problem = describe_validation_error(exc)
        raise InputError(problem, file=path, field=field) from exc


def load_model_config(
    explicit: Mapping[str, str | None] | None = None,
    *,
    api_base: str | None = None,
    config_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    **overrides: Any,
) -> ModelConfig:
    """Resolve the models of every role from flags, environment, file and defaults.

    ``explicit`` maps role to the flag value (``None`` when the flag was not given).
    ``overrides`` set call behaviour directly (``timeout``, ``max_retries``...).
    """
    environ = os.environ if env is None else env
    call_path = environ.get(CALL_PATH_ENV, "").strip().lower()
    if call_path and call_path not in CALL_PATHS:
        raise InputError(
            f"must be one of {', '.join(CALL_PATHS)}, not {environ[CALL_PATH_ENV]!r}",
            field=CALL_PATH_ENV,
        )
    file_path = config_file or (
        Path(environ["CLINISIM_CONFIG"]) if environ.get("CLINISIM_CONFIG") else None
    )
    from_file = _read_config_file(file_path) if file_path else _FileConfig()
    models: dict[str, str] = {}
    for role in ROLES:
        flag = (explicit or {}).get(role)
        if flag:
            models[role] = check_model_string(flag, field=f"--{role}")
            continue
        env_value = environ.get(f"CLINISIM_{role.upper()}_MODEL")
        if env_value:
            models[role] = check_model_string(env_value, field=f"CLINISIM_{role.upper()}_MODEL")
            continue
        if role in from_file.models:
            where = f"{file_path}: models.{role}"
            models[role] = check_model_string(from_file.models[role], field=where)
            continue
        models[role] = OFFLINE
    settings: dict[str, Any] = {
        "models": models,
        "api_base": api_base or environ.get("CLINISIM_API_BASE") or from_file.api_base,
    }
    for name in ("timeout", "max_retries", "max_reasks"):
        value = getattr(from_file, name)
        if value is not None:
            settings[name] = value
    settings.update(overrides)
    return ModelConfig.model_validate(settings)
