"""The history the baseline doctor takes, adapted to the chief complaint.

Each item has a few natural phrasings; the doctor picks one per session turn with
its seeded generator, so wording varies across seeds without changing content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clinisim.schemas import Condition

__all__ = [
    "AGE",
    "OPENING",
    "SEX",
    "HistoryItem",
    "about_child",
    "authored_questions",
    "history_plan",
    "is_pain_complaint",
]


@dataclass(frozen=True)
class HistoryItem:
    """One thing to ask, with alternative phrasings."""

    id: str
    phrasings: tuple[str, ...]
    about_child: tuple[str, ...] = ()
    """Phrasings for a parent answering for a child, where they differ; ``{child}``
    stands for "she", "he" or "your child"."""

    def phrasings_for(self, spoken_for: bool, sex: str | None = None) -> tuple[str, ...]:
        if not (spoken_for and self.about_child):
            return self.phrasings
        child = {"female": "she", "male": "he"}.get(sex or "", "your child")
        return tuple(p.replace("{child}", child) for p in self.about_child)


OPENING = HistoryItem(
    "opening",
    (
        "Hello, I'm the doctor seeing you today. What brings you in?",
        "Hi there, I'm one of the doctors. What's brought you in today?",
        "Good to meet you, I'm the doctor on duty. How can I help you today?",
    ),
)

AGE = HistoryItem(
    "age",
    ("Can I just check how old you are?", "First of all, how old are you?"),
    ("Can I just check how old {child} is?",),
)
SEX = HistoryItem(
    "sex",
    (
        "For my notes, could you confirm whether you are male or female?",
        "Can I check, for the record, whether you are male or female?",
    ),
    ("And is your child a boy or a girl?",),
)
"""Asked only when a question the doctor wants to put depends on the patient's sex."""

_PAIN_ITEMS = (
    HistoryItem(
        "onset",
        (
            "When did it start, and how did it come on?",
            "When did this begin? Did it come on suddenly or gradually?",
        ),
    ),
    HistoryItem("location", ("Where exactly do you feel it?", "Can you show me where it is?")),
    HistoryItem("radiation", ("Does it spread anywhere else?", "Does the pain go anywhere else?")),
    HistoryItem("character", ("What does it feel like?", "How would you describe the feeling?")),
    HistoryItem(
        "severity", ("How bad is it, out of ten?", "On a scale of one to ten, how severe is it?")
    ),
    HistoryItem("duration", ("How long has it been going on?", "How long has it lasted so far?")),
    HistoryItem(
        "timing",
        (
            "Is it constant, or does it come and go?",
            "Is it there all the time or does it come and go?",
        ),
    ),
    HistoryItem(
        "aggravating", ("Does anything make it worse?", "Is there anything that makes it worse?")
    ),
    HistoryItem("relieving", ("Does anything make it better?", "Has anything helped it?")),
)
_GENERAL_ITEMS = (
    HistoryItem("onset", ("When did this start?", "When did you first notice it?")),
    HistoryItem("duration", ("How long has it been going on?", "How long have you had it?")),
    HistoryItem(
        "timing",
        (
            "Is it there all the time, or does it come and go?",
            "Is it constant or does it come and go?",
        ),
    ),
    HistoryItem("severity", ("How bad is it, out of ten?", "How severe would you say it is?")),
    HistoryItem(
        "aggravating", ("Does anything make it worse?", "Is there anything that makes it worse?")
    ),
    HistoryItem("relieving", ("Does anything make it better?", "Has anything helped?")),
    HistoryItem("location", ("Where do you notice it most?", "Where is it worst?")),
)
_BACKGROUND_ITEMS = (
    HistoryItem(
        "associated", ("Have you noticed any other symptoms?", "Any other symptoms alongside this?")
    ),
    HistoryItem(
        "past_medical_history",
        ("Do you have any medical conditions?", "Have you had any medical problems in the past?"),
        ("Has {child} had any medical problems in the past?",),
    ),
    HistoryItem(
        "medications",
        ("What medications do you take?", "Are you taking any medications at the moment?"),
        ("Is {child} taking any medicines at the moment?",),
    ),
    HistoryItem(
        "allergies",
        ("Do you have any allergies?", "Any allergies to medicines?"),
        ("Does {child} have any allergies?",),
    ),
    HistoryItem(
        "social_history",
        (
            "Do you smoke or drink alcohol, and what do you do for work?",
            "Tell me a bit about your work, smoking and alcohol.",
        ),
        (
            "Does anyone smoke at home, and does {child} go to nursery or school?",
            "Tell me a bit about home: does anyone smoke, and is there nursery or school?",
        ),
    ),
    HistoryItem(
        "family_history",
        ("Does anything run in your family?", "Any illnesses that run in the family?"),
    ),
)
_PAIN = re.compile(r"\b(pain|pains|ache|aching|hurts?|sore|tender|cramp|headache|tight)", re.I)


def is_pain_complaint(text: str) -> bool:
    """Whether the chief complaint is pain (which adds location and radiation)."""
    return _PAIN.search(text) is not None


def history_plan(chief_complaint: str) -> list[HistoryItem]:
    """The ordered history items for this chief complaint (opening excluded)."""
    items = _PAIN_ITEMS if is_pain_complaint(chief_complaint) else _GENERAL_ITEMS
    return [AGE, *items, *_BACKGROUND_ITEMS]


_CHILD_LEADS = (
    (r"^Have you\b", "Has {p}"),
    (r"^Do you\b", "Does {p}"),
    (r"^Are you\b", "Is {p}"),
    (r"^Did you\b", "Did {p}"),
    (r"^Can you\b", "Can {p}"),
)


def about_child(question: str, sex: str) -> str | None:
    """A question to the patient, put to a parent about a child of this sex ("Have
    you been sick?" → "Has she been sick?"); ``None`` when it cannot be put that way
    without rewriting it (a second "you" that would need its verb changed)."""
    subject, possessive, reflexive = (
        ("she", "her", "herself") if sex == "female" else ("he", "his", "himself")
    )
    text = question
    for pattern, replacement in _CHILD_LEADS:
        text = re.sub(pattern, replacement.format(p=subject), text)
    text = re.sub(r"\byourself\b", reflexive, text)
    text = re.sub(r"\byour\b", possessive, text)
    if re.search(r"\byou\b", text, re.IGNORECASE):
        return None
    return text


def authored_questions(conditions: Mapping[str, Condition] | None = None) -> set[str]:
    """Every sentence the offline doctor can say when asking: the history items'
    phrasings (child forms included) and the knowledge base's questions."""
    items: Iterable[HistoryItem] = (
        OPENING,
        AGE,
        SEX,
        *_PAIN_ITEMS,
        *_GENERAL_ITEMS,
        *_BACKGROUND_ITEMS,
    )
    out: set[str] = set()
    for item in items:
        out.update(item.phrasings)
        for sex in ("female", "male", None):
            out.update(item.phrasings_for(True, sex))
    for condition in (conditions or {}).values():
        for finding in (*condition.findings, *condition.against):
            if finding.ask:
                out.add(finding.ask)
                for sex in ("female", "male"):
                    child_form = about_child(finding.ask, sex)
                    if child_form:
                        out.add(child_form)
    return out
