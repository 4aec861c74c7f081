"""One session's feedback as a self-contained HTML page (``clinisim view``).

The page renders :func:`clinisim.report.session_feedback` (the same view the
trainee app's feedback screen shows): the outcome, the overall and per-axis scores,
the answer beside the gold one, three things to do differently, every score with its
items and evidence links, the trust trajectory and safety flags, and the transcript
with the cited turns highlighted. It is rendered from ``templates/session.html.j2``
with Jinja2 (autoescaped).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clinisim.engine import kind_named, write_atomic
from clinisim.report._feedback import session_feedback
from clinisim.report._templates import report_templates
from clinisim.schemas import Session

__all__ = [
    "PAGES_DIR",
    "SessionLink",
    "render_session_page",
    "write_session_pages",
]

PAGES_DIR = "pages"
"""Where the run report puts one feedback page per session, beside ``report.html``."""


def render_session_page(session: Session) -> str:
    """The whole page as one HTML document with no external resources."""
    template = report_templates().get_template("session.html.j2")
    return template.render(
        title=f"clinisim session {session.session_id}", feedback=session_feedback(session)
    )


@dataclass(frozen=True)
class SessionLink:
    """A session as the run report lists it, with the path of its page."""

    href: str
    session_id: str
    model: str
    subject: str
    status: str
    passed: str


def write_session_pages(sessions: Sequence[Session], directory: Path) -> list[SessionLink]:
    """Write every session's feedback page into ``directory``; the links, in order."""
    from clinisim.runner import status_of

    directory.mkdir(parents=True, exist_ok=True)
    links = []
    for session in sessions:
        kind = kind_named(session.kind)
        path = directory / f"{session.session_id}.html"
        write_atomic(path, render_session_page(session))
        value = kind.success.value(session)
        links.append(
            SessionLink(
                href=f"{directory.name}/{path.name}",
                session_id=session.session_id,
                model=session.models.get(kind.tested_role.value, "unknown"),
                subject=session.case_id,
                status=status_of(session).value,
                passed="yes" if value == 1.0 else "no",
            )
        )
    return links
