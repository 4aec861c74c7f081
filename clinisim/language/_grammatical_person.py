"""Grammatical person: turn a clinician's note about a patient into the patient's words.

Notes are written in the third person ("She has had a cough for a week", "The
patient reports pain") or, in some simulators, in the second person addressed to
an actor ("You have had a cough"). The patient speaks in the first person, so
subjects, possessives and verb agreement change together: "she keeps" becomes
"I keep", never "I keeps".
"""

from __future__ import annotations

import re

__all__ = ["base_form", "fix_first_person_agreement", "second_to_first", "third_to_first"]

_IRREGULAR = {
    "has": "have",
    "is": "am",
    "does": "do",
    "goes": "go",
    "doesn't": "don't",
    "isn't": "am not",
    "hasn't": "haven't",
    "was": "was",
    "wasn't": "wasn't",
}
# Words ending in "s" that are not third-person verbs.
_NOT_VERBS = frozenset(
    {
        "always",
        "sometimes",
        "perhaps",
        "was",
        "less",
        "unless",
        "thus",
        "this",
        "its",
        "yes",
        "as",
        "us",
        "across",
        "nevertheless",
        "afterwards",
        "towards",
        "nowadays",
        "ones",
        "bus",
        "gas",
        "is",
        "has",
        "does",
        "goes",
    }
)
_ADVERBS = (
    r"(?:also|still|often|usually|never|rarely|sometimes|occasionally|always|only|now|"
    r"regularly|just|really|normally|generally|mostly|frequently|already|even|then)"
)


def base_form(verb: str) -> str:
    """The first-person form of a third-person singular verb (``keeps`` → ``keep``)."""
    lower = verb.lower()
    if lower in _IRREGULAR:
        fixed = _IRREGULAR[lower]
    elif lower.endswith("ies") and len(lower) > 4:
        fixed = lower[:-3] + "y"
    elif re.search(r"(ss|sh|ch|x|zz|o)es$", lower):
        fixed = lower[:-2]
    elif lower.endswith("s") and not lower.endswith("ss") and lower not in _NOT_VERBS:
        fixed = lower[:-1]
    else:
        fixed = lower
    return fixed.capitalize() if verb[:1].isupper() else fixed


_AGREEMENT = re.compile(
    rf"\bI((?:\s+{_ADVERBS})?)\s+(has|is|does|goes|doesn't|isn't|hasn't|[a-z]+(?:ies|es|s))\b"
)


_COORDINATED = re.compile(
    r"\b(and|or|but)\s+((?:now|also|still|often|then|usually)\s+)?(has|is|does|goes|drinks|smokes|takes|uses|lives|works|walks|eats|"
    r"feels|gets|keeps|needs|wants|likes|sleeps|wakes|vomits|coughs|notices|finds|plays|"
    r"runs|cycles|swims|travels|enjoys|avoids|stays|spends|looks|cares)\b"
)


def fix_first_person_agreement(text: str) -> str:
    """Repair "I keeps", "I often has", "I is" after a subject was replaced by "I"."""

    def repair(match: re.Match[str]) -> str:
        adverb, verb = match.group(1), match.group(2)
        if verb.lower() in _NOT_VERBS - {"has", "is", "does", "goes"}:
            return match.group(0)
        return f"I{adverb} {base_form(verb)}"

    text = _AGREEMENT.sub(repair, text)
    if re.match(r"^I\b", text):
        text = _COORDINATED.sub(
            lambda m: f"{m.group(1)} {m.group(2) or ''}{base_form(m.group(3))}", text
        )
    return re.sub(r"\bI am\b(?=\s+not\b)", "I'm", text)


_RELATIVES = (
    r"(?:mother|father|mum|mom|dad|brother|sister|son|daughter|grandfather|grandmother|"
    r"grandparents?|uncle|aunt|cousin|parents|siblings?|husband|wife|partner|children|"
    r"child|family|twin|nephew|niece)"
)
_SUBJECT_PREFIX = re.compile(
    r"^(?:the patient|patient|pt|she|he|they)\s+"
    r"(?:(?:also|further)\s+)?(?:reports|states|says|notes|complains of|mentions|"
    r"explains|admits|endorses|tells you)\s+(?:that\s+|having\s+)?",
    re.IGNORECASE,
)


def _replace_keeping_case(pattern: str, replacement: str, text: str) -> str:
    """Replace ``pattern``; a capitalised match gets a capitalised replacement."""

    def swap(match: re.Match[str]) -> str:
        if match.group(0)[:1].isupper() and not replacement.startswith("I"):
            return replacement[:1].upper() + replacement[1:]
        return replacement

    return re.sub(pattern, swap, text, flags=re.IGNORECASE)


def third_to_first(text: str, *, about_relative: bool = False) -> str:
    """A third-person note about the patient in the patient's own voice.

    With ``about_relative`` (family history) only a leading possessive changes:
    in "Mother had her gallbladder removed", "her" is the mother's.
    """
    text = text.strip()
    stripped = _SUBJECT_PREFIX.sub("", text)
    if stripped != text:
        text = stripped[:1].upper() + stripped[1:]
    if about_relative:
        return re.sub(
            rf"^(?:his|her|their|the patient's)\s+(?={_RELATIVES})", "My ", text, flags=re.I
        )
    replacements = (
        (r"\bthe patient's\b", "my"),
        (r"\bthe patient\b", "I"),
        (r"\b(?:he|she)'s\b", "I'm"),
        (r"\b(?:he|she)\b", "I"),
        (
            r"(?<=\s)her\b(?=\s+(?:awake|up|down|out|off|feel|very|so|too|sick|better|worse|"
            r"breathless|tired|dizzy|faint|anxious|cough|vomit|wince|sweat)\b)",
            "me",
        ),
        (r"\b(?:his|her)\b(?=\s+(?:own\s+)?[a-z])", "my"),
        (r"\bhers\b|\bhis\b", "mine"),
        (r"\bhim\b|\bher\b", "me"),
        (r"\b(?:himself|herself)\b", "myself"),
    )
    for pattern, replacement in replacements:
        text = _replace_keeping_case(pattern, replacement, text)
    return fix_first_person_agreement(text)


def second_to_first(text: str) -> str:
    """Text addressed to an actor ("You have had...", "your") in the first person."""
    replacements = (
        (r"\byou are\b", "I am"),
        (r"\byou're\b", "I'm"),
        (r"\byou've\b", "I've"),
        (r"\byou were\b", "I was"),
        (r"\byourself\b", "myself"),
        (r"\byours\b", "mine"),
        (r"\byour\b", "my"),
        (r"\byou\b", "I"),
    )
    for pattern, replacement in replacements:
        text = _replace_keeping_case(pattern, replacement, text)
    # "I" after a verb or preposition was an object: "told I" -> "told me".
    text = re.sub(
        r"\b(to|with|for|at|from|gave|give|told|tell|asked|ask|about|sent|sends|bring|brought|"
        r"take|took|make|made|help|helped|let|see|saw|examine|examined)\s+I\b",
        r"\1 me",
        text,
        flags=re.IGNORECASE,
    )
    return text
