"""The kit's two user-facing error types, rendered once by the CLI.

``InputError`` means bad input (exit code 2); ``RuntimeFailure`` means the input was
fine but something at run time failed, such as a model that stayed unreachable
(exit code 1).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ClinisimError", "InputError", "RuntimeFailure"]


class ClinisimError(Exception):
    """Base class for errors meant for users. ``exit_code`` is the CLI contract."""

    exit_code: int = 1

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.field = field
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """Render as ``file: field: problem`` with absent parts left out."""
        parts = [p for p in (self.file, self.field) if p]
        return ": ".join([*parts, self.problem])


class InputError(ClinisimError):
    """Bad input: a usage error, a validation error, an unknown id. Exit code 2."""

    exit_code = 2


class RuntimeFailure(ClinisimError):
    """A failure at run time, e.g. a model unreachable after retries. Exit code 1."""

    exit_code = 1
