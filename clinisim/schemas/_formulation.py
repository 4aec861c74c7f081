"""A formulation: what a counselor (a model, or a trainee) concludes about a client's
cognitive model, to be compared with the hidden one in the client's profile."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from clinisim.schemas._base import StrictModel
from clinisim.schemas._session import Emotion

__all__ = ["Formulation"]


class Formulation(StrictModel):
    """The parts of a CBT formulation that can be checked against a profile."""

    core_belief_categories: list[Literal["helpless", "unlovable", "worthless"]] = Field(
        default_factory=list
    )
    emotions: list[Emotion] = Field(default_factory=list)
    situation: str = ""
    automatic_thought: str = ""
    behavior: str = ""
    author: str = ""
    """Who wrote it: a model string, or a trainee's name."""
