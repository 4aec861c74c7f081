"""Judges: diagnosis matching, realism metrics and rubric arithmetic.

More judges (rubric, dimension, checklist and fidelity judges) build on these.
"""

from collections.abc import Callable

from clinisim.judges._diagnosis_judge import DIAGNOSIS_JUDGE_VERSION, TOP_K, judge_diagnosis
from clinisim.judges._diagnosis_match import DiagnosisMatch, match_diagnosis, normalize_diagnosis
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

OFFLINE_JUDGES: tuple[SessionJudge, ...] = (judge_diagnosis, judge_realism)
"""The judges every session gets by default, with no model."""

__all__ = [
    "DIAGNOSIS_JUDGE_VERSION",
    "HDD_SAMPLE",
    "MATTR_WINDOW",
    "OFFLINE_JUDGES",
    "REALISM_JUDGE_VERSION",
    "TOP_K",
    "Aggregate",
    "DiagnosisMatch",
    "GradedItem",
    "RealismScores",
    "SessionJudge",
    "aggregate",
    "aggregate_by_tag",
    "hdd",
    "judge_diagnosis",
    "judge_realism",
    "match_diagnosis",
    "mattr",
    "normalize_diagnosis",
    "realism_scores",
    "rubric_score",
    "tokenize",
    "yules_k",
]
