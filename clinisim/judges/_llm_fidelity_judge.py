"""Patient fidelity judged by a model: each statement labelled against the case.

The judge sees every fact of the case except the diagnosis, and the patient's
statements numbered; it must label every statement ``supported``,
``contradicted`` or ``unsupported`` in JSON. Strict parsing, bounded re-asks,
then ``unscored``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from clinisim.agents import ChatModel, PromptTemplate
from clinisim.errors import RuntimeFailure
from clinisim.schemas import ItemResult, PatientCase, Role, Score, Session

__all__ = ["FIDELITY_PROMPT", "LLMFidelityJudge"]

FIDELITY_PROMPT = PromptTemplate.load("fidelity-judge", "1", __file__)
_LABELS = ("supported", "contradicted", "unsupported")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


class LLMFidelityJudge:
    """A session judge: the model labels each patient statement against the case."""

    def __init__(self, model: ChatModel) -> None:
        self.model = model

    @staticmethod
    def _parse(text: str, count: int) -> list[str] | None:
        match = re.search(r"\{.*\}", text, re.DOTALL)
        try:
            data: Any = json.loads(match.group(0)) if match else None
        except json.JSONDecodeError:
            return None
        rows = data.get("labels") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            return None
        labels: dict[int, str] = {}
        for row in rows:
            if (
                isinstance(row, dict)
                and isinstance(row.get("n"), int)
                and row.get("label") in _LABELS
            ):
                labels[row["n"]] = row["label"]
        if set(labels) != set(range(1, count + 1)):
            return None
        return [labels[n] for n in range(1, count + 1)]

    async def __call__(self, session: Session, case: PatientCase) -> Score:
        base = {
            "name": "patient-fidelity",
            "version": FIDELITY_PROMPT.version,
            "judge_model": self.model.model,
            "prompt_hash": FIDELITY_PROMPT.hash,
        }
        statements = [
            (turn.index, sentence.strip())
            for turn in session.turns
            if turn.role in (Role.PATIENT, Role.CLIENT)
            for sentence in _SENTENCE.split(turn.content)
            if len(sentence.split()) >= 2
        ]
        if not statements:
            return Score(
                **base,
                value=None,
                status="unscored",
                details={"reason": "no patient statements to check"},
            )
        facts = "\n".join(
            f"- {f.label}: {f.text}" for f in case.facts() if f.section != "diagnosis"
        )
        numbered = "\n".join(f"{n}. {text}" for n, (_, text) in enumerate(statements, start=1))
        prompt = FIDELITY_PROMPT.render(facts=facts, statements=numbered)
        try:
            labels, usage = await self.model.chat(
                [{"role": "user", "content": prompt}], lambda t: self._parse(t, len(statements))
            )
        except RuntimeFailure as exc:
            return Score(**base, value=None, status="unscored", details={"reason": exc.one_line()})
        items = [
            ItemResult(
                id=f"s{n}",
                criterion=text,
                met=label == "supported",
                explanation=label,
                evidence=[index],
            )
            for n, ((index, text), label) in enumerate(
                zip(statements, labels, strict=True), start=1
            )
        ]
        count = len(labels)
        return Score(
            **base,
            value=labels.count("supported") / count,
            items=items,
            details={
                "statements": count,
                "supported": labels.count("supported"),
                "contradicted": labels.count("contradicted"),
                "unsupported": labels.count("unsupported"),
                "hallucination_rate": labels.count("unsupported") / count,
                "contradiction_rate": labels.count("contradicted") / count,
                "usage": usage.model_dump(),
            },
        )
