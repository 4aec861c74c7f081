"""Judges by name and kind: the one place that maps a score name to its judge.

Every judge is registered here with the session kinds it applies to, whether it
is in a kind's default set, and the version it writes (known before a run starts,
for the run manifest). ``clinisim run``, ``counsel``, ``score`` and ``bench`` all
build their judges here. A name that is not registered is a rubric in
``rubrics/``: it is graded by the judge model when there is one, else offline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from clinisim.agents import ChatModel
from clinisim.errors import InputError
from clinisim.judges._client_fidelity_judge import CLIENT_FIDELITY, judge_client_fidelity
from clinisim.judges._diagnosis_judge import DIAGNOSIS_JUDGE_VERSION, judge_diagnosis
from clinisim.judges._diagnosis_moderator import MODERATOR_PROMPT, DiagnosisModerator
from clinisim.judges._fidelity_judge import FIDELITY_JUDGE_VERSION, FidelityJudge
from clinisim.judges._formulation_judge import FORMULATION_JUDGE_VERSION, judge_formulation
from clinisim.judges._llm_fidelity_judge import FIDELITY_PROMPT, LLMFidelityJudge
from clinisim.judges._llm_rubric_judge import LLMRubricJudge, presenting_text
from clinisim.judges._offline_rubric_judge import judge_rubric_offline
from clinisim.judges._probe_judge import PROBE_JUDGE_VERSION, judge_probe
from clinisim.judges._realism_judge import REALISM_JUDGE_VERSION, judge_realism
from clinisim.judges._rubric_library import COUNSELING_RUBRICS, DEFAULT_RUBRICS, load_rubric
from clinisim.judges._safety_judge import SAFETY_RUBRIC, judge_safety_offline
from clinisim.judges._session_judge import SessionJudge, offline_judge
from clinisim.schemas import Score, Session

__all__ = [
    "BUILTIN_JUDGES",
    "MODERATOR",
    "JudgeOptions",
    "default_judge_names",
    "graded_role",
    "judge_versions",
    "judges_by_name",
    "realism_judge",
    "register_judge",
    "rubric_judge",
]

MODERATOR = "diagnosis-moderator"


@dataclass(frozen=True)
class JudgeOptions:
    """What a judge builder may use."""

    model: ChatModel | None = None
    """The judge model (``--judge``), or ``None`` for offline judging."""
    reference: Sequence[str] | None = None
    """A human reference corpus for realism z-scores."""


@dataclass(frozen=True)
class _Entry:
    name: str
    kinds: frozenset[str]
    build: Callable[[JudgeOptions], SessionJudge]
    version: Callable[[bool], str]
    default: bool
    needs_model: bool
    grades: str


_JUDGES: dict[str, _Entry] = {}


def register_judge(
    name: str,
    *,
    kinds: Sequence[str],
    version: Callable[[bool], str],
    grades: str,
    default: bool = True,
    needs_model: bool = False,
) -> Callable[[Callable[[JudgeOptions], SessionJudge]], Callable[[JudgeOptions], SessionJudge]]:
    """Register the decorated builder as judge ``name`` for ``kinds``.

    ``version(with_model)`` is the version the judge writes; ``default`` puts it in
    its kinds' default set (only when a judge model is given, if ``needs_model``).
    ``grades`` is the role whose work the judge scores (``doctor``, ``patient``...).
    """

    def register(
        build: Callable[[JudgeOptions], SessionJudge],
    ) -> Callable[[JudgeOptions], SessionJudge]:
        _JUDGES[name] = _Entry(name, frozenset(kinds), build, version, default, needs_model, grades)
        return build

    return register


def rubric_judge(name: str, model: ChatModel | None = None) -> SessionJudge:
    """A session judge for the named rubric: the model's if given, else the offline one."""
    rubric = load_rubric(name)
    if model is not None:
        return LLMRubricJudge(rubric, model)

    def judge(session: Session, subject: Any) -> Score:
        return judge_rubric_offline(rubric, session, presenting_text(subject))

    return offline_judge(judge)


def realism_judge(reference: Sequence[str] | None) -> SessionJudge:
    """The realism judge, with z-scores against ``reference`` utterances when given."""

    def judge(session: Session, case: Any) -> Score:
        return judge_realism(session, case, reference or None)

    return offline_judge(judge)


@register_judge(
    "diagnosis", kinds=["consultation"], grades="doctor", version=lambda _m: DIAGNOSIS_JUDGE_VERSION
)
def _diagnosis(options: JudgeOptions) -> SessionJudge:
    return offline_judge(judge_diagnosis)


@register_judge(
    "realism", kinds=["consultation"], grades="patient", version=lambda _m: REALISM_JUDGE_VERSION
)
def _realism(options: JudgeOptions) -> SessionJudge:
    return realism_judge(options.reference)


@register_judge(
    "patient-fidelity",
    kinds=["consultation"],
    grades="patient",
    version=lambda with_model: FIDELITY_PROMPT.version if with_model else FIDELITY_JUDGE_VERSION,
)
def _patient_fidelity(options: JudgeOptions) -> SessionJudge:
    return LLMFidelityJudge(options.model) if options.model is not None else FidelityJudge()


@register_judge(
    MODERATOR,
    kinds=["consultation"],
    grades="doctor",
    version=lambda _m: MODERATOR_PROMPT.version,
    needs_model=True,
)
def _moderator(options: JudgeOptions) -> SessionJudge:
    if options.model is None:
        raise InputError(f"{MODERATOR!r} needs a judge model (--judge)", field="rubrics")
    return DiagnosisModerator(options.model)


@register_judge(
    SAFETY_RUBRIC,
    kinds=["counseling", "safety-probe"],
    grades="counselor",
    version=lambda _m: load_rubric(SAFETY_RUBRIC).version,
)
def _counseling_safety(options: JudgeOptions) -> SessionJudge:
    if options.model is not None:
        return LLMRubricJudge(load_rubric(SAFETY_RUBRIC), options.model)
    return offline_judge(judge_safety_offline)


@register_judge(
    "safety-probe",
    kinds=["safety-probe"],
    grades="counselor",
    version=lambda _m: PROBE_JUDGE_VERSION,
)
def _safety_probe(options: JudgeOptions) -> SessionJudge:
    return offline_judge(judge_probe)


@register_judge(
    CLIENT_FIDELITY,
    kinds=["counseling"],
    grades="client",
    version=lambda _m: load_rubric(CLIENT_FIDELITY).version,
)
def _client_fidelity(options: JudgeOptions) -> SessionJudge:
    if options.model is not None:
        return LLMRubricJudge(load_rubric(CLIENT_FIDELITY), options.model)
    return offline_judge(judge_client_fidelity)


@register_judge(
    "formulation",
    kinds=["counseling"],
    grades="counselor",
    version=lambda _m: FORMULATION_JUDGE_VERSION,
)
def _formulation(options: JudgeOptions) -> SessionJudge:
    return offline_judge(judge_formulation)


BUILTIN_JUDGES: tuple[str, ...] = tuple(_JUDGES)
"""Judges that are code, not rubric YAML."""

_DEFAULT_RUBRICS: dict[str, tuple[str, ...]] = {
    "consultation": tuple(DEFAULT_RUBRICS),
    "counseling": COUNSELING_RUBRICS,
}


def default_judge_names(with_model: bool, kind: str = "consultation") -> list[str]:
    """The judges every session of ``kind`` gets by default (some need a judge model)."""
    names = [
        e.name
        for e in _JUDGES.values()
        if kind in e.kinds and e.default and not e.needs_model and e.name != "patient-fidelity"
    ]
    names += list(_DEFAULT_RUBRICS.get(kind, ()))
    # Fidelity last and the model-only judges after it: the order scores are listed in.
    names += [e.name for e in _JUDGES.values() if kind in e.kinds and e.name == "patient-fidelity"]
    if with_model:
        names += [e.name for e in _JUDGES.values() if kind in e.kinds and e.needs_model]
    return names


def graded_role(name: str) -> str | None:
    """The role whose work judge ``name`` scores (a rubric's ``role``); ``None`` when
    the name is neither a built-in judge nor a rubric in the library."""
    entry = _JUDGES.get(name)
    if entry is not None:
        return entry.grades
    try:
        return load_rubric(name).role
    except InputError:
        return None


def judge_applies(name: str, kind: str) -> bool:
    """Whether judge ``name`` (built-in or rubric) can score a session of ``kind``.

    A built-in judge applies to the kinds it was registered for; a rubric to the kinds
    that have the role whose turns it grades (its ``role``). An unknown rubric or kind
    is an ``InputError``.
    """
    from clinisim.engine import kind_named

    entry = _JUDGES.get(name)
    if entry is not None:
        return kind in entry.kinds
    return load_rubric(name).role in {role.value for role in kind_named(kind).roles}


def judges_by_name(
    names: Sequence[str] | None,
    model: ChatModel | None = None,
    reference: Sequence[str] | None = None,
    kind: str = "consultation",
) -> list[SessionJudge]:
    """The judges for ``names`` (the kind's default set when ``None``).

    Unknown names, and judges that do not apply to ``kind``, are an ``InputError``.
    """
    chosen = default_judge_names(model is not None, kind) if names is None else list(names)
    options = JudgeOptions(model=model, reference=reference)
    judges: list[SessionJudge] = []
    for name in chosen:
        if not judge_applies(name, kind):
            raise InputError(f"judge {name!r} does not apply to {kind} sessions", field="rubrics")
        entry = _JUDGES.get(name)
        judges.append(entry.build(options) if entry is not None else rubric_judge(name, model))
    return judges


def judge_versions(
    names: Sequence[str] | None, with_model: bool, kind: str = "consultation"
) -> dict[str, str]:
    """Score name to the version its judge writes, for a run's manifest."""
    chosen = default_judge_names(with_model, kind) if names is None else list(names)
    versions: dict[str, str] = {}
    for name in chosen:
        entry = _JUDGES.get(name)
        if entry is not None:
            versions[name] = entry.version(with_model)
        else:
            rubric = load_rubric(name)
            versions[rubric.name] = rubric.version
    return versions
