"""A suite expanded into sessions: model × subject × persona × trial, each with its seed.

Session ids and seeds are pure functions of the suite, so a session can be
re-run on its own and a resumed run finds its sessions by id. A session's seed
derives from the run seed, the subject (case or client), the persona and the
trial, but not from the model under test: every model meets the same simulated
patients or clients (paired comparison).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["PersonaValues", "SessionPlan", "derive_seed", "persona_key", "plan_sessions"]


PersonaValues = Mapping[str, str | None]
"""A persona as its axis values, every axis of the kind present (``None``: unset)."""


def persona_key(persona: PersonaValues) -> str:
    """A canonical text form of a persona: ``personality=plain,language=C,...``."""
    return ",".join(f"{axis}={value or '-'}" for axis, value in persona.items())


def derive_seed(run_seed: int, case_id: str, persona: PersonaValues, trial: int) -> int:
    """A 31-bit seed from the run seed, case, persona and trial (stable across runs)."""
    text = f"{run_seed}|{case_id}|{persona_key(persona)}|{trial}"
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) & 0x7FFFFFFF


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "model"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


@dataclass(frozen=True)
class SessionPlan:
    """One session of a run, before it runs."""

    session_id: str
    model: str
    """The model under test (the doctor or the counselor)."""
    case_id: str
    """The subject: a case id or a client id."""
    persona: PersonaValues
    trial: int
    seed: int

    @property
    def group(self) -> tuple[str, str, str]:
        """(model, subject, persona): the sessions whose trials pass^k is computed over."""
        return (self.model, self.case_id, persona_key(self.persona))


def plan_sessions(
    *,
    models: list[str],
    case_ids: list[str],
    personas: list[PersonaValues],
    trials: int,
    run_seed: int,
) -> list[SessionPlan]:
    """Every session of a run, in a stable order (model, subject, persona, trial)."""
    plans: list[SessionPlan] = []
    for model in models:
        for case_id in case_ids:
            for persona in personas:
                for trial in range(trials):
                    # The hash keeps ids short and file-name safe; the slug keeps them readable.
                    persona_tag = _short_hash(persona_key(persona))
                    model_tag = f"{_slug(model)[:40]}-{_short_hash(model)[:4]}"
                    plans.append(
                        SessionPlan(
                            session_id=f"{model_tag}--{case_id}--p{persona_tag}--t{trial}",
                            model=model,
                            case_id=case_id,
                            persona=persona,
                            trial=trial,
                            seed=derive_seed(run_seed, case_id, persona, trial),
                        )
                    )
    return plans
