"""Judges: diagnosis matching, realism metrics and rubric arithmetic.

More judges (rubric, dimension, checklist and fidelity judges) build on these.
"""

from collections.abc import Sequence

from clinisim.agents import ChatModel
from clinisim.judges._agreement import (
    AgreementReport,
    DimensionAgreement,
    agreement,
    balanced_f1,
    cohens_kappa,
    dimension_agreement,
    spearman_rho,
)
from clinisim.judges._diagnosis_judge import DIAGNOSIS_JUDGE_VERSION, TOP_K, judge_diagnosis
from clinisim.judges._diagnosis_match import DiagnosisMatch, match_diagnosis, normalize_diagnosis
from clinisim.judges._diagnosis_moderator import MODERATOR_PROMPT, DiagnosisModerator, parse_yes_no
from clinisim.judges._fidelity_judge import CLAIM_DISTANCE, SUPPORTED_DISTANCE, FidelityJudge
from clinisim.judges._judge_registry import (
    BUILTIN_JUDGES,
    MODERATOR,
    JudgeOptions,
    default_judge_names,
    graded_role,
    judge_applies,
    judge_versions,
    judges_by_name,
    realism_judge,
    register_judge,
    rubric_judge,
)
from clinisim.judges._llm_fidelity_judge import FIDELITY_PROMPT, LLMFidelityJudge
from clinisim.judges._llm_rubric_judge import (
    RUBRIC_JUDGE_PROMPT,
    SCALE_JUDGE_PROMPT,
    LLMRubricJudge,
)
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
from clinisim.judges._rejudge import rejudge
from clinisim.judges._rubric_library import DEFAULT_RUBRICS, available_rubrics, load_rubric
from clinisim.judges._rubric_scoring import (
    Aggregate,
    GradedItem,
    aggregate,
    aggregate_by_tag,
    rubric_score,
)
from clinisim.judges._session_judge import SessionJudge, offline_judge


def default_judges(
    model: ChatModel | None = None,
    reference: Sequence[str] | None = None,
    kind: str = "consultation",
) -> tuple[SessionJudge, ...]:
    """The judges every session gets by default.

    Diagnosis and realism are offline. With a judge ``model`` (``--judge``) the
    rubrics and patient fidelity are graded by it and it also moderates the
    diagnosis (reported separately); without one, the offline judges do.
    """
    return tuple(judges_by_name(None, model, reference, kind))


__all__ = [
    "BUILTIN_JUDGES",
    "CLAIM_DISTANCE",
    "DEFAULT_RUBRICS",
    "DIAGNOSIS_JUDGE_VERSION",
    "FIDELITY_PROMPT",
    "HDD_SAMPLE",
    "MATTR_WINDOW",
    "MODERATOR",
    "MODERATOR_PROMPT",
    "REALISM_JUDGE_VERSION",
    "RUBRIC_JUDGE_PROMPT",
    "SCALE_JUDGE_PROMPT",
    "SUPPORTED_DISTANCE",
    "TOP_K",
    "Aggregate",
    "AgreementReport",
    "DiagnosisMatch",
    "DiagnosisModerator",
    "DimensionAgreement",
    "FidelityJudge",
    "GradedItem",
    "JudgeOptions",
    "LLMFidelityJudge",
    "LLMRubricJudge",
    "RealismScores",
    "SessionJudge",
    "aggregate",
    "aggregate_by_tag",
    "agreement",
    "available_rubrics",
    "balanced_f1",
    "cohens_kappa",
    "default_judge_names",
    "default_judges",
    "dimension_agreement",
    "graded_role",
    "hdd",
    "judge_applies",
    "judge_diagnosis",
    "judge_realism",
    "judge_rubric_offline",
    "judge_versions",
    "judges_by_name",
    "load_rubric",
    "match_diagnosis",
    "mattr",
    "normalize_diagnosis",
    "offline_judge",
    "parse_yes_no",
    "realism_judge",
    "realism_scores",
    "register_judge",
    "rejudge",
    "rubric_judge",
    "rubric_score",
    "spearman_rho",
    "tokenize",
    "yules_k",
]
