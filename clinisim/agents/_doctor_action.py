"""Turn a doctor's reply into a typed action.

Accepted forms, tried in order:

1. a JSON object anywhere in the text (optionally in a code fence):
   ``{"action": "ask"|"order"|"diagnose", "text"|"question": ..., "test": ...,
   "diagnosis": ..., "differential": [...]}``;
2. AgentClinic's tags: ``REQUEST TEST: <name>`` (also ``REQUEST EXAM:``) orders a
   test or exam, ``DIAGNOSIS READY: <diagnosis>`` ends with a diagnosis (a list after
   it, separated by commas, semicolons or numbers, is a ranked differential);
3. plain prose: a question to the patient.

Empty or garbled text returns ``None`` so the caller re-asks.
"""

from __future__ import annotations

import json
import re
from typing import Any

from clinisim.agents._reply_quality import usable_utterance
from clinisim.schemas import ActionKind, DoctorAction

__all__ = ["parse_doctor_action"]

_DIAGNOSIS_TAG = re.compile(r"DIAGNOSIS\s+READY\s*:(.*)", re.IGNORECASE | re.DOTALL)
_ORDER_TAG = re.compile(
    r"REQUEST\s+(?:TEST|EXAM|EXAMINATION|PHYSICAL\s+EXAM)\s*:\s*([^\n]+)", re.IGNORECASE
)
_FENCE = re.compile(r"```(?:json)?\s*(\{.*?\})\s*```", re.DOTALL)
_JSON_ONLY = re.compile(r"(```(?:json)?\s*)?\{.*\}(\s*```)?", re.DOTALL)
_ALIASES = {
    "ask": ActionKind.ASK,
    "question": ActionKind.ASK,
    "order": ActionKind.ORDER,
    "test": ActionKind.ORDER,
    "request_test": ActionKind.ORDER,
    "exam": ActionKind.ORDER,
    "diagnose": ActionKind.DIAGNOSE,
    "diagnosis": ActionKind.DIAGNOSE,
}


def _json_candidates(text: str) -> list[str]:
    found = [m.group(1) for m in _FENCE.finditer(text)]
    start = text.find("{")
    end = text.rfind("}")
    if start != -1 and end > start:
        found.append(text[start : end + 1])
    return found


def _from_json(data: Any) -> DoctorAction | None:
    if not isinstance(data, dict):
        return None
    kind = _ALIASES.get(str(data.get("action", "")).strip().lower())
    if kind is None:
        return None
    text = str(data.get("text") or data.get("question") or "").strip()
    differential = [str(d).strip() for d in data.get("differential") or [] if str(d).strip()]
    if kind is ActionKind.ASK:
        return DoctorAction(kind=kind, text=text) if usable_utterance(text) else None
    if kind is ActionKind.ORDER:
        test = str(data.get("test") or text).strip()
        return DoctorAction(kind=kind, text=text, test=test) if test else None
    diagnosis = str(data.get("diagnosis") or (differential[0] if differential else "")).strip()
    if not diagnosis:
        return None
    if not differential or differential[0] != diagnosis:
        differential = [diagnosis, *[d for d in differential if d != diagnosis]]
    return DoctorAction(kind=kind, text=text, diagnosis=diagnosis, differential=differential)


def _split_ranked(text: str) -> list[str]:
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    parts = re.split(r"\s*(?:;|,|\d+[.)]\s+)\s*", first_line)
    return [p.strip(" .*\"'") for p in parts if p.strip(" .*\"'")]


def parse_doctor_action(text: str) -> DoctorAction | None:
    """The action in ``text``, or ``None`` if the reply is empty or unusable."""
    if not text or not text.strip():
        return None
    parsed_json = False
    for candidate in _json_candidates(text):
        try:
            data = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        parsed_json = True
        action = _from_json(data)
        if action is not None:
            return action
    diagnosis = _DIAGNOSIS_TAG.search(text)
    if diagnosis:
        ranked = _split_ranked(diagnosis.group(1))
        if not ranked:
            return None  # the tag without a diagnosis: re-ask
        if ranked:
            return DoctorAction(
                kind=ActionKind.DIAGNOSE,
                text=text.strip(),
                diagnosis=ranked[0],
                differential=ranked,
            )
    order = _ORDER_TAG.search(text)
    if order:
        test = order.group(1).strip(" .*\"'")
        if test:
            return DoctorAction(kind=ActionKind.ORDER, text=text.strip(), test=test)
    if parsed_json and _JSON_ONLY.fullmatch(text.strip()):
        return None  # a JSON reply that is not a valid action is re-asked, not read as prose
    utterance = usable_utterance(text)
    if utterance is None:
        return None
    return DoctorAction(kind=ActionKind.ASK, text=utterance)
