"""What a doctor's question asks about: split utterances, map questions to fact kinds."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["QuestionIntent", "intent_of", "split_questions"]

# Fact-id prefixes (see PatientCase.facts) that a question's keywords point to.
_INTENT_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("demographics.age", ("how old", "your age", "her age", "his age", "date of birth")),
    (
        "demographics.sex",
        ("male or female", "female or male", "your sex", "boy or a girl", "girl or a boy"),
    ),
    (
        "demographics.occupation",
        (
            "for work",
            "for a living",
            "occupation",
            "your job",
            "do you work",
            "what job",
            "your work",
        ),
    ),
    ("hpi.onset", ("when did", "start", "began", "begin", "come on", "came on", "first notice")),
    ("hpi.radiation", ("spread", "radiat", "go anywhere", "move anywhere", "anywhere else")),
    (
        "hpi.location",
        (
            "where is",
            "where does",
            "where do you",
            "where exactly",
            "which part",
            "point to",
            "location",
            "show me where",
            "where it is",
        ),
    ),
    ("hpi.duration", ("how long", "duration", "lasted", "lasting")),
    (
        "hpi.character",
        ("feel like", "describe", "what kind", "what sort", "what type", "character", "sharp or"),
    ),
    ("hpi.aggravating", ("worse", "aggravat", "trigger")),
    (
        "hpi.relieving",
        ("better", "relieve", "help", "eases", "ease it", "tried anything", "taken anything"),
    ),
    (
        "hpi.timing",
        (
            "constant",
            "come and go",
            "comes and goes",
            "all the time",
            "how often",
            "timing",
            "pattern",
        ),
    ),
    (
        "hpi.severity",
        ("how bad", "scale", "severe", "out of 10", "out of ten", "severity", "how intense"),
    ),
    (
        "hpi.associated",
        ("other symptom", "anything else", "else have you noticed", "associated", "any other"),
    ),
    ("hpi.context", ("doing when", "what happened", "lead up", "before it", "leading up")),
    (
        "medications",
        ("medication", "medicine", "tablet", "pill", "drug", "prescri", "inhaler", "taking any"),
    ),
    ("allergies", ("allerg",)),
    (
        "past_medical_history",
        (
            "medical history",
            "medical condition",
            "medical problem",
            "health problem",
            "problems in the past",
            "operation",
            "surgery",
            "past history",
            "conditions",
            "diagnosed with",
            "been in hospital",
        ),
    ),
    (
        "family_history",
        ("family", "parents", "mother", "father", "siblings", "run in", "relatives"),
    ),
    (
        "social_history",
        (
            "smok",
            "drink",
            "alcohol",
            "live with",
            "living with",
            "living situation",
            "home",
            "drugs",
            "recreational",
            "exercise",
            "diet",
            "travel",
        ),
    ),
    (
        "records",
        (
            "letter",
            "discharge",
            "previous note",
            "records",
            "last time you saw",
            "gp said",
            "seen before",
        ),
    ),
)

_OPENING = re.compile(
    r"(what brings you|how can i help|what can i do for you|what seems to be|"
    r"what.s (the|been) (problem|matter|trouble)|tell me what.s (going on|happened)|"
    r"what happened|why have you come|how are you feeling)",
    re.IGNORECASE,
)
_DIAGNOSIS_PROBE = re.compile(
    r"(diagnos|what do you (think|have)|what (is|'s) wrong with you|what condition|"
    r"what (illness|disease)|do you know what (it|this) is|what.s causing)",
    re.IGNORECASE,
)
_RESULT_PROBE = re.compile(
    r"(result|what did (the|your) .{0,40}(show|say|find)|(ecg|ekg|x-ray|xray|scan|ct|mri|"
    r"blood test|troponin|ultrasound|biopsy).{0,30}(show|result|find|normal|reveal)|"
    r"(your|the) (blood pressure|heart rate|pulse|temperature|oxygen))",
    re.IGNORECASE,
)
_CONSENT = re.compile(r"(can|may) i (examine|have a look|listen|check|take)", re.IGNORECASE)


@dataclass(frozen=True)
class QuestionIntent:
    """The kind of question and the fact-id prefixes it asks about."""

    kind: str
    """``opening``, ``diagnosis_probe``, ``result_probe``, ``consent``, ``facts`` or ``open``."""
    prefixes: tuple[str, ...] = ()


def split_questions(utterance: str) -> list[str]:
    """Split a doctor's utterance into its questions (at least one part)."""
    parts = re.split(r"(?<=\?)\s+|;\s+|\.\s+(?=[A-Z])", utterance.strip())
    out = [p.strip() for p in parts if p and len(re.findall(r"[A-Za-z]", p)) >= 2]
    return out or [utterance.strip()]


_SUBORDINATE = re.compile(
    r"(?<=\w)\s*,?\s+\b(?:before|after|when|since|while|because|if|until)\b.*$"
)
_YES_NO_SUBJECT = re.compile(
    r"^(?:has|have|does|do|did|is|are|was|were)\s+(?P<subject>the\s+\w+|your\s+\w+|my\s+\w+)"
)
_ABOUT_THE_COMPLAINT = re.compile(
    r"\b(?:pain|ache|headache|discomfort|feeling|symptoms?|problem|it|this|attacks?|episodes?)$"
)
_HPI_PREFIX = "hpi."


def _main_clause(text: str) -> str:
    """The question without a trailing subordinate clause ("... before it started")."""
    return _SUBORDINATE.sub("", text)


def intent_of(question: str) -> QuestionIntent:
    """Classify one question.

    Keywords count only in the main clause: "Did you have a cut before it
    started?" is not about onset. A yes-or-no question about something other than
    the complaint ("Has the redness been spreading?") is not about its
    radiation: it is answered from the facts that share its words.
    """
    text = _main_clause(question.lower().strip())
    if _DIAGNOSIS_PROBE.search(text):
        return QuestionIntent("diagnosis_probe")
    if _RESULT_PROBE.search(text):
        return QuestionIntent("result_probe")
    if _OPENING.search(text):
        return QuestionIntent("opening", ("chief_complaint",))
    if _CONSENT.search(text) and not any(
        w in text for prefix, words in _INTENT_KEYWORDS[:3] for w in words
    ):
        return QuestionIntent("consent")
    prefixes = tuple(prefix for prefix, words in _INTENT_KEYWORDS if any(w in text for w in words))
    subject = _YES_NO_SUBJECT.match(text)
    if subject and not _ABOUT_THE_COMPLAINT.search(subject.group("subject")):
        prefixes = tuple(p for p in prefixes if not p.startswith(_HPI_PREFIX))
    # The more specific section wins: "allergies to medicines" is about allergies,
    # "illnesses in the family" about family history.
    for specific, general in (
        ("allergies", "medications"),
        ("family_history", "past_medical_history"),
    ):
        if specific in prefixes:
            prefixes = tuple(p for p in prefixes if p != general)
    if prefixes:
        demographic = tuple(p for p in prefixes if p.startswith("demographics."))
        others = tuple(p for p in prefixes if not p.startswith("demographics."))
        return QuestionIntent("facts", (*demographic, *others[:2]))
    return QuestionIntent("open")
