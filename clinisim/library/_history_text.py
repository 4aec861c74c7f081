"""Free-text patient history, split into facts and filed where they belong.

Other simulators hand the patient actor one paragraph ("The patient reports
sudden crushing chest pain that began one hour ago while walking. She denies
fever, cough or palpitations. On examination the abdomen was tender."). A
consultation needs it as facts: "when did it start?" must find the onset.

Each sentence is split off and filed under one field of the case (onset,
duration, location, character, aggravating and relieving factors, radiation,
timing, severity, associated symptoms, past history, medications, allergies,
social and family history). Denied items become review-of-systems negatives,
one per item. Text that reads as an exam or test finding ("tender on
palpation", "noticed upon examination", a lab value) is kept from the patient:
it becomes an examiner-only finding. Third- and second-person text gets the
patient's own first-person words as ``says``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from clinisim.language import (
    PolarClause,
    fix_first_person_agreement,
    list_items,
    polar_clauses,
    second_to_first,
    third_to_first,
)
from clinisim.schemas import HPI_FIELDS

__all__ = [
    "FINDING_PATTERN",
    "HistoryParts",
    "occupation_in",
    "reads_as_finding",
    "split_sentences",
    "structure",
]

Person = Literal["third", "second"]

FINDING_PATTERN = re.compile(
    r"\b(?:on|upon|during|at) (?:physical )?exam(?:ination)?\b|\bexamination (?:shows|showed|"
    r"revealed|reveals|found)\b|\bnoticed (?:up)?on (?:exam|examination|assessment)\b|"
    r"\bon (?:palpation|auscultation|percussion|inspection)\b|\b(?:tender|tenderness) (?:to|on) "
    r"palpation\b|\bauscultation\b|\bpalpable\b|\bmurmur\b|\bcrackles\b|\brales\b|\bbruit\b|"
    r"\b(?:positive|negative) [A-Z]?[a-z]+'?s? sign\b|\bsign (?:is|was) (?:positive|negative)\b|"
    r"\breflex(?:es)? (?:is|are|was|were)\b|\blab(?:oratory)? (?:results?|tests?|values?)\b|"
    r"\b(?:blood tests?|bloods|imaging|x-?ray|ct|mri|ultrasound|ecg|ekg|biopsy|culture|"
    r"urinalysis) (?:show|shows|showed|revealed|reveals|demonstrated|found)\b|"
    r"\b\d+(?:\.\d+)?\s*(?:mg/dl|mmol/l|g/dl|g/l|x\s?10\^?\d|×\s?10|mmhg|bpm|beats per minute|"
    r"breaths per minute|iu/l|u/l|µmol/l|umol/l|meq/l|ng/ml|pg/ml|mu/l)\b|"
    r"\b(?:temperature|heart rate|pulse|blood pressure|respiratory rate|oxygen saturation|"
    r"spo2|bmi) (?:of|is|was)\s+\d|\b(?:vital signs|vitals)\b|\bwas found to\b|\bwere found\b|"
    r"\bfundoscopy\b|\bpupils? (?:is|are|were|was)\b",
    re.IGNORECASE,
)
"""Wording that marks an exam or test finding rather than something the patient says."""


def reads_as_finding(text: str) -> bool:
    """Whether ``text`` reads as an exam or test finding, not a patient's account."""
    return FINDING_PATTERN.search(text) is not None


_FIELD_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "family_history",
            r"\b(?:mother|father|mum|dad|sister|brother|sibling|parents?|family|"
            r"aunt|uncle|grand(?:mother|father|parent)s?|cousin|twin)\b(?!\s+(?:doctor|gp))",
        ),
        ("allergies", r"\ballerg"),
        (
            "medications",
            r"\b(?:takes|taking|took|medications?|medicines?|prescribed|tablets?|"
            r"\d+\s*(?:mg|mcg|micrograms|units)\b|inhaler|pill|insulin|supplements?|"
            r"over-the-counter|contracepti|hormone replacement|antibiotics?)\b",
        ),
        (
            "social_history",
            r"\b(?:smok\w*|cigarettes?|pack-years?|tobacco|vap\w*|alcohol|"
            r"drinks? (?:beer|wine|spirits|socially|alcohol|heavily|occasionally|\d)|units|"
            r"recreational|drug use|illicit|works? (?:as|in|at)|employed|unemployed|retired|"
            r"occupation|job|lives? (?:with|alone|in)|married|divorced|widowed|partner|travel\w*|"
            r"sexual\w*|exercise\w*|diet)\b",
        ),
        (
            "past_medical_history",
            r"\b(?:history of|diagnosed with|previous(?:ly)?|prior|"
            r"known|past medical|underwent|operation|surgery|hospitali[sz]ed|admitted|"
            r"since childhood|as a child)\b",
        ),
        (
            "onset",
            r"\b(?:started|starting|began|begun|onset|came on|come on|first noticed|"
            r"ago|yesterday|this morning|last night|last week|suddenly|gradually|woke)\b",
        ),
        (
            "duration",
            r"\b(?:for (?:the )?(?:past |last )?(?:\d+|a|an|one|two|three|four|five|"
            r"six|seven|eight|nine|ten|several|few|many) (?:minutes?|hours?|days?|weeks?|months?|"
            r"years?)|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|few) "
            r"(?:minutes?|hours?|days?|weeks?|months?|years?) of|lasting|lasted|lasts)\b",
        ),
        (
            "radiation",
            r"\b(?:radiat\w*|spreads?|spreading|moves? (?:to|into|down|up)|moved to|"
            r"goes (?:to|down|up|into|through)|shoots?|travels? (?:to|down))\b",
        ),
        (
            "aggravating",
            r"\b(?:worse (?:with|when|on|after|by|if|lying|at)|worsen(?:s|ed)? "
            r"(?:with|when|by|on)|aggravat\w*|exacerbat\w*|brought on by|triggered by|makes? it "
            r"worse)\b",
        ),
        (
            "relieving",
            r"\b(?:better (?:with|when|after|if|on)|reliev\w*|eases? (?:with|when|"
            r"after)|improves? (?:with|when|after|on)|helps?|alleviat\w*|settles? (?:with|on))\b",
        ),
        (
            "severity",
            r"\b(?:\d+\s*/\s*10|\d+ out of (?:10|ten)|severity|worst (?:pain|headache)"
            r"|excruciating|unbearable)\b",
        ),
        (
            "character",
            r"\b(?:sharp|dull|burning|crushing|stabbing|throbbing|pressure-like|"
            r"pressure|tight(?:ness)?|aching|cramp\w*|colicky|squeez\w*|tearing|pulsating|"
            r"gnawing|describes? (?:it|the \w+) as|feels? like|like a)\b",
        ),
        (
            "timing",
            r"\b(?:constant|continuous|intermittent|comes and goes|on and off|episodes?|"
            r"attacks?|every|daily|nightly|at night|in the mornings?|after meals|recurrent)\b",
        ),
        (
            "location",
            r"\b(?:located|in (?:the|his|her|their|my|your) (?:\w+ ){0,2}(?:chest|"
            r"abdomen|belly|stomach|head|back|leg|legs|arm|arms|side|flank|groin|knee|neck|throat|"
            r"ear|eye|foot|hand|calf|shoulder|joint)|(?:left|right) (?:side|upper|lower))\b",
        ),
    )
)
_HPI_FIELDS = frozenset(HPI_FIELDS)
_SUBJECT_LEAD = re.compile(
    r"^(?:the patient|patient|pt|he|she|they|you)\s+(?:also\s+)?(?:reports?|states?|says?|"
    r"notes?|complains? of|mentions?|endorses?|admits? to)\s+"
    r"(?:that\s+|having\s+)?",
    re.IGNORECASE,
)
_DEMOGRAPHIC = re.compile(
    r"^(?:the patient|patient|he|she|you)\s+(?:is|are)\s+an?\s+\d{1,3}[- ]year[- ]old\b",
    re.IGNORECASE,
)
_OCCUPATION = re.compile(
    r"\b(?:works? as an?|employed as an?|job as an?)\s+([a-z][a-z -]{2,40}?)(?:[.,;]|$| who| and)",
    re.IGNORECASE,
)
_HABIT = re.compile(r"\b(?:smok|drink|alcohol|cigar|lives?|married|vap|drug|travel)", re.I)


@dataclass
class HistoryParts:
    """A history, filed by field. Each fact is a dict ready for the case schema."""

    hpi: dict[str, dict[str, Any]] = field(default_factory=dict)
    associated: list[dict[str, Any]] = field(default_factory=list)
    context: list[dict[str, Any]] = field(default_factory=list)
    past_medical_history: list[dict[str, Any]] = field(default_factory=list)
    medications: list[dict[str, Any]] = field(default_factory=list)
    allergies: list[dict[str, Any]] = field(default_factory=list)
    social_history: list[dict[str, Any]] = field(default_factory=list)
    family_history: list[dict[str, Any]] = field(default_factory=list)
    ros_positives: list[dict[str, Any]] = field(default_factory=list)
    ros_negatives: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    """Exam or test findings found in the patient's text: examiner-only."""
    occupation: str | None = None
    presenting: str | None = None
    """What the patient presents with, when a demographic sentence says it
    ("You are a 30-year-old woman presenting with a rash on your arm")."""


_PRESENTING = re.compile(
    r"\b(?:presenting with|presents with|who presents with|complaining of|with a history of|"
    r"who has|with)\s+(.+?)\.?$",
    re.IGNORECASE,
)


def split_sentences(text: str) -> list[str]:
    """Sentences of a free-text history (abbreviations like "e.g." and decimals kept)."""
    text = re.sub(r"\s+", " ", text.strip())
    parts = re.split(r"(?<=[.!?;])\s+(?=[A-Z0-9\"'(])|\s*\n+\s*", text)
    return [p.strip() for p in parts if len(re.findall(r"[A-Za-z]", p)) >= 2]


def _fact(sentence: str, person: Person) -> dict[str, Any]:
    """A fact with the patient's own words when the note is not already in them."""
    text = sentence.strip().rstrip(";").strip()
    rest = _SUBJECT_LEAD.sub("", text)
    stripped = rest != text
    if stripped:
        rest = rest[:1].upper() + rest[1:]
    says = second_to_first(rest) if person == "second" else third_to_first(rest)
    if stripped and not re.match(
        r"^(?:i|my|it|the|this|that|he|she|they|[a-z]+(?:s|ed))\b", rest, re.IGNORECASE
    ):
        # "The patient reports sudden chest pain ...": the rest is what they have.
        says = fix_first_person_agreement(f"I've had {says[:1].lower() + says[1:]}")
    if says.strip(" .") == text.strip(" ."):
        return {"text": text}
    return {"text": text, "says": says[:1].upper() + says[1:]}


def _classify(sentence: str, default: str) -> str:
    for name, pattern in _FIELD_RULES:
        if pattern.search(sentence):
            if name in _HPI_FIELDS and default not in ("hpi", "associated"):
                continue  # "Hypertension for ten years" in a past-history section stays there
            return name
    return default


def structure(
    text: str, *, default: str = "hpi", person: Person = "third", parts: HistoryParts | None = None
) -> HistoryParts:
    """File every sentence of ``text``; ``default`` is the field of unclassified sentences
    (``hpi``: an associated symptom or context; or a section name such as
    ``past_medical_history``)."""
    parts = parts or HistoryParts()
    for raw in split_sentences(text):
        if _DEMOGRAPHIC.match(raw):
            occupation = _OCCUPATION.search(raw)
            if occupation and parts.occupation is None:
                parts.occupation = occupation.group(1).strip()
            presenting = _PRESENTING.search(raw)
            if presenting and parts.presenting is None:
                parts.presenting = presenting.group(1).strip()
            continue
        if reads_as_finding(raw):
            parts.findings.append(raw.rstrip("."))
            continue
        sentence = _SUBJECT_LEAD.sub("", raw)
        affirmed = []
        clauses = polar_clauses(sentence)
        if any(c.negated and _QUALIFIER.match(c.text) for c in clauses):
            clauses = [PolarClause(sentence, False)]  # "gaining weight without eating more"
        for clause in clauses:
            if not clause.negated and _too_short(clause.text):
                continue  # "She" before "denies ..."
            if clause.negated and default in ("hpi", "review_of_systems", "associated"):
                for item in list_items(_strip_cue(clause.text)):
                    item = _strip_item(_strip_cue(item))
                    if item and len(item.split()) <= 8:
                        parts.ros_negatives.append(item)
            else:
                affirmed.append(clause)
        if not affirmed:
            continue
        if len(affirmed) < len(clauses):
            sentence = ", ".join(c.text for c in affirmed if not c.negated)
            if not sentence.strip():
                continue
        _file(raw if sentence == _SUBJECT_LEAD.sub("", raw) else sentence, default, person, parts)
    return parts


_QUALIFIER = re.compile(r"^(?:without|except)\b", re.IGNORECASE)
"""A negated clause that qualifies ("without eating more") rather than denies symptoms."""


def _too_short(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z']+", text) if w.lower() not in _PRONOUNS]
    return len(words) < 1


_PRONOUNS = frozenset(
    [
        "he",
        "she",
        "they",
        "you",
        "i",
        "patient",
        "the",
        "and",
        "but",
        "also",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "is",
        "are",
        "was",
        "were",
    ]
)


def _strip_item(text: str) -> str:
    """ "have a fever" → "fever": what is denied, without verb or article."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(
            r"^(?:have|has|had|got|get|any|a|an|experienced|noticed|report(?:ed|s)?)\s+",
            "",
            text,
            flags=re.IGNORECASE,
        )
    return text.strip(" .")


def occupation_in(text: str) -> str | None:
    """The occupation a sentence names ("works as a teacher"), if any."""
    match = _OCCUPATION.search(text)
    return match.group(1).strip() if match else None


def _strip_cue(text: str) -> str:
    return re.sub(
        r"^(?:(?:has|have|had|does|do|did|is|are|was|were)(?:n't| not)\s+(?:had\s+|have\s+|"
        r"noticed\s+|experienced\s+|got\s+)?|no|not|never|denies|denied|deny|without|none|nil|"
        r"negative for|free of|absence of)\b\s*(?:any\s+)?",
        "",
        text.strip(),
        flags=re.IGNORECASE,
    )


def _file(sentence: str, default: str, person: Person, parts: HistoryParts) -> None:
    name = _classify(sentence, default)
    fact = _fact(sentence, person)
    if name == "social_history":
        occupation = _OCCUPATION.search(sentence)
        if occupation and parts.occupation is None:
            parts.occupation = occupation.group(1).strip()
    if name in _HPI_FIELDS:
        if name not in parts.hpi:
            parts.hpi[name] = fact
        else:
            parts.context.append(fact)
        return
    if name in ("hpi", "associated"):
        target = parts.associated if len(sentence.split()) <= 12 else parts.context
        target.append(fact)
        return
    if name == "review_of_systems":
        parts.ros_positives.append(fact)
        return
    if name == "social_history" and default == "social_history" and parts.occupation is None:
        words = sentence.strip(" .").split()
        if 1 <= len(words) <= 4 and not _HABIT.search(sentence):
            parts.occupation = sentence.strip(" .").lower()
            return
    getattr(parts, name).append(fact)
