"""Importing counseling clients from other simulators: Patient-Ψ and MindEval-style.

Liberal in what is accepted (extra keys, missing optional fields, a list or one
object, JSON or JSON Lines), strict in what is produced: every client that comes
out validates as a ``ClientProfile``. Fields the source lacks get plain, neutral
defaults, and the client's ``source`` names where it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from clinisim.agents import items_for_severity
from clinisim.errors import InputError
from clinisim.language import second_to_first, third_to_first
from clinisim.library._json_entries import convert_entries
from clinisim.schemas import (
    CORE_BELIEFS,
    ClientProfile,
    ConversationalStyle,
    Emotion,
    Severity,
)

__all__ = [
    "CLIENT_FORMATS",
    "ClientImportResult",
    "import_clients",
    "mindeval_client",
    "patient_psi_client",
]

CLIENT_FORMATS = ("patient-psi", "mindeval")


@dataclass
class ClientImportResult:
    """Converted clients and the entries that failed, by line or item number."""

    clients: list[ClientProfile] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)

    def write(self, directory: Path) -> list[Path]:
        """Write each client as ``<id>.yaml`` under ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for client in self.clients:
            path = directory / f"{client.id}.yaml"
            data = client.model_dump(mode="json", exclude_none=True)
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
            written.append(path)
        return written


_EMOTION_WORDS: tuple[tuple[Emotion, tuple[str, ...]], ...] = (
    (Emotion.ANXIOUS, ("anxious", "worried", "fear", "scared", "nervous", "tense", "panic")),
    (Emotion.SAD, ("sad", "down", "unhappy", "lonely", "hurt", "disappointed", "depressed")),
    (Emotion.ANGRY, ("angry", "mad", "irritat", "annoy", "frustrat", "resent")),
    (Emotion.ASHAMED, ("ashamed", "shame", "embarrass", "humiliat")),
    (Emotion.GUILTY, ("guilt",)),
    (Emotion.HOPELESS, ("hopeless", "despair")),
    (Emotion.NUMB, ("numb", "empty")),
)
_WORD = re.compile(r"[a-z]+")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_text(v) for v in value).strip()
    if isinstance(value, dict):
        return " ".join(_text(v) for v in value.values()).strip()
    return str(value).strip()


def _own_words(value: Any) -> str:
    """Source text in the client's voice (third or second person turned to first)."""
    text = _text(value)
    if not text:
        return ""
    if re.match(r"(?i)^(you|your)\b", text):
        return second_to_first(text)
    if re.match(r"(?i)^(the (patient|client|member)|he|she|they)\b", text):
        return third_to_first(text)
    return text[:1].upper() + text[1:]


def _emotions(value: Any) -> list[Emotion]:
    words = _text(value).lower()
    found = [emotion for emotion, keys in _EMOTION_WORDS if any(k in words for k in keys)]
    return found or [Emotion.SAD]


def _belief(category: str, text: str) -> str | None:
    """The option of ``category`` that ``text`` names (exactly, else by shared words)."""
    options = CORE_BELIEFS[category]
    wanted = text.strip().lower().rstrip(".")
    for option in options:
        if option.lower() == wanted:
            return option
    words = set(_WORD.findall(wanted)) - {"i", "am", "a", "an", "the", "to", "be"}
    scored = [(len(words & set(_WORD.findall(o.lower()))), o) for o in options]
    best = max(scored)
    return best[1] if best[0] > 0 else None


def _severity(value: Any) -> Severity:
    text = _text(value).lower()
    for severity in (Severity.SEVERE, Severity.MODERATE, Severity.MILD):
        if severity.value in text:
            return severity
    if any(w in text for w in ("high", "significant", "major")):
        return Severity.SEVERE
    return Severity.NONE if any(w in text for w in ("none", "minimal", "no ")) else Severity.MILD


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "client"


def patient_psi_client(entry: dict[str, Any], client_id: str, source: str) -> ClientProfile:
    """One Patient-Ψ cognitive-model entry as a client profile."""
    beliefs: dict[str, list[str]] = {c: [] for c in CORE_BELIEFS}
    for category in CORE_BELIEFS:
        for text in entry.get(f"{category}_belief") or []:
            option = _belief(category, str(text))
            if option and option not in beliefs[category]:
                beliefs[category].append(option)
    styles = entry.get("type") or []
    style = next(
        (
            s
            for s in (str(x).lower() for x in styles)
            if s in ConversationalStyle.__members__.values()
        ),
        "plain",
    )
    situation = _own_words(entry.get("situation")) or "Something happened recently that upset me."
    history = _own_words(entry.get("history")) or "I'd rather not go into my past."
    core_words = next(
        (str(t) for c in CORE_BELIEFS for t in entry.get(f"{c}_belief") or []),
        "I don't feel good enough.",
    )
    data = {
        "id": client_id,
        "name": _text(entry.get("name")) or "Client",
        "title": f"Imported CBT client: {situation[:60]}",
        "topics": ["imported"],
        "demographics": {"age": 30, "sex": "unspecified"},
        "presenting": {
            "reason": "Things have been getting on top of me lately.",
            "problem": situation,
            "goal": "I'd like to understand why this keeps happening and feel better.",
        },
        "cognitive_model": {
            "history": history,
            "core_beliefs": beliefs,
            "core_belief_words": _own_words(core_words),
            "intermediate_belief": _own_words(entry.get("intermediate_belief"))
            or "I have to keep things under control.",
            "coping_strategies": _own_words(entry.get("coping_strategies"))
            or "I try not to think about it.",
            "situations": [
                {
                    "situation": situation,
                    "automatic_thought": _own_words(entry.get("auto_thought"))
                    or "I can't cope with this.",
                    "emotions": [e.value for e in _emotions(entry.get("emotion"))],
                    "behavior": _own_words(entry.get("behavior")) or "I kept it to myself.",
                }
            ],
        },
        "style": style,
        "severity": _severity_block(Severity.MILD, Severity.MILD),
        "source": source,
        "license": "see source",
    }
    return ClientProfile.model_validate(data)


def _severity_block(depression: Severity, anxiety: Severity) -> dict[str, Any]:
    return {
        "depression": depression.value,
        "anxiety": anxiety.value,
        "phq9": items_for_severity([0] * 9, depression, "PHQ-9"),
        "gad7": items_for_severity([0] * 7, anxiety, "GAD-7"),
    }


_MINDEVAL_BELIEFS = (
    ("helpless", ("failure", "incompetent", "helpless", "weak", "trapped", "control")),
    ("unlovable", ("alone", "unlovable", "rejected", "abandon", "unwanted", "lonely")),
    ("worthless", ("worthless", "bad person", "burden", "don't deserve")),
)


def mindeval_client(entry: dict[str, Any], client_id: str, source: str) -> ClientProfile:
    """One MindEval-style member profile as a client profile."""
    attrs = entry.get("member_attributes") or entry.get("attributes") or entry
    if not isinstance(attrs, dict):
        raise ValueError("member_attributes must be an object")
    narrative = _own_words(entry.get("member_narrative") or attrs.get("member_narrative"))
    outlook = _text(attrs.get("general_outlook")) + " " + _text(attrs.get("thought_process"))
    categories = [c for c, keys in _MINDEVAL_BELIEFS if any(k in outlook.lower() for k in keys)]
    beliefs = {c: [CORE_BELIEFS[c][0]] for c in categories} or {"helpless": ["I am helpless"]}
    style_text = _text(attrs.get("conversation_style")).lower()
    style = next((s.value for s in ConversationalStyle if s.value in style_text), "plain")
    if "brief" in style_text or "guarded" in style_text:
        style = "reserved"
    sex = _text(attrs.get("sex")).lower()
    try:
        age = int(float(_text(attrs.get("age")) or 30))
    except ValueError:
        age = 30
    mood = _own_words(attrs.get("recent_mood")) or "I've been feeling low."
    life = {
        "work": _own_words(
            " ".join(
                filter(
                    None, [_text(attrs.get("profession")), _text(attrs.get("employment_status"))]
                )
            )
        )
        or None,
        "relationships": _own_words(attrs.get("relationship_status")) or None,
        "supports": _own_words(attrs.get("support_system")) or None,
        "sleep": _own_words(attrs.get("sleep_quality")) or None,
        "exercise": _own_words(attrs.get("exercise")) or None,
    }
    data = {
        "id": client_id,
        "name": _text(attrs.get("name")) or "Client",
        "title": f"Imported member: {mood[:60]}",
        "topics": ["imported"],
        "demographics": {
            "age": min(110, max(12, age)),
            "sex": "female"
            if sex.startswith("f")
            else "male"
            if sex.startswith("m")
            else "unspecified",
            "gender": _text(attrs.get("gender_identity")) or None,
            "occupation": _text(attrs.get("profession")) or None,
        },
        "life": {k: v for k, v in life.items() if v},
        "presenting": {
            "reason": mood,
            "problem": narrative.split(". ")[0].rstrip(".") + "." if narrative else mood,
            "goal": _own_words(attrs.get("program_goal")) or "I'd like to feel more like myself.",
        },
        "cognitive_model": {
            "history": narrative or "I'd rather not go into my past.",
            "core_beliefs": beliefs,
            "core_belief_words": _own_words(attrs.get("general_outlook"))
            or "I'm not sure I'm enough.",
            "intermediate_belief": _own_words(attrs.get("thought_process"))
            or "I have to cope on my own.",
            "coping_strategies": _own_words(attrs.get("attitude_towards_mindfulness"))
            or "I keep busy.",
            "situations": [
                {
                    "situation": mood,
                    "automatic_thought": _own_words(attrs.get("thought_process"))
                    or "Nothing is going to change.",
                    "emotions": [e.value for e in _emotions(mood)],
                    "behavior": _own_words(attrs.get("exercise")) or "I stayed in.",
                }
            ],
        },
        "style": style,
        "severity": _severity_block(
            _severity(attrs.get("depressive_symptoms")), _severity(attrs.get("anxious_symptoms"))
        ),
        "source": source,
        "license": "see source",
    }
    return ClientProfile.model_validate(data)


def import_clients(path: Path, fmt: str, prefix: str) -> ClientImportResult:
    """Convert every entry of ``path``; failed entries are reported by number."""
    convert: Callable[[dict[str, Any], str, str], ClientProfile]
    if fmt == "patient-psi":
        convert = patient_psi_client
    elif fmt == "mindeval":
        convert = mindeval_client
    else:
        raise InputError(
            f"unknown format {fmt!r} (supported: {', '.join(CLIENT_FORMATS)})", field="--format"
        )
    seen: set[str] = set()

    def one(number: int, entry: dict[str, Any]) -> ClientProfile:
        raw_id = _text(entry.get("id")) or str(number)
        client_id = _slug(f"{prefix}-{raw_id}")
        while client_id in seen:
            client_id += "-b"
        client = convert(entry, client_id, f"{path.name}:{number}")
        seen.add(client_id)
        return client

    clients, failures = convert_entries(path, one, "client profiles")
    return ClientImportResult(clients=clients, failures=failures)
