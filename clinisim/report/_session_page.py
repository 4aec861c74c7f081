"""One session's feedback as a self-contained HTML page (``clinisim view``).

The page shows the outcome, three things to do differently (the tested role's
missed items with the most points, then its lowest scales), every score with its
items and evidence links, and the transcript with the cited turns highlighted.
It is rendered from ``templates/session.html.j2`` with Jinja2 (autoescaped).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clinisim.engine import kind_named, write_atomic
from clinisim.errors import InputError
from clinisim.judges import load_rubric
from clinisim.report._templates import report_templates
from clinisim.schemas import ItemResult, Rubric, Score, Session

__all__ = [
    "PAGES_DIR",
    "NextStep",
    "SessionLink",
    "next_steps",
    "render_session_page",
    "write_session_pages",
]

PAGES_DIR = "pages"
"""Where the run report puts one feedback page per session, beside ``report.html``."""

NEXT_STEPS = 3


@dataclass(frozen=True)
class NextStep:
    """Something to do differently, with the turns that show it."""

    text: str
    evidence: list[int] = field(default_factory=list)
    weight: float = 0.0


def _result(item: ItemResult) -> str:
    if item.met is True:
        return "met"
    if item.met is False:
        return "not met"
    if item.value is not None:
        return f"{item.value:.2f}".rstrip("0").rstrip(".")
    return item.status


def _rubric(score: Score) -> Rubric | None:
    try:
        return load_rubric(score.name)
    except InputError:  # a built-in judge without a rubric file, or a removed rubric
        return None


def next_steps(session: Session, limit: int = NEXT_STEPS) -> list[NextStep]:
    """The tested role's most valuable misses: unmet items by points, then low scales."""
    tested = kind_named(session.kind).tested_role.value
    steps: list[NextStep] = []
    for score in session.scores:
        rubric = _rubric(score)
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


def _scores(session: Session) -> list[dict[str, Any]]:
    out = []
    for score in session.scores:
        out.append(
            {
                "name": score.name,
                "version": score.version,
                "judge": score.judge_model,
                "value": None if score.value is None else f"{score.value:.2f}",
                "reason": score.details.get("reason")
                or (
                    f"hard fail: {', '.join(score.details['hard_fail'])}"
                    if score.details.get("hard_fail")
                    else ""
                ),
                "rows": [
                    {
                        "id": item.id,
                        "criterion": item.criterion,
                        "result": _result(item),
                        "explanation": item.explanation,
                        "evidence": item.evidence,
                    }
                    for item in score.items
                ],
            }
        )
    return out


def _turns(session: Session, tested: str) -> list[dict[str, Any]]:
    cited: dict[int, list[str]] = {}
    for score in session.scores:
        for item in score.items:
            for index in item.evidence:
                cited.setdefault(index, []).append(f"{score.name}/{item.id}")
    return [
        {
            "index": turn.index,
            "role": turn.role.value,
            "content": turn.content,
            "tested": turn.role.value == tested,
            "cited": cited.get(turn.index, []),
        }
        for turn in session.turns
    ]


def render_session_page(session: Session, *, steps: Sequence[NextStep] | None = None) -> str:
    """The whole page as one HTML document with no external resources."""
    kind = kind_named(session.kind)
    template = report_templates().get_template("session.html.j2")
    return template.render(
        title=f"clinisim session {session.session_id}",
        session=session,
        subject_label=kind.subject_field.removesuffix("s"),
        ended=session.termination_reason.value if session.termination_reason else "not ended",
        facts=_facts(session),
        next_steps=list(steps) if steps is not None else next_steps(session),
        scores=_scores(session),
        turns=_turns(session, kind.tested_role.value),
    )


@dataclass(frozen=True)
class SessionLink:
    """A session as the run report lists it, with the path of its page."""

    href: str
    session_id: str
    model: str
    subject: str
    status: str
    passed: str


def write_session_pages(sessions: Sequence[Session], directory: Path) -> list[SessionLink]:
    """Write every session's feedback page into ``directory``; the links, in order."""
    from clinisim.runner import status_of

    directory.mkdir(parents=True, exist_ok=True)
    links = []
    for session in sessions:
        kind = kind_named(session.kind)
        path = directory / f"{session.session_id}.html"
        write_atomic(path, render_session_page(session))
        value = kind.success.value(session)
        links.append(
            SessionLink(
                href=f"{directory.name}/{path.name}",
                session_id=session.session_id,
                model=session.models.get(kind.tested_role.value, "unknown"),
                subject=session.case_id,
                status=status_of(session).value,
                passed="yes" if value == 1.0 else "no",
            )
        )
    return links
