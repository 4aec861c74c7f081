"""Outside transcripts as session records, so they can be scored like simulated ones.

Input: JSON Lines (or a JSON array) of conversations. Each entry holds its turns as
OpenAI-style ``messages`` (``role``, ``content``) or ShareGPT-style
``conversations`` (``from``, ``value``), and optionally:

* ``id``: the session id (default ``<file stem>-<line>``);
* ``client_id`` / ``case_id``: a library client or case it plays; or ``profile`` /
  ``case``: the client profile or case itself, in clinisim's format;
* ``model``: the clinician's model name;
* ``ratings``: human ratings per dimension, as ``{"alliance": 5}``, several raters
  as ``{"alliance": [5, 4]}``, a list of per-rater objects
  (``[{"rater": "a", "alliance": 5}, ...]``), or an object of raters
  (``{"a": {"alliance": 5}}``).

The clinician (counselor or doctor) is the ``assistant`` side by default; with
``clinician="user"`` the sides swap. System messages and other roles are left out.
Entries that fail are reported by line number; the others are converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from clinisim.library._json_entries import convert_entries
from clinisim.schemas import (
    ActionKind,
    ClientProfile,
    ConsultationOutcome,
    CounselingOutcome,
    DoctorAction,
    PatientCase,
    Role,
    Session,
    TerminationReason,
    Turn,
)

__all__ = ["TRANSCRIPT_FORMATS", "TranscriptImport", "import_transcripts", "ratings_of"]

TRANSCRIPT_FORMATS = ("messages",)
_CLINICIAN_ROLES = {"assistant", "gpt", "bot", "model", "chatbot"}
_OTHER_ROLES = {"user", "human", "client", "patient"}
_SIDES = {
    "counseling": (Role.COUNSELOR, Role.CLIENT),
    "consultation": (Role.DOCTOR, Role.PATIENT),
}
_DIAGNOSIS = re.compile(r"DIAGNOSIS READY:\s*(.+)", re.I)
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class TranscriptImport:
    """The converted sessions, the profiles or cases they carried, and failed lines."""

    sessions: list[Session] = field(default_factory=list)
    subjects: list[ClientProfile | PatientCase] = field(default_factory=list)
    failures: list[tuple[int, str]] = field(default_factory=list)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{where}: a rating must be a number, got {value!r}")
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{where}: a rating must be a number, got {value!r}") from None


def ratings_of(raw: Any) -> dict[str, list[float]]:
    """Human ratings in any of the accepted shapes, as dimension to one value per rater."""
    out: dict[str, list[float]] = {}

    def add(dimension: str, value: Any) -> None:
        values = value if isinstance(value, list) else [value]
        out.setdefault(dimension, []).extend(_number(v, f"ratings.{dimension}") for v in values)

    if raw is None:
        return out
    if isinstance(raw, list):
        for rater in raw:
            if not isinstance(rater, dict):
                raise ValueError("ratings: a list of ratings must hold one object per rater")
            for dimension, value in rater.items():
                if dimension not in ("rater", "rater_id", "id"):
                    add(str(dimension), value)
        return out
    if not isinstance(raw, dict):
        raise ValueError("ratings: expected an object or a list of objects")
    if raw and all(isinstance(v, dict) for v in raw.values()):
        for rater in raw.values():
            for dimension, value in rater.items():
                add(str(dimension), value)
        return out
    for dimension, value in raw.items():
        add(str(dimension), value)
    return out


def _turns(entry: dict[str, Any], kind: str, clinician: str) -> list[Turn]:
    raw = entry.get("messages", entry.get("conversations"))
    if not isinstance(raw, list) or not raw:
        raise ValueError("no 'messages' (or 'conversations') list")
    clinician_role, other_role = _SIDES[kind]
    turns: list[Turn] = []
    for number, message in enumerate(raw):
        if not isinstance(message, dict):
            raise ValueError(f"messages[{number}]: expected an object")
        role = str(message.get("role", message.get("from", ""))).lower()
        content = message.get("content", message.get("value"))
        if role == "system" or role not in _CLINICIAN_ROLES | _OTHER_ROLES:
            continue
        if not isinstance(content, str) or not content.strip():
            raise ValueError(f"messages[{number}]: empty or missing content")
        is_assistant = role in _CLINICIAN_ROLES
        speaker = clinician_role if is_assistant == (clinician == "assistant") else other_role
        action = None
        match = _DIAGNOSIS.search(content) if speaker is Role.DOCTOR else None
        if match:
            action = DoctorAction(kind=ActionKind.DIAGNOSE, diagnosis=match.group(1).strip())
        turns.append(Turn(index=len(turns), role=speaker, content=content.strip(), action=action))
    if not any(t.role is clinician_role for t in turns):
        raise ValueError(f"no {clinician_role.value} turn (the clinician is the {clinician} side)")
    return turns


def _subject(
    entry: dict[str, Any], kind: str, default_id: str
) -> tuple[str, ClientProfile | PatientCase | None]:
    if kind == "counseling":
        if isinstance(entry.get("profile"), dict):
            profile = ClientProfile.model_validate(entry["profile"])
            return profile.id, profile
        return str(entry.get("client_id") or default_id), None
    if isinstance(entry.get("case"), dict):
        case = PatientCase.model_validate(entry["case"])
        return case.id, case
    if not entry.get("case_id"):
        raise ValueError("a consultation needs its case: 'case_id' (a library case) or 'case'")
    return str(entry["case_id"]), None


def _session(
    entry: dict[str, Any],
    *,
    kind: str,
    clinician: str,
    path: Path,
    number: int,
    cases: dict[str, PatientCase],
) -> tuple[Session, ClientProfile | PatientCase | None]:
    stem = _SLUG.sub("-", path.stem.lower()).strip("-") or "transcript"
    default_id = f"{stem}-{number}"
    session_id = _SLUG.sub("-", str(entry.get("id") or default_id).lower()).strip("-")
    turns = _turns(entry, kind, clinician)
    subject_id, subject = _subject(entry, kind, default_id)
    clinician_role, other_role = _SIDES[kind]
    outcome: CounselingOutcome | ConsultationOutcome
    if kind == "counseling":
        outcome = CounselingOutcome()
    else:
        case = subject if isinstance(subject, PatientCase) else cases.get(subject_id)
        if case is None:
            raise ValueError(f"unknown case {subject_id!r} (see 'clinisim cases list')")
        given = next(
            (t.action for t in reversed(turns) if isinstance(t.action, DoctorAction)), None
        )
        outcome = ConsultationOutcome(
            diagnosis_given=given.diagnosis if given else None, gold_diagnosis=case.diagnosis.name
        )
    ratings = ratings_of(entry.get("ratings"))
    session = Session(
        session_id=session_id,
        kind=kind,
        case_id=subject_id,
        persona={},
        models={
            clinician_role.value: str(entry.get("model") or "unknown"),
            other_role.value: "transcript",
        },
        seed=0,
        config={
            "imported": {
                "file": str(path),
                "line": number,
                "format": "messages",
                "clinician": clinician,
            },
            **({"human_ratings": ratings} if ratings else {}),
        },
        turns=turns,
        termination_reason=TerminationReason.IMPORTED,
        outcome=outcome,
    )
    return session, subject


def import_transcripts(
    path: Path,
    *,
    kind: Literal["counseling", "consultation"],
    clinician: Literal["assistant", "user"] = "assistant",
    cases: dict[str, PatientCase] | None = None,
) -> TranscriptImport:
    """Convert every conversation of ``path``; failed entries are reported by number."""
    seen: set[str] = set()

    def one(
        number: int, entry: dict[str, Any]
    ) -> tuple[Session, ClientProfile | PatientCase | None]:
        session, subject = _session(
            entry, kind=kind, clinician=clinician, path=path, number=number, cases=cases or {}
        )
        if session.session_id in seen:
            raise ValueError(f"duplicate id {session.session_id!r}")
        seen.add(session.session_id)
        return session, subject

    converted, failures = convert_entries(path, one, "conversations")
    result = TranscriptImport(sessions=[session for session, _ in converted], failures=failures)
    for _, subject in converted:
        if subject is not None and all(s.id != subject.id for s in result.subjects):
            result.subjects.append(subject)
    return result
