"""Everything that determines a session, for any kind; kept in the graph state for resume."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from clinisim.schemas import utc_now

__all__ = ["SessionSpec"]


@dataclass(frozen=True)
class SessionSpec:
    """One session's settings. ``persona`` is the kind's persona or style, as JSON."""

    session_id: str
    case_id: str
    """The case (consultation) or client (counseling) played."""
    seed: int
    models: dict[str, str]
    """Role to model string."""
    out: Path
    kind: str = "consultation"
    persona: dict[str, Any] = field(default_factory=dict)
    budgets: dict[str, int] = field(default_factory=dict)
    """``max_turns`` and the kind's other budgets (a consultation's ``max_tests``)."""
    api_base: str | None = None
    started_at: datetime = field(default_factory=utc_now)
    extra_config: dict[str, Any] = field(default_factory=dict)
    """More settings for the record's ``config`` (the runner's run id, trial...)."""

    @property
    def max_turns(self) -> int:
        """The turn budget of the model under test."""
        return int(self.budgets.get("max_turns", 20))

    def budget(self, name: str, default: int) -> int:
        """One budget, ``default`` when the spec does not set it."""
        return int(self.budgets.get(name, default))

    def with_budget_defaults(self, defaults: Mapping[str, int]) -> SessionSpec:
        """A copy with every budget of ``defaults`` the spec lacks filled in."""
        merged = {**defaults, **self.budgets}
        return SessionSpec(**{**self.__dict__, "budgets": merged})

    def to_meta(self) -> dict[str, Any]:
        """A JSON-able form of the spec (never holds API keys)."""
        return {
            "kind": self.kind,
            "session_id": self.session_id,
            "case_id": self.case_id,
            "persona": dict(self.persona),
            "seed": self.seed,
            "models": dict(self.models),
            "out": str(self.out),
            "budgets": dict(self.budgets),
            "api_base": self.api_base,
            "started_at": self.started_at.isoformat(),
            "extra_config": dict(self.extra_config),
        }

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> SessionSpec:
        """Inverse of :meth:`to_meta`; also reads checkpoints written before kinds
        existed (``max_turns``/``max_tests`` at the top level)."""
        budgets = dict(meta.get("budgets") or {})
        for name in ("max_turns", "max_tests"):
            if name in meta and name not in budgets:
                budgets[name] = int(meta[name])
        return cls(
            kind=str(meta.get("kind") or "consultation"),
            session_id=meta["session_id"],
            case_id=meta["case_id"],
            persona=dict(meta.get("persona") or {}),
            seed=int(meta["seed"]),
            models=dict(meta["models"]),
            out=Path(meta["out"]),
            budgets=budgets,
            api_base=meta.get("api_base"),
            started_at=datetime.fromisoformat(meta["started_at"]),
            extra_config=dict(meta.get("extra_config") or {}),
        )
