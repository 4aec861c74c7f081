"""Rubric judges played by a language model: items, checklists and scales.

The judge sees the numbered transcript and the rubric, and must answer with JSON.
Parsing is strict: every item id must be graded (a boolean ``met``, evidence turn
indices within the transcript) and every scale must get an integer inside its
range. A reply that fails is re-asked a bounded number of times by the model
layer; if it still fails, the score is recorded ``unscored`` with the reason. It
never becomes a default value.
"""

from __future__ import annotations

import json
import re
from typing import Any

from clinisim.agents import ChatModel, PromptTemplate
from clinisim.errors import RuntimeFailure
from clinisim.judges._rubric_scoring import judged_score
from clinisim.schemas import ItemResult, PatientCase, Rubric, RubricItem, Score, Session

__all__ = ["RUBRIC_JUDGE_PROMPT", "SCALE_JUDGE_PROMPT", "LLMRubricJudge", "presenting_text"]

RUBRIC_JUDGE_PROMPT = PromptTemplate.load("rubric-judge", "2", __file__)
SCALE_JUDGE_PROMPT = PromptTemplate.load("scale-judge", "2", __file__)

SETTINGS = {"consultation": "clinical consultation", "counseling": "counseling session"}
"""How the scale prompt names a session of each kind."""


def presenting_text(subject: Any) -> str:
    """What ``applies_when`` words are looked for in: a case's chief complaint; a
    counseling client's presenting problem."""
    if isinstance(subject, PatientCase):
        return subject.chief_complaint.text
    presenting = getattr(subject, "presenting", None)
    return str(getattr(presenting, "problem", "")) if presenting is not None else ""


_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


def _json_object(text: str) -> dict[str, Any] | None:
    match = _OBJECT.search(text)
    if not match:
        return None
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def _transcript(session: Session) -> str:
    return "\n".join(f"[{t.index}] {t.role.value}: {t.content}" for t in session.turns)


class LLMRubricJudge:
    """A session judge that asks a model to grade ``rubric``."""

    def __init__(self, rubric: Rubric, model: ChatModel) -> None:
        self.rubric = rubric
        self.model = model
        self.prompt = SCALE_JUDGE_PROMPT if rubric.kind == "scale" else RUBRIC_JUDGE_PROMPT

    def _criteria(self, items: list[RubricItem]) -> str:
        if self.rubric.kind == "scale":
            lines = []
            for scale in self.rubric.scales:
                anchors = "; ".join(
                    f"{band}: {text}" for band, text in sorted(scale.anchors.items())
                )
                lines.append(
                    f"- {scale.id} ({scale.name}, {scale.range[0]}-{scale.range[1]}): {anchors}"
                )
            return "\n".join(lines)
        return "\n".join(f"- {i.id}: {i.criterion}" for i in items)

    def _parse_items(
        self, text: str, turns: int, items: list[RubricItem]
    ) -> list[ItemResult] | None:
        data = _json_object(text)
        rows = data.get("items") if data else None
        if not isinstance(rows, list):
            return None
        by_id = {str(r.get("id")): r for r in rows if isinstance(r, dict)}
        results = []
        for item in items:
            row = by_id.get(item.id)
            if row is None or not isinstance(row.get("met"), bool):
                return None
            evidence = row.get("evidence", [])
            if not isinstance(evidence, list) or not all(
                isinstance(e, int) and 0 <= e < turns for e in evidence
            ):
                return None
            results.append(
                ItemResult(
                    id=item.id,
                    criterion=item.criterion,
                    met=row["met"],
                    points=item.points,
                    tags=list(item.tags),
                    explanation=str(row.get("explanation", "")),
                    evidence=sorted(evidence),
                )
            )
        return results

    def _parse_scales(self, text: str) -> list[ItemResult] | None:
        data = _json_object(text)
        rows = data.get("scores") if data else None
        if not isinstance(rows, list):
            return None
        by_id = {str(r.get("id")): r for r in rows if isinstance(r, dict)}
        results = []
        for scale in self.rubric.scales:
            row = by_id.get(scale.id)
            value = row.get("score") if row else None
            if isinstance(value, bool) or not isinstance(value, int):
                return None
            if not scale.range[0] <= value <= scale.range[1]:
                return None
            results.append(
                ItemResult(
                    id=scale.id,
                    criterion=scale.name,
                    value=float(value),
                    tags=list(scale.tags),
                    explanation=str(row.get("explanation", "")) if row else "",
                )
            )
        return results

    async def __call__(self, session: Session, subject: Any) -> Score:
        items = self.rubric.items_for(presenting_text(subject))
        prompt = self.prompt.render(
            role=self.rubric.role,
            setting=SETTINGS.get(session.kind, f"{session.kind} session"),
            criteria=self._criteria(items),
            transcript=_transcript(session),
        )
        messages = [{"role": "user", "content": prompt}]
        turns = len(session.turns)
        base = {
            "name": self.rubric.name,
            "version": self.rubric.version,
            "judge_model": self.model.model,
            "prompt_hash": self.prompt.hash,
        }
        try:
            if self.rubric.kind == "scale":
                results, usage = await self.model.chat(messages, self._parse_scales)
            else:
                results, usage = await self.model.chat(
                    messages, lambda t: self._parse_items(t, turns, items)
                )
        except RuntimeFailure as exc:
            return Score(
                **base,
                value=None,
                status="unscored",
                details={"reason": exc.one_line(), "usage": _usage(exc)},
            )
        details: dict[str, Any] = {"kind": self.rubric.kind, "usage": usage.model_dump()}
        return judged_score(self.rubric, results, base, details)


def _usage(exc: RuntimeFailure) -> dict[str, Any] | None:
    usage = getattr(exc, "usage", None)
    return usage.model_dump() if usage is not None else None
