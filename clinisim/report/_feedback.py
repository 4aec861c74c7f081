"""A session's feedback for the person (or model) who played its tested role.

One view of a scored session record, shared by the HTML page (``clinisim view``,
the run report's session pages) and the trainee app's feedback screen:

- the outcome facts (the kind's summary columns, models, persona);
- the overall score and one score per axis (each judge that grades the tested role);
- every judge's items, met or not, with the turns that are their evidence;
- the answer compared with the gold one, field by field (a diagnosis, a formulation);
- three things to do differently, drawn from the missed items;
- for counseling, the trust trajectory and any safety flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean

from clinisim.engine import kind_named
from clinisim.errors import InputError
from clinisim.judges import graded_role, load_rubric
from clinisim.schemas import ItemResult, Rubric, Score, Session

__all__ = [
    "NEXT_STEPS",
    "AnswerField",
    "FeedbackItem",
    "FeedbackScore",
    "FeedbackTurn",
    "NextStep",
    "SessionFeedback",
    "next_steps",
    "session_feedback",
]

NEXT_STEPS = 3


@dataclass(frozen=True)
class NextStep:
    """Something to do differently, with the turns that show it."""

    text: str
    evidence: list[int] = field(default_factory=list)
    weight: float = 0.0


@dataclass(frozen=True)
class FeedbackItem:
    """One judged item: ``met`` is ``None`` for a value on a scale."""

    id: str
    criterion: str
    result: str
    """``met``, ``not met``, a value, or the item's status."""
    met: bool | None
    explanation: str
    evidence: list[int]


@dataclass(frozen=True)
class FeedbackScore:
    """One judge's score on the session."""

    name: str
    version: str
    judge: str
    value: float | None
    reason: str
    grades_trainee: bool
    """The judge scores the tested role's work (an axis of the overall score)."""
    items: list[FeedbackItem]

    @property
    def shown(self) -> str:
        """The value as text (``unscored`` when there is none)."""
        return "unscored" if self.value is None else f"{self.value:.2f}"


@dataclass(frozen=True)
class AnswerField:
    """One field of the tested role's answer beside the gold one."""

    field: str
    given: str
    gold: str
    match: str
    """``yes``, ``no``, a similarity, or empty when not graded."""


@dataclass(frozen=True)
class FeedbackTurn:
    """A transcript turn with the items it is evidence for."""

    index: int
    role: str
    content: str
    tested: bool
    cited: list[str]


@dataclass(frozen=True)
class SessionFeedback:
    """Everything the feedback page and screen show about one session."""

    session: Session
    tested_role: str
    subject_label: str
    ended: str
    facts: list[tuple[str, str]]
    overall: float | None
    scores: list[FeedbackScore]
    answer: list[AnswerField]
    next_steps: list[NextStep]
    turns: list[FeedbackTurn]
    trust: list[float]
    safety_flags: list[str]
    """Why the session raised a safety concern (empty when it raised none)."""

    @property
    def axes(self) -> list[FeedbackScore]:
        """The scores of the tested role's work, one per axis."""
        return [score for score in self.scores if score.grades_trainee]

    def evidence_of(self, score: str, item: str) -> list[int]:
        """The evidence turns of one item (empty when it cites none)."""
        for entry in self.scores:
            if entry.name == score:
                for row in entry.items:
                    if row.id == item:
                        return list(row.evidence)
        return []


def _result(item: ItemResult) -> str:
    if item.met is True:
        return "met"
    if item.met is False:
        return "not met"
    if item.value is not None:
        return f"{item.value:.2f}".rstrip("0").rstrip(".")
    return item.status


def _rubric(name: str) -> Rubric | None:
    try:
        return load_rubric(name)
    except InputError:  # a built-in judge without a rubric file, or a removed rubric
        return None


def next_steps(session: Session, limit: int = NEXT_STEPS) -> list[NextStep]:
    """The tested role's most valuable misses: unmet items by points, then low scales."""
    tested = kind_named(session.kind).tested_role.value
    steps: list[NextStep] = []
    for score in session.scores:
        rubric = _rubric(score.name)
        if score.status != "scored" or rubric is None or rubric.role != tested:
            continue
        scales = {scale.id: scale for scale in rubric.scales}
        for item in score.items:
            if item.met is False and (item.points or 0) > 0:
                steps.append(
                    NextStep(
                        f"{item.criterion or item.id} ({score.name})",
                        list(item.evidence),
                        weight=10 + (item.points or 0),
                    )
                )
            elif item.value is not None and item.id in scales:
                scale = scales[item.id]
                if scale.normalised(item.value) < 0.5:
                    steps.append(
                        NextStep(
                            f"Work on {scale.name.lower()}: scored {item.value:g} of "
                            f"{scale.range[1]} ({score.name}). {item.explanation}",
                            list(item.evidence),
                            weight=1 - scale.normalised(item.value),
                        )
                    )
    steps.sort(key=lambda step: -step.weight)
    return steps[:limit]


def _facts(session: Session) -> list[tuple[str, str]]:
    kind = kind_named(session.kind)
    facts = [("models", ", ".join(f"{r}: {m}" for r, m in session.models.items()))]
    persona = ", ".join(f"{k}={v}" for k, v in session.persona.items() if v)
    if persona:
        facts.append(("persona", persona))
    for column in kind.summary_columns:
        value = column.value(session)
        if value is not None:
            facts.append((column.name, value))
    return facts


def _reason(score: Score) -> str:
    reason = score.details.get("reason")
    if reason:
        return str(reason)
    failed = score.details.get("hard_fail")
    return f"hard fail: {', '.join(map(str, failed))}" if failed else ""


def _scores(session: Session, tested: str) -> list[FeedbackScore]:
    return [
        FeedbackScore(
            name=score.name,
            version=score.version,
            judge=score.judge_model,
            value=score.value,
            reason=_reason(score),
            grades_trainee=graded_role(score.name) == tested,
            items=[
                FeedbackItem(
                    id=item.id,
                    criterion=item.criterion or item.id,
                    result=_result(item),
                    met=item.met,
                    explanation=item.explanation,
                    evidence=list(item.evidence),
                )
                for item in score.items
            ],
        )
        for score in session.scores
    ]


def _turns(session: Session, tested: str) -> list[FeedbackTurn]:
    cited: dict[int, list[str]] = {}
    for score in session.scores:
        for item in score.items:
            for index in item.evidence:
                cited.setdefault(index, []).append(f"{score.name}/{item.id}")
    return [
        FeedbackTurn(
            index=turn.index,
            role=turn.role.value,
            content=turn.content,
            tested=turn.role.value == tested,
            cited=cited.get(turn.index, []),
        )
        for turn in session.turns
    ]


def _answer(session: Session) -> list[AnswerField]:
    consultation = session.consultation
    if consultation is not None:
        given = consultation.diagnosis_given or ""
        correct = consultation.correct
        rows = [
            AnswerField(
                "diagnosis",
                given or "none given",
                consultation.gold_diagnosis,
                "" if correct is None else ("yes" if correct else "no"),
            )
        ]
        if consultation.differential_given:
            rank = next(
                (
                    i + 1
                    for i, name in enumerate(consultation.differential_given)
                    if name == consultation.matched_name
                ),
                None,
            )
            rows.append(
                AnswerField(
                    "differential",
                    "; ".join(consultation.differential_given),
                    consultation.gold_diagnosis,
                    f"gold ranked {rank}" if rank else "gold not listed",
                )
            )
        rows.append(
            AnswerField("tests ordered", "; ".join(consultation.tests_ordered) or "none", "", "")
        )
        return rows
    score = next((s for s in session.scores if s.name == "formulation"), None)
    rows = []
    if score is not None:
        for entry in score.details.get("comparison") or []:
            value = entry.get("value")
            rows.append(
                AnswerField(
                    str(entry.get("field", "")),
                    str(entry.get("given") or "left empty"),
                    str(entry.get("gold", "")),
                    "" if value is None else f"{float(value):.2f}",
                )
            )
    return rows


def _safety_flags(session: Session) -> list[str]:
    flags: list[str] = []
    for score in session.scores:
        failed = score.details.get("hard_fail")
        if failed and "safety" in score.name:
            flags.append(f"{score.name}: {', '.join(map(str, failed))} not met")
    outcome = session.counseling
    if outcome is not None:
        for event in outcome.risk_events:
            what = event.flag.replace("_", " ")
            handled = {True: "handled", False: "not handled", None: "not judged"}[event.handled]
            flags.append(f"turn {event.turn}: the client disclosed {what} ({handled})")
    return flags


def session_feedback(session: Session) -> SessionFeedback:
    """The feedback view of a (scored or unscored) session record."""
    kind = kind_named(session.kind)
    tested = kind.tested_role.value
    scores = _scores(session, tested)
    axes = [s.value for s in scores if s.grades_trainee and s.value is not None]
    outcome = session.counseling
    return SessionFeedback(
        session=session,
        tested_role=tested,
        subject_label=kind.subject_field.removesuffix("s"),
        ended=session.termination_reason.value if session.termination_reason else "not ended",
        facts=_facts(session),
        overall=fmean(axes) if axes else None,
        scores=scores,
        answer=_answer(session),
        next_steps=next_steps(session),
        turns=_turns(session, tested),
        trust=list(outcome.trust) if outcome is not None else [],
        safety_flags=_safety_flags(session),
    )
