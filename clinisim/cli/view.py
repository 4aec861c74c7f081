"""``clinisim view``: one session's feedback as a page to read or share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clinisim.cli._app import app, imports_done

__all__ = ["view"]

console = Console(highlight=False)

_EXAMPLES = """
Examples:

  clinisim view session.json                         # writes session.html beside it

  clinisim view runs/smoke/sessions/<id>.json --html /tmp/feedback.html
"""


@app.command(epilog=_EXAMPLES)
def view(
    session_file: Annotated[Path, typer.Argument(help="A session record (JSON).")],
    html: Annotated[
        Path | None,
        typer.Option(help="Where to write the page (default: the record's name, .html)."),
    ] = None,
) -> None:
    """Render a session's feedback as one self-contained HTML page.

    The page holds the outcome, three things to do differently next time (the tested
    role's missed rubric items and weakest scales), every score with its items and
    links to the turns that evidence them, and the transcript with those turns
    highlighted. Score the session first (clinisim score) if it has no scores.
    """
    from clinisim.engine import read_session, write_atomic
    from clinisim.report import render_session_page

    imports_done()
    session = read_session(session_file)
    target = html or session_file.with_suffix(".html")
    write_atomic(target, render_session_page(session))
    console.print(f"feedback page: {target}")
