"""What a counseling session leaves in the client's memory for the next one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clinisim.schemas import ClientProfile, Role, Session

if TYPE_CHECKING:
    from clinisim.store import RecordStore

__all__ = ["remember_session", "session_memory"]


def session_memory(record: Session) -> dict[str, str]:
    """The session's summary, homework and questionnaire change, as text.

    The summary is built from what the client said (their own words), so a later
    session recalls only what was actually disclosed.
    """
    outcome = record.counseling
    said = [t.content for t in record.turns if t.role is Role.CLIENT]
    summary = " ".join(said[:2])[:400]
    items: dict[str, str] = {
        "summary": f"In session {outcome.session_number if outcome else 1}: {summary}"
    }
    if outcome is not None and outcome.homework:
        items["homework"] = outcome.homework
    if outcome is not None:
        changes = []
        for before in outcome.before:
            after = next((a for a in outcome.after if a.name == before.name), None)
            if before.total is not None and after is not None and after.total is not None:
                changes.append(f"{before.name} {before.total} to {after.total}")
        if changes:
            items["questionnaires"] = "Questionnaires: " + ", ".join(changes) + "."
    return items


def remember_session(
    store: RecordStore, client: ClientProfile, record: Session, course: str
) -> None:
    """Keep a finished session of ``course`` in the client's memory."""
    outcome = record.counseling
    number = outcome.session_number if outcome else 1
    store.clients.remember(client.id, course, number, session_memory(record))
