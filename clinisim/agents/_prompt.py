"""Versioned prompt templates: text files beside their agents, each with a content hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

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

    @classmethod
    def load(cls, name: str, version: str, beside: str) -> PromptTemplate:
        """The prompt ``prompts/<name>.v<version>.txt`` in the directory of ``beside``
        (an agent's or judge's ``__file__``). Editing a prompt means a new file with a
        new version, so a recorded hash always names one text."""
        path = Path(beside).parent / "prompts" / f"{name}.v{version}.txt"
        text = path.read_text(encoding="utf-8")
        return cls(name=name, version=version, text=text.removesuffix("\n"))

    def render(self, **values: str) -> str:
        """Fill the template's ``{placeholders}``."""
        return self.text.format(**values)
