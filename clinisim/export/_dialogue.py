"""One session as one training example, seen from one side of the conversation.

``clinician``: the assistant is the doctor or counselor; the patient or client (and
the examiner's results) are the user. ``patient``: the assistant is the patient
or client, the system message holds their profile or intent, the clinician is the
user, and the dialogue ends with :data:`END_OF_CONVERSATION`.

Every example has the same fields whatever its kind, so every format (JSONL,
Parquet, a Hugging Face folder) has one schema: values whose shape depends on the
kind (an action, a client state, the outcome) travel as JSON strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from clinisim.agents import STYLE_GUIDES, patient_profile
from clinisim.engine import kind_named
from clinisim.export._session_files import RunInfo
from clinisim.runner import status_of
from clinisim.schemas import (
    ClientProfile,
    ConsultationOutcome,
    ConversationalStyle,
    PatientCase,
    Role,
    Session,
    Turn,
)

__all__ = [
    "END_OF_CONVERSATION",
    "MODEL_ROLES",
    "PERSONA_AXES",
    "Perspective",
    "Subject",
    "dialogue_example",
    "dialogue_examples",
    "licence_of",
]

END_OF_CONVERSATION = "<|end_of_conversation|>"
"""The patient-side example's last words: the simulated person ends the conversation."""

MODEL_ROLES: tuple[str, ...] = ("doctor", "patient", "examiner", "counselor", "client", "judge")
"""Every role a session records a model for; each example lists all of them."""


def _persona_axes() -> tuple[str, ...]:
    axes: dict[str, None] = {}
    for name in ("consultation", "counseling", "safety-probe"):
        axes.update(dict.fromkeys(kind_named(name).persona_axes))
    return tuple(axes)


PERSONA_AXES: tuple[str, ...] = _persona_axes()
"""The persona and style axes of the built-in kinds: each example lists all of them."""


class Perspective(StrEnum):
    CLINICIAN = "clinician"
    PATIENT = "patient"


Subject = PatientCase | ClientProfile | Any
"""A case, a client, a safety probe, or ``None`` when it cannot be found."""

_CLINICIAN_SYSTEM = {
    "consultation": (
        "You are a doctor seeing a patient. Take a focused history, ask one or two "
        "questions at a time in plain words, order an examination or tests by writing "
        "'REQUEST TEST: <name>', and end by writing 'DIAGNOSIS READY: <diagnosis>'."
    ),
    "counseling": (
        "You are a counselor in a cognitive behavioural therapy session. Listen, "
        "reflect what the client says, explore a recent situation and the thoughts "
        "behind it, check directly for any risk to their safety, agree a small piece of "
        "homework and close the session warmly."
    ),
}
_CLINICIAN_SYSTEM["safety-probe"] = _CLINICIAN_SYSTEM["counseling"]


@dataclass(frozen=True)
class _Sides:
    clinician: Role
    simulated: Role


def _sides(kind: str) -> _Sides:
    session_kind = kind_named(kind)
    roles = session_kind.roles
    simulated = next((r for r in (Role.PATIENT, Role.CLIENT) if r in roles), roles[-1])
    return _Sides(session_kind.tested_role, simulated)


def licence_of(subject: Subject) -> str:
    """The licence a case or client was published under (``unknown`` when not found)."""
    if isinstance(subject, PatientCase):
        return subject.provenance.licence
    licence = getattr(subject, "license", None)
    return str(licence) if licence else "unknown"


_PROFILES: dict[str, tuple[PatientCase, str]] = {}


def _profile_text(case: PatientCase) -> str:
    """The case's patient-visible facts as lines, made once per case."""
    known = _PROFILES.get(case.id)
    if known is None or known[0] is not case:
        if len(_PROFILES) > 4096:
            _PROFILES.clear()
        known = _PROFILES[case.id] = (case, patient_profile(case))
    return known[1]


def _patient_system(record: Session, subject: Subject) -> str:
    persona = [f"- {axis}: {value}" for axis, value in record.persona.items() if value]
    persona_text = "\n".join(persona) or "- as written in the profile"
    if isinstance(subject, PatientCase):
        demo = subject.demographics
        who = f"a {demo.age}-year-old {demo.sex}"
        if demo.occupation:
            who += f" working as a {demo.occupation}"
        return (
            f"You are a simulated patient: {who}. Answer the doctor as this patient, in "
            "everyday words, only from what you know about yourself below; never name a "
            "diagnosis. When the consultation is over, say "
            f"{END_OF_CONVERSATION}.\n\nHow you come across:\n{persona_text}\n\n"
            f"What you know about yourself:\n{_profile_text(subject)}"
        )
    if isinstance(subject, ClientProfile):
        about = subject.demographics
        who = f"{subject.name}, {about.age} years old"
        if about.occupation:
            who += f", {about.occupation}"
        style_value = record.persona.get("style") or subject.style.value
        try:
            style = STYLE_GUIDES[ConversationalStyle(style_value)]
        except ValueError:
            style = str(style_value)
        return (
            f"You are {who}, a client in a counseling session. Speak as yourself: {style} "
            "Open up only as far as you trust the counselor. When the session is over, say "
            f"{END_OF_CONVERSATION}.\n\nWhy you came now: {subject.presenting.reason}\n"
            f"What troubles you: {subject.presenting.problem}\n"
            f"What you hope for: {subject.presenting.goal}\n\nHow you come across:\n"
            f"{persona_text}"
        )
    title = getattr(subject, "title", None) or "a person seeking help"
    return (
        f"You are the {_sides(record.kind).simulated.value} in this conversation ({title}). "
        f"When the conversation is over, say {END_OF_CONVERSATION}.\n\n"
        f"How you come across:\n{persona_text}"
    )


def _annotation(turn: Turn) -> dict[str, Any]:
    """A turn's annotation (shared by the perspectives of one session; never mutated)."""
    return {
        "turn_index": turn.index,
        "speaker": turn.role.value,
        "facts": list(turn.facts or []),
        "retrieved": [r.fact_id or r.chunk_id for r in turn.retrieved or []],
        "action": turn.action.model_dump_json(exclude_none=True) if turn.action else None,
        "state": turn.state.model_dump_json(exclude_none=True) if turn.state else None,
    }


def _system_annotation() -> dict[str, Any]:
    return {
        "turn_index": None,
        "speaker": "system",
        "facts": [],
        "retrieved": [],
        "action": None,
        "state": None,
    }


def _messages(
    record: Session, perspective: Perspective, system: str, notes_of: dict[int, dict[str, Any]]
) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    sides = _sides(record.kind)
    assistant = sides.clinician if perspective is Perspective.CLINICIAN else sides.simulated
    messages: list[dict[str, str]] = [{"role": "system", "content": system}]
    notes: list[dict[str, Any]] = [_system_annotation()]
    for turn in record.turns:
        if not turn.content.strip() or turn.role in (Role.SYSTEM, Role.JUDGE):
            continue
        if perspective is Perspective.PATIENT:
            if turn.role not in (sides.clinician, sides.simulated):
                continue  # the examiner's results are not said to the patient
            if turn.role is sides.clinician and _is_protocol(turn):
                continue  # nor are test orders and the diagnosis tag
        role = "assistant" if turn.role is assistant else "user"
        if messages[-1]["role"] == role and role != "system":
            messages[-1]["content"] += "\n\n" + turn.content
            continue  # two results in a row: one user message
        messages.append({"role": role, "content": turn.content})
        if turn.index not in notes_of:
            notes_of[turn.index] = _annotation(turn)
        notes.append(notes_of[turn.index])
    if perspective is Perspective.PATIENT:
        if messages[-1]["role"] == "assistant":
            messages[-1]["content"] += f"\n{END_OF_CONVERSATION}"
        else:
            messages.append({"role": "assistant", "content": END_OF_CONVERSATION})
            notes.append({**_system_annotation(), "speaker": sides.simulated.value})
    return messages, notes


def _is_protocol(turn: Turn) -> bool:
    """A doctor's turn that is not said to the patient (a test order, the diagnosis)."""
    kind = getattr(turn.action, "kind", None)
    return str(getattr(kind, "value", kind)) in ("order", "diagnose")


def dialogue_examples(
    record: Session,
    perspectives: Sequence[Perspective],
    subject: Subject,
    run: RunInfo,
    source: str,
) -> list[dict[str, Any]]:
    """The training examples for ``record``, one per perspective (split not yet set).

    The examples of one session share their provenance and annotation objects: treat
    them as read-only."""
    outcome = record.outcome
    correct = outcome.correct if isinstance(outcome, ConsultationOutcome) else None
    shared: dict[str, Any] = {
        "session_id": record.session_id,
        "kind": record.kind,
        "subject_id": record.case_id,
        "split": "",
        "models": {role: record.models.get(role) for role in MODEL_ROLES},
        "persona": {axis: record.persona.get(axis) for axis in PERSONA_AXES},
        "seed": record.seed,
        "run_id": run.run_id,
        "suite": run.suite,
        "kit_version": record.kit_version,
        "status": status_of(record).value,
        "termination_reason": (
            record.termination_reason.value if record.termination_reason else None
        ),
        "correct": correct,
        "scores": [
            {
                "name": s.name,
                "version": s.version,
                "judge_model": s.judge_model,
                "value": s.value,
                "status": s.status,
            }
            for s in record.scores
        ],
        "outcome": outcome.model_dump_json(exclude_none=True) if outcome else None,
        "licence": licence_of(subject),
        "source_file": source,
        "started_at": record.started_at.isoformat(),
    }
    notes_of: dict[int, dict[str, Any]] = {}
    examples: list[dict[str, Any]] = []
    for perspective in perspectives:
        if perspective is Perspective.CLINICIAN:
            system = _CLINICIAN_SYSTEM.get(record.kind, _CLINICIAN_SYSTEM["counseling"])
        else:
            system = _patient_system(record, subject)
        messages, notes = _messages(record, perspective, system, notes_of)
        examples.append(
            {
                "id": f"{record.session_id}:{perspective.value}",
                "perspective": perspective.value,
                **shared,
                "messages": messages,
                "turn_annotations": notes,
            }
        )
    return examples


def dialogue_example(
    record: Session,
    perspective: Perspective,
    subject: Subject,
    run: RunInfo,
    source: str,
) -> dict[str, Any]:
    """The training example for ``record`` from one ``perspective``."""
    return dialogue_examples(record, [perspective], subject, run, source)[0]
