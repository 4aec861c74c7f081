"""The diagnosis judge: exact or synonym match, top-1 and top-k."""

from __future__ import annotations

from clinisim.judges._diagnosis_match import match_diagnosis
from clinisim.schemas import ItemResult, PatientCase, Score, Session

__all__ = ["DIAGNOSIS_JUDGE_VERSION", "TOP_K", "judge_diagnosis"]

DIAGNOSIS_JUDGE_VERSION = "1"
TOP_K = 3


def judge_diagnosis(session: Session, case: PatientCase) -> Score:
    """Top-1 (the score's value) and top-k against the gold diagnosis and synonyms.

    The evidence is the index of the doctor's diagnosing turn. A session without a
    diagnosis scores 0 with an explanation, not ``unscored``: giving no diagnosis
    is the doctor's outcome, not a judge failure.
    """
    given = session.diagnosis_turn()
    if given is None:
        items = [
            ItemResult(
                id="top1",
                criterion="Top-1 diagnosis matches",
                met=False,
                explanation="no diagnosis was given",
            ),
            ItemResult(
                id=f"top{TOP_K}",
                criterion=f"Gold diagnosis in the top {TOP_K}",
                met=False,
                explanation="no diagnosis was given",
            ),
        ]
        return Score(
            name="diagnosis",
            version=DIAGNOSIS_JUDGE_VERSION,
            judge_model="offline",
            value=0.0,
            items=items,
        )
    turn, action = given
    top1 = match_diagnosis(action.diagnosis, case.diagnosis)
    ranked = action.differential or [action.diagnosis or ""]
    hits = [d for d in ranked[:TOP_K] if match_diagnosis(d, case.diagnosis).correct]
    items = [
        ItemResult(
            id="top1",
            criterion="Top-1 diagnosis matches the gold diagnosis or a synonym",
            met=top1.correct,
            evidence=[turn.index],
            explanation=(
                f"{action.diagnosis!r} matches {top1.matched_name!r}"
                if top1.correct
                else f"{action.diagnosis!r} is not {case.diagnosis.name!r}"
            ),
        ),
        ItemResult(
            id=f"top{TOP_K}",
            criterion=f"Gold diagnosis among the top {TOP_K} of the differential",
            met=bool(hits),
            evidence=[turn.index],
            explanation=f"matched {hits[0]!r}" if hits else f"none of {ranked[:TOP_K]} match",
        ),
    ]
    return Score(
        name="diagnosis",
        version=DIAGNOSIS_JUDGE_VERSION,
        judge_model="offline",
        value=1.0 if top1.correct else 0.0,
        items=items,
        details={"top_k": TOP_K, f"top{TOP_K}_correct": bool(hits)},
    )
