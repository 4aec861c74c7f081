"""A suite expanded into sessions: doctor × case × persona × trial, each with its seed.

Session ids and seeds are pure functions of the suite, so a session can be
re-run on its own and a resumed run finds its sessions by id. A session's seed
derives from the run seed, the case, the persona and the trial, but not from the
doctor model: every doctor meets the same simulated patients (paired comparison).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from clinisim.schemas import Persona

__all__ = ["SessionPlan", "derive_seed", "persona_key", "plan_sessions"]


def persona_key(persona: Persona) -> str:
    """A canonical text form of a persona: ``personality=plain,language=C,...``."""
    return ",".join(f"{axis}={value or '-'}" for axis, value in persona.axis_values().items())


def derive_seed(run_seed: int, case_id: str, persona: Persona, trial: int) -> int:
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
    doctor: str
    """The doctor's model string."""
    case_id: str
    persona: Persona
    trial: int
    seed: int

    @property
    def group(self) -> tuple[str, str, str]:
        """(doctor, case, persona): the sessions whose trials pass^k is computed over."""
        return (self.doctor, self.case_id, persona_key(self.persona))


def plan_sessions(
    *,
    doctors: list[str],
    case_ids: list[str],
    personas: list[Persona],
    trials: int,
    run_seed: int,
) -> list[SessionPlan]:
    """Every session of a run, in a stable order (doctor, case, persona, trial)."""
    plans: list[SessionPlan] = []
    for doctor in doctors:
        for case_id in case_ids:
            for persona in personas:
                for trial in range(trials):
                    # The hash keeps ids short and file-name safe; the slug keeps them readable.
                    persona_tag = _short_hash(persona_key(persona))
                    doctor_tag = f"{_slug(doctor)[:40]}-{_short_hash(doctor)[:4]}"
                    plans.append(
                        SessionPlan(
                            session_id=f"{doctor_tag}--{case_id}--p{persona_tag}--t{trial}",
                            doctor=doctor,
                            case_id=case_id,
                            persona=persona,
                            trial=trial,
                            seed=derive_seed(run_seed, case_id, persona, trial),
                        )
                    )
    return plans
