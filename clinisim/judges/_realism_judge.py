"""The realism judge: lexical metrics of the simulated patient's turns."""

from __future__ import annotations

from collections.abc import Sequence

from clinisim.judges._realism import HDD_SAMPLE, MATTR_WINDOW, realism_scores
from clinisim.schemas import PatientCase, Role, Score, Session

__all__ = ["REALISM_JUDGE_VERSION", "judge_realism"]

REALISM_JUDGE_VERSION = "1"


def judge_realism(
    session: Session, case: PatientCase, reference: Sequence[str] | None = None
) -> Score:
    """MATTR (value of the score), Yule's K and HD-D over the patient's turns."""
    utterances = [t.content for t in session.turns if t.role in (Role.PATIENT, Role.CLIENT)]
    scores = realism_scores(utterances, reference)
    if scores.tokens == 0:
        return Score(
            name="realism",
            version=REALISM_JUDGE_VERSION,
            judge_model="offline",
            value=None,
            status="unscored",
            details={"reason": "no patient turns"},
        )
    details: dict[str, object] = {
        "tokens": scores.tokens,
        "mattr": round(scores.mattr, 4),
        "yules_k": round(scores.yules_k, 2),
        "hdd": round(scores.hdd, 4),
        "mattr_window": MATTR_WINDOW,
        "hdd_sample": HDD_SAMPLE,
    }
    if scores.z:
        details["z"] = {k: round(v, 3) for k, v in scores.z.items()}
    return Score(
        name="realism",
        version=REALISM_JUDGE_VERSION,
        judge_model="offline",
        value=round(scores.mattr, 4),
        details=details,
    )
