"""Does a fact answer the question asked? Words in common, through lay synonyms.

Nearest-neighbour retrieval alone answers "Have you had any nausea?" with
whatever negative is closest ("No, no coughing up blood"). A fact answers a
question only when it shares a content word with it (medical and lay words
count as the same: "nausea" and "feeling sick"), or when its embedding is very
close.
"""

from __future__ import annotations

import re
from functools import cache

from clinisim.offline.patient._lay_terms import LAY_TERMS

__all__ = ["asked_topic", "content_stems", "names_same_symptom", "shares_content"]

_STOP = frozenset(
    [
        "have",
        "has",
        "had",
        "having",
        "you",
        "your",
        "yours",
        "you've",
        "you're",
        "been",
        "being",
        "any",
        "anything",
        "some",
        "something",
        "how",
        "what",
        "when",
        "where",
        "why",
        "which",
        "who",
        "whom",
        "there",
        "their",
        "they",
        "them",
        "get",
        "gets",
        "got",
        "much",
        "many",
        "more",
        "less",
        "ever",
        "recently",
        "lately",
        "since",
        "about",
        "like",
        "would",
        "could",
        "should",
        "can",
        "will",
        "just",
        "really",
        "very",
        "also",
        "other",
        "else",
        "things",
        "thing",
        "does",
        "did",
        "done",
        "doing",
        "the",
        "and",
        "for",
        "from",
        "with",
        "that",
        "this",
        "these",
        "those",
        "into",
        "onto",
        "over",
        "under",
        "feel",
        "feels",
        "felt",
        "feeling",
        "noticed",
        "notice",
        "noticing",
        "tell",
        "told",
        "know",
        "see",
        "seen",
        "say",
        "said",
        "does",
        "anyone",
        "someone",
        "were",
        "was",
        "are",
        "is",
        "am",
        "been",
        "yes",
        "not",
        "well",
        "okay",
        "then",
        "than",
        "too",
        "all",
        "each",
        "every",
        "lot",
        "little",
        "bit",
        "before",
        "after",
        "during",
        "while",
        "because",
        "make",
        "makes",
        "made",
        "take",
        "took",
        "going",
        "goes",
        "went",
        "come",
        "came",
        "comes",
        "right",
        "left",
        "pain",
        "pains",
        "painful",
        "ache",
        "aching",
        "symptom",
        "symptoms",
        "problem",
        "problems",
        "trouble",
        "side",
        "anywhere",
    ]
)
_WORD = re.compile(r"[a-z][a-z'-]+")
_REVERSE: dict[str, str] = {}
for _medical, _lay in LAY_TERMS.items():
    _REVERSE.setdefault(_lay, _medical)
_EXTRA_SYNONYMS: dict[str, tuple[str, ...]] = {
    "sick": ("nausea", "vomit", "queasy"),
    "vomit": ("sick", "threw up", "throwing up"),
    "breath": ("breathless", "dyspnoea"),
    "breathless": ("short of breath", "shortness of breath"),
    "lost": ("loss",),
    "losing": ("loss",),
    "knock": ("injury",),
    "a fall": ("injury",),
    "pee": ("urine", "urinat", "wee"),
    "urine": ("pee", "wee", "urinat"),
    "tummy": ("abdomen", "abdominal", "belly", "stomach"),
    "belly": ("tummy", "abdomen", "abdominal", "stomach"),
    "stomach": ("tummy", "belly", "abdomen", "abdominal"),
    "temperature": ("fever", "feverish", "hot"),
    "fever": ("temperature", "feverish", "shiver"),
    "faint": ("dizzy", "light-headed", "passed out"),
    "dizzy": ("faint", "light-headed", "spinning"),
    "heart": ("palpitations", "pounding", "racing"),
    "poo": ("stool", "bowel"),
    "stool": ("poo", "bowel"),
}


_SUFFIX = re.compile(r"(?<=[a-z]{3})(?:ing|ed|ness)$")


def _stem(word: str) -> str:
    """A word's first five letters after -ing, -ed and -ness: "passing" and "pass"
    meet, as do "coughing" and "cough"."""
    word = _SUFFIX.sub("", word)
    return word[:5] if len(word) > 5 else word


@cache
def content_stems(text: str) -> frozenset[str]:
    """Stems of the content words of ``text``, widened with lay and medical synonyms."""
    lowered = text.lower()
    expanded = [lowered]
    for medical, lay in LAY_TERMS.items():
        if medical in lowered:
            expanded.append(lay)
        if lay in lowered:
            expanded.append(medical)
    for word, synonyms in _EXTRA_SYNONYMS.items():
        if word in lowered:
            expanded.extend(synonyms)
    stems = {
        _stem(w.strip("'-"))
        for chunk in expanded
        for w in _WORD.findall(chunk)
        if len(w) >= 3 and w not in _STOP
    }
    return frozenset(stems)


def shares_content(question: str, fact_text: str) -> bool:
    """Whether the fact shares a content word with the question."""
    return bool(content_stems(question) & content_stems(fact_text))


_PLACE_WORDS = [
    "chest",
    "head",
    "back",
    "belly",
    "tummy",
    "abdomen",
    "abdominal",
    "stomach",
    "leg",
    "legs",
    "arm",
    "arms",
    "throat",
    "neck",
    "eye",
    "eyes",
    "ear",
    "ears",
    "skin",
    "joint",
    "joints",
    "knee",
    "knees",
    "foot",
    "feet",
    "hand",
    "hands",
    "face",
    "mouth",
    "nose",
    "tongue",
    "lips",
    "bladder",
    "bowel",
    "bowels",
    "lung",
    "lungs",
    "side",
    "ankle",
    "ankles",
]
_PLACES = frozenset().union(*(content_stems(w) for w in _PLACE_WORDS))
_PAIN = re.compile(
    r"\b(pain|pains|painful|ache|aches|aching|hurt|hurts|hurting|sore|stings?|stinging|"
    r"burns?|burning)\b",
    re.I,
)
_LIST_JOIN = re.compile(r",\s*(?:or\s+|and\s+)?|\s+(?:or|and|nor)\s+", re.I)


_NOT_SYMPTOM = frozenset(
    ("no", "denies", "without", "recent", "new", "previous", "history", "significant", "any")
)


def _core_stems(text: str) -> frozenset[str]:
    """A symptom's own words, stemmed: no synonyms, no body parts; pain as one word."""
    stems = {
        _stem(w.strip("'-"))
        for w in _WORD.findall(text.lower())
        if len(w) >= 3 and w not in _STOP and w not in _NOT_SYMPTOM
    }
    stems -= _PLACES
    if _PAIN.search(text):
        stems.add("<pain>")
    return frozenset(stems)


def _stems_with_pain(text: str) -> set[str]:
    stems = set(content_stems(text))
    if _PAIN.search(text):
        stems.add("<pain>")
    return stems


def names_same_symptom(question: str, fact_text: str, *, close: bool = False) -> bool:
    """Whether a denial of ``fact_text`` answers ``question``.

    Each item of a listed-absent fact ("nausea or vomiting" has two) is a symptom.
    The denial answers when every word of one item is in the question, through lay
    synonyms, body parts aside: "any chest pain?" and "does your chest hurt?" are
    answered by "chest pain"; "any cough?" is not answered by "coughing up blood".
    When the two are ``close`` in meaning (by embedding), differing words are let
    through unless both sides have their own ("does your chest feel tight?" is not
    answered by "chest pain").
    """
    asked = _stems_with_pain(question)
    asked_core = _core_stems(question)
    for item in _LIST_JOIN.split(fact_text):
        core = _core_stems(item)
        if not core:
            if shares_content(question, item):  # a body part alone
                return True
            continue
        if core <= asked:
            return True
        if close and (not (asked_core - _stems_with_pain(item)) or not (core - asked)):
            return True
    return False


_LEAD = re.compile(
    r"^(?:and\s+|so\s+)?(?:have|has|do|does|did|are|is|were|was)\s+(?:you)\s+(?:ever\s+)?"
    r"(?:(?P<verb>had|have|noticed|notice|felt|feel|get|got|been feeling|been having|been|"
    r"seen|found|experienced|suffered from|suffer from)\s+)?(?:any\s+)?",
    re.IGNORECASE,
)
_PARTICIPLES = frozenset(
    [
        "lost",
        "gained",
        "put",
        "had",
        "become",
        "developed",
        "noticed",
        "felt",
        "got",
        "been",
        "gone",
        "seen",
        "taken",
        "made",
        "kept",
        "left",
        "fallen",
        "run",
        "thought",
        "brought",
        "caught",
        "drunk",
        "eaten",
        "slept",
        "given",
        "found",
        "grown",
        "hurt",
        "broken",
        "driven",
        "flown",
        "forgotten",
        "ridden",
        "spoken",
        "thrown",
        "worn",
        "coughed",
        "vomited",
    ]
)
_KNOWLEDGE = re.compile(
    r"^(?:what(?:'s| is| was)|do you know|how (?:high|low) is)\s+(?:your)\s+(?P<thing>[a-z' -]{2,40})$",
    re.IGNORECASE,
)
_TAIL = re.compile(
    r"\s+(?:at all|lately|recently|at the moment|these days|with it|with this|before this"
    r"|since then|as well|too)$",
    re.IGNORECASE,
)


def _mine(text: str) -> str:
    text = re.sub(r"\byour\b", "my", text, flags=re.IGNORECASE)
    text = re.sub(r"\byourself\b", "myself", text, flags=re.IGNORECASE)
    text = re.sub(
        r"\byou\b(?=\s+(?:\w+ly\s+)?(?:used|have|had|are|were|do|did|can|could|would|will|"
        r"feel|felt|get|got|like|enjoy|need|want|take|eat|drink|go|went|know|think)\b)",
        "I",
        text,
        flags=re.IGNORECASE,
    )
    return re.sub(r"\byou\b", "me", text, flags=re.IGNORECASE)


def asked_topic(question: str) -> str | None:
    """What a yes-or-no or knowledge question asks about, in the patient's words.

    "Have you had any pain in your shoulder?" → "pain in my shoulder"; "Have you
    felt dizzy?" → "feeling dizzy"; "What is your cholesterol?" → "my cholesterol".
    ``None`` when the question has another shape.
    """
    text = question.strip().rstrip("?.! ")
    knowledge = _KNOWLEDGE.match(text)
    if knowledge:
        return f"my {knowledge.group('thing').strip()}"
    lead = _LEAD.match(text)
    if lead is None or lead.end() == 0:
        return None
    topic = _TAIL.sub("", text[lead.end() :]).strip(" ,")
    if not topic or len(topic.split()) > 9:
        return None
    if re.search(r",|\b(?:are|do|have|is|can) you\b", topic, re.IGNORECASE):
        return None  # two questions in one: no single topic
    verb = (lead.group("verb") or "").lower()
    first_word = topic.split()[0].lower()
    if not verb and (first_word.endswith("ed") or first_word in _PARTICIPLES):
        return None  # "Have you lost interest...": no noun to name
    if not verb and re.match(r"^(?:and\s+|so\s+)?(?:do|does|did)\b", text, re.IGNORECASE):
        first, _, rest = topic.partition(" ")
        stem = first[:-1] if first.endswith("e") and not first.endswith("ee") else first
        topic = f"{stem}ing {rest}".strip()
    elif verb in {"felt", "feel", "been feeling"}:
        topic = f"feeling {topic}"
    elif verb == "been":
        topic = f"being {topic}"
    return _mine(topic)
