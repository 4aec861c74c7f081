"""Versioned prompt templates: each carries a name, a version and a content hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["PromptTemplate"]


@dataclass(frozen=True)
class PromptTemplate:
    """A prompt text with a version; its hash goes into the session record."""

    name: str
    version: str
    text: str

    @property
    def hash(self) -> str:
        """A short sha256 of name, version and text."""
        digest = hashlib.sha256(f"{self.name}\n{self.version}\n{self.text}".encode())
        return digest.hexdigest()[:16]

    @property
    def key(self) -> str:
        """``name@version``, the key under which the hash is recorded."""
        return f"{self.name}@{self.version}"

    def render(self, **values: str) -> str:
        """Fill the template's ``{placeholders}``."""
        return self.text.format(**values)
