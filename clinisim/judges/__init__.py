"""Judges: diagnosis matching, realism metrics and rubric arithmetic.

More judges (rubric, dimension, checklist and fidelity judges) build on these.
"""

from collections.abc import Callable

from clinisim.judges._diagnosis_judge import DIAGNOSIS_JUDGE_VERSION, TOP_K, judge_diagnosis
from clinisim.judges._diagnosis_match import DiagnosisMatch, match_diagnosis, normalize_diagnosis
from clinisim.judges._offline_rubric_judge import judge_rubric_offline
from clinisim.judges._realism import (
    HDD_SAMPLE,
    MATTR_WINDOW,
    RealismScores,
    hdd,
    mattr,
    realism_scores,
    tokenize,
    yules_k,
)
from clinisim.judges._realism_judge import REALISM_JUDGE_VERSION, judge_realism
from clinisim.judges._rubric_library import DEFAULT_RUBRICS, available_rubrics, load_rubric
from clinisim.judges._rubric_scoring import (
    Aggregate,
    GradedItem,
    aggregate,
    aggregate_by_tag,
    rubric_score,
)
from clinisim.schemas import PatientCase, Score, Session

SessionJudge = Callable[[Session, PatientCase], Score]
"""A judge that scores a finished session against its case."""


def rubric_judge(name: str) -> SessionJudge:
    """A session judge for the named rubric, on the offline matcher."""
    rubric = load_rubric(name)

    def judge(session: Session, case: PatientCase) -> Score:
        return judge_rubric_offline(rubric, session)

    return judge


def default_judges() -> tuple[SessionJudge, ...]:
    """The judges every session gets by default, with no model."""
    return (judge_diagnosis, judge_realism, *(rubric_judge(n) for n in DEFAULT_RUBRICS))


__all__ = [
    "DEFAULT_RUBRICS",
    "DIAGNOSIS_JUDGE_VERSION",
    "HDD_SAMPLE",
    "MATTR_WINDOW",
    "REALISM_JUDGE_VERSION",
    "TOP_K",
    "Aggregate",
    "DiagnosisMatch",
    "GradedItem",
    "RealismScores",
    "SessionJudge",
    "aggregate",
    "aggregate_by_tag",
    "available_rubrics",
    "default_judges",
    "hdd",
    "judge_diagnosis",
    "judge_realism",
    "judge_rubric_offline",
    "load_rubric",
    "match_diagnosis",
    "mattr",
    "normalize_diagnosis",
    "realism_scores",
    "rubric_judge",
    "rubric_score",
    "tokenize",
    "yules_k",
]
