"""Turn a case fact, written as a note, into what the patient would say."""

from __future__ import annotations

import re

__all__ = ["first_person", "negative_answer"]

_PRONOUNS = (
    (re.compile(r"\b(he|she|they)\b", re.IGNORECASE), "I"),
    (re.compile(r"\b(his|her|their)\b", re.IGNORECASE), "my"),
    (re.compile(r"\b(him|them)\b", re.IGNORECASE), "me"),
    (re.compile(r"\bhimself|herself|themselves\b", re.IGNORECASE), "myself"),
    (re.compile(r"\bthe patient\b", re.IGNORECASE), "I"),
)
_THIRD_PERSON_VERB = re.compile(
    r"^(smokes|drinks|lives|works|takes|uses|has|is|does|walks|runs|plays|eats|"
    r"cycles|swims|travels|denies|reports|stopped|quit|gave up|never|used to|"
    r"was|had|recently|occasionally|rarely|often|sometimes|started|began|came|went)\b",
    re.IGNORECASE,
)
_VERB_FIX = {
    "smokes": "smoke",
    "drinks": "drink",
    "lives": "live",
    "works": "work",
    "takes": "take",
    "uses": "use",
    "has": "have",
    "is": "am",
    "does": "do",
    "walks": "walk",
    "runs": "run",
    "plays": "play",
    "eats": "eat",
    "cycles": "cycle",
    "swims": "swim",
    "travels": "travel",
    "denies": "don't have",
    "reports": "have",
}
_IT_VERB = re.compile(
    r"^(started|began|came|comes|goes|spreads|radiates|moves|gets|got|is|was|does|has|stays|"
    r"feels|felt|wakes|lasts|lasted|occurs|happens|began|builds|eases|settles)\b",
    re.IGNORECASE,
)
_ADJECTIVE_START = re.compile(
    r"^(worse|better|constant|continuous|intermittent|sharp|dull|heavy|burning|crushing|"
    r"stabbing|throbbing|aching|cramping|tight|squeezing|severe|mild|moderate|"
    r"worst|gradual|sudden|present|there|on and off|like)\b",
    re.IGNORECASE,
)
_PLACE_START = re.compile(
    r"^(centre|center|middle|left|right|lower|upper|front|back|side|top|bottom|whole|both)\b",
    re.IGNORECASE,
)
_PREPOSITION_START = re.compile(
    r"^(in|on|behind|around|across|under|over|at|all over|into|to)\b", re.IGNORECASE
)
_RELATION_START = re.compile(
    r"^(father|mother|dad|mum|mom|brother|sister|son|daughter|grandfather|grandmother|"
    r"uncle|aunt|cousin|parents|husband|wife|partner)\b",
    re.IGNORECASE,
)


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():  # an acronym such as "HIV": keep it
        return text
    return text[:1].lower() + text[1:]


def _pronouns(text: str) -> str:
    for pattern, replacement in _PRONOUNS:
        text = pattern.sub(replacement, text)
    return text


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".;,")
    return text[:1].upper() + text[1:] + "."


def first_person(section: str, label: str, text: str) -> str:
    """The fact as one first-person sentence. It adds no information of its own."""
    body = _pronouns(text.strip())
    lowered = _lower_first(body)
    if section == "medications":
        if re.match(r"^(no|none|nil)\b", body, re.IGNORECASE):
            return _sentence(body)
        if _THIRD_PERSON_VERB.match(body):
            return _sentence(_verb_first(body))
        return _sentence(f"I take {lowered}")
    if section == "allergies":
        if re.match(r"^(no|none|nil|nkda)\b", body, re.IGNORECASE):
            return _sentence(body)
        return _sentence(f"As for allergies, {lowered}")
    if section == "family_history":
        if _RELATION_START.match(body):
            return _sentence(f"My {lowered}")
        return _sentence(f"In my family, {lowered}")
    if section in {"social_history", "past_medical_history"}:
        if _THIRD_PERSON_VERB.match(body):
            return _sentence(_verb_first(body))
        if section == "past_medical_history":
            return _sentence(f"I've had {lowered}")
        return _sentence(body)
    if section == "hpi" or section == "chief_complaint":
        if section == "chief_complaint" or re.match(r"^(i|my|i'm|i've)\b", body, re.IGNORECASE):
            return _sentence(body)
        if label == "severity" and re.match(r"^\d", body):
            return _sentence(f"I'd say {body}")
        if _IT_VERB.match(body):
            return _sentence(f"It {lowered}")
        if _ADJECTIVE_START.match(body):
            return _sentence(f"It's {lowered}")
        if _PLACE_START.match(body):
            return _sentence(f"It's in the {lowered}")
        if _PREPOSITION_START.match(body):
            return _sentence(f"It's {lowered}")
        if label == "associated symptom":
            return _sentence(f"I've also had {lowered}")
        if _THIRD_PERSON_VERB.match(body):
            return _sentence(_verb_first(body))
        return _sentence(body)
    if section == "records":
        return _sentence(f"My notes say: {body}")
    return _sentence(body)


def _verb_first(body: str) -> str:
    word, _, rest = body.partition(" ")
    fixed = _VERB_FIX.get(word.lower(), _lower_first(word))
    return f"I {fixed} {rest}".strip()


def negative_answer(text: str) -> str:
    """A denial of a review-of-systems negative: ``No, no fever.``"""
    symptom = _lower_first(_pronouns(text.strip().rstrip(".")))
    symptom = re.sub(r"^(no|denies)\s+", "", symptom, flags=re.IGNORECASE)
    return f"No, no {symptom}."
