"""The model-judged diagnosis moderator (AgentClinic style), reported separately.

It asks a model whether the doctor's diagnosis and the gold diagnosis are the same
disease and accepts only a clear yes or no; anything else is re-asked a bounded
number of times and then recorded ``unscored``.
"""

from __future__ import annotations

import re

from clinisim.agents import ChatModel, PromptTemplate
from clinisim.errors import RuntimeFailure
from clinisim.schemas import ItemResult, PatientCase, Score, Session

__all__ = ["MODERATOR_PROMPT", "DiagnosisModerator", "parse_yes_no"]

MODERATOR_PROMPT = PromptTemplate.load("diagnosis-moderator", "1", __file__)
_YES_NO = re.compile(r"^\W*(yes|no)\b", re.IGNORECASE)


def parse_yes_no(text: str) -> bool | None:
    """``True`` for an answer starting with yes, ``False`` for no, else ``None``."""
    match = _YES_NO.match(text.strip())
    return None if match is None else match.group(1).lower() == "yes"


class DiagnosisModerator:
    """A session judge scoring ``diagnosis-moderator``: 1 if the model says same disease."""

    def __init__(self, model: ChatModel) -> None:
        self.model = model

    async def __call__(self, session: Session, case: PatientCase) -> Score:
        base = {
            "name": "diagnosis-moderator",
            "version": MODERATOR_PROMPT.version,
            "judge_model": self.model.model,
            "prompt_hash": MODERATOR_PROMPT.hash,
        }
        given = session.diagnosis_turn()
        if given is None or not given[1].diagnosis:
            return Score(
                **base,
                value=0.0,
                items=[
                    ItemResult(
                        id="same-disease",
                        criterion="Same disease as the gold diagnosis",
                        met=False,
                        explanation="no diagnosis was given",
                    )
                ],
            )
        turn, action = given
        prompt = MODERATOR_PROMPT.render(gold=case.diagnosis.name, given=action.diagnosis or "")
        try:
            same, usage = await self.model.chat([{"role": "user", "content": prompt}], parse_yes_no)
        except RuntimeFailure as exc:
            return Score(**base, value=None, status="unscored", details={"reason": exc.one_line()})
        return Score(
            **base,
            value=1.0 if same else 0.0,
            details={"usage": usage.model_dump()},
            items=[
                ItemResult(
                    id="same-disease",
                    criterion="Same disease as the gold diagnosis",
                    met=same,
                    evidence=[turn.index],
                    explanation=f"{action.diagnosis!r} vs {case.diagnosis.name!r}",
                )
            ],
        )
