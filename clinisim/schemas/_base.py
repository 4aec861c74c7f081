"""Shared base model: our own files are strict, extra keys are rejected."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION: Literal[1] = 1
"""Version of every on-disk format this package writes (cases, sessions)."""


class StrictModel(BaseModel):
    """Base for the kit's own formats: unknown keys are an error, not ignored."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
