"""Judges by name: the one place that maps a score name to the judge that produces it.

``clinisim run``, ``clinisim score`` and ``clinisim bench`` all build their judges
here, so a name means the same judge everywhere and its version is known before a
run starts (it goes into the run manifest).
"""

from __future__ import annotations

from collections.abc import Sequence

from clinisim.agents import ChatModel
from clinisim.errors import InputError
from clinisim.judges._diagnosis_judge import DIAGNOSIS_JUDGE_VERSION, judge_diagnosis
from clinisim.judges._diagnosis_moderator import MODERATOR_PROMPT, DiagnosisModerator
from clinisim.judges._fidelity_judge import FIDELITY_JUDGE_VERSION, FidelityJudge
from clinisim.judges._llm_fidelity_judge import FIDELITY_PROMPT, LLMFidelityJudge
from clinisim.judges._llm_rubric_judge import LLMRubricJudge
from clinisim.judges._offline_rubric_judge import judge_rubric_offline
from clinisim.judges._realism_judge import REALISM_JUDGE_VERSION, judge_realism
from clinisim.judges._rubric_library import DEFAULT_RUBRICS, load_rubric
from clinisim.judges._session_judge import SessionJudge
from clinisim.schemas import PatientCase, Score, Session

__all__ = [
    "BUILTIN_JUDGES",
    "MODERATOR",
    "default_judge_names",
    "judge_versions",
    "judges_by_name",
    "realism_judge",
    "rubric_judge",
]

MODERATOR = "diagnosis-moderator"
BUILTIN_JUDGES: tuple[str, ...] = ("diagnosis", "realism", "patient-fidelity", MODERATOR)
"""Judges that are code, not rubric YAML."""


def rubric_judge(name: str, model: ChatModel | None = None) -> SessionJudge:
    """A session judge for the named rubric: the model's if given, else the offline one."""
    rubric = load_rubric(name)
    if model is not None:
        return LLMRubricJudge(rubric, model)

    def judge(session: Session, case: PatientCase) -> Score:
        return judge_rubric_offline(rubric, session, case.chief_complaint.text)

    return judge


def realism_judge(reference: Sequence[str] | None) -> SessionJudge:
    """The realism judge, with z-scores against ``reference`` utterances when given."""
    if not reference:
        return judge_realism

    def judge(session: Session, case: PatientCase) -> Score:
        return judge_realism(session, case, reference)

    return judge


def default_judge_names(with_model: bool) -> list[str]:
    """The judges every session gets by default (the moderator needs a judge model)."""
    names = ["diagnosis", "realism", *DEFAULT_RUBRICS, "patient-fidelity"]
    return [*names, MODERATOR] if with_model else names


def judges_by_name(
    names: Sequence[str] | None,
    model: ChatModel | None = None,
    reference: Sequence[str] | None = None,
) -> list[SessionJudge]:
    """The judges for ``names`` (default set when ``None``); unknown names are an InputError.

    With a judge ``model`` the rubrics and patient fidelity are graded by it; without
    one the offline judges grade them. The moderator always needs a model.
    """
    chosen = default_judge_names(model is not None) if names is None else list(names)
    judges: list[SessionJudge] = []
    for name in chosen:
        if name == "diagnosis":
            judges.append(judge_diagnosis)
        elif name == "realism":
            judges.append(realism_judge(reference))
        elif name == "patient-fidelity":
            judges.append(LLMFidelityJudge(model) if model is not None else FidelityJudge())
        elif name == MODERATOR:
            if model is None:
                raise InputError(f"{MODERATOR!r} needs a judge model (--judge)", field="rubrics")
            judges.append(DiagnosisModerator(model))
        else:
            judges.append(rubric_judge(name, model))
    return judges


def judge_versions(names: Sequence[str] | None, with_model: bool) -> dict[str, str]:
    """Score name to the version its judge writes, for a run's manifest."""
    chosen = default_judge_names(with_model) if names is None else list(names)
    versions: dict[str, str] = {}
    for name in chosen:
        if name == "diagnosis":
            versions[name] = DIAGNOSIS_JUDGE_VERSION
        elif name == "realism":
            versions[name] = REALISM_JUDGE_VERSION
        elif name == "patient-fidelity":
            versions[name] = FIDELITY_PROMPT.version if with_model else FIDELITY_JUDGE_VERSION
        elif name == MODERATOR:
            versions[name] = MODERATOR_PROMPT.version
        else:
            rubric = load_rubric(name)
            versions[rubric.name] = rubric.version
    return versions
