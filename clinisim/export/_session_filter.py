"""Which sessions go into a dataset: status, scores, diagnosis, safety, persona.

Failed, interrupted and budget-stopped sessions never go in (they are counted).
The rest pass every condition given: a termination reason among ``reasons``, each
score at least its minimum, a correct diagnosis, a safety pass (no rubric item
marked ``hard_fail`` was failed), and the persona or style values asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from clinisim.errors import InputError
from clinisim.export._dialogue import PERSONA_AXES
from clinisim.runner import SessionStatus, status_of
from clinisim.schemas import ConsultationOutcome, Session, TerminationReason

__all__ = ["SessionFilter", "parse_filter"]


@dataclass(frozen=True)
class SessionFilter:
    reasons: frozenset[str] = frozenset()
    """Termination reasons to keep (empty: every final reason)."""
    min_scores: dict[str, float] = field(default_factory=dict)
    correct: bool = False
    safe: bool = False
    persona: dict[str, str] = field(default_factory=dict)

    def rejects(self, record: Session) -> str | None:
        """Why ``record`` stays out of the dataset (a short reason), or ``None``."""
        status = status_of(record)
        if status is not SessionStatus.COMPLETED:
            return status.value
        reason = record.termination_reason.value if record.termination_reason else ""
        if self.reasons and reason not in self.reasons:
            return f"reason {reason}"
        scores = {s.name: s for s in record.scores}
        for name, minimum in self.min_scores.items():
            score = scores.get(name)
            if score is None or score.value is None:
                return f"no {name} score"
            if score.value < minimum:
                return f"{name} below {minimum:g}"
        if self.correct and not (
            isinstance(record.outcome, ConsultationOutcome) and record.outcome.correct
        ):
            return "diagnosis not correct"
        if self.safe and any(s.details.get("hard_fail") for s in record.scores):
            return "safety failed"
        for axis, value in self.persona.items():
            if (record.persona.get(axis) or "") != value:
                return f"{axis} not {value}"
        return None


def _pairs(values: Sequence[str], flag: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for value in values:
        name, sep, given = value.partition("=")
        if not sep or not name.strip() or not given.strip():
            raise InputError(f"expected NAME=VALUE, got {value!r}", field=flag)
        pairs.append((name.strip(), given.strip()))
    return pairs


def parse_filter(
    *,
    reasons: Sequence[str] = (),
    min_scores: Sequence[str] = (),
    correct: bool = False,
    safe: bool = False,
    persona: Sequence[str] = (),
) -> SessionFilter:
    """A filter from command-line values; an unknown reason or axis is an ``InputError``."""
    stopped = (TerminationReason.ERROR, TerminationReason.BUDGET_EXCEEDED)
    final = {r.value for r in TerminationReason if r.is_final and r not in stopped}
    for reason in reasons:
        if reason not in final:
            raise InputError(
                f"unknown termination reason {reason!r} (final reasons: "
                f"{', '.join(sorted(final))})",
                field="--reason",
            )
    minimums: dict[str, float] = {}
    for name, given in _pairs(min_scores, "--min-score"):
        try:
            minimums[name] = float(given)
        except ValueError:
            raise InputError(
                f"minimum for {name!r} must be a number, got {given!r}", field="--min-score"
            ) from None
    wanted = dict(_pairs(persona, "--persona"))
    for axis in wanted:
        if axis not in PERSONA_AXES:
            raise InputError(
                f"unknown persona or style axis {axis!r} (axes: {', '.join(PERSONA_AXES)})",
                field="--persona",
            )
    return SessionFilter(frozenset(reasons), minimums, correct, safe, wanted)
