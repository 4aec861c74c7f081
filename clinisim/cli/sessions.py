"""``clinisim sessions``: bring transcripts made elsewhere in as session records."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from clinisim.cli._app import app, imports_done
from clinisim.cli._options import CasesDir
from clinisim.paths import data_dir

__all__ = ["sessions_app"]

console = Console(highlight=False)
sessions_app = typer.Typer(
    help="Session records: import transcripts from elsewhere.", no_args_is_help=True
)
app.add_typer(sessions_app, name="sessions")


class TranscriptKind(StrEnum):
    COUNSELING = "counseling"
    CONSULTATION = "consultation"


class ClinicianSide(StrEnum):
    ASSISTANT = "assistant"
    USER = "user"


_EXAMPLES = """
Examples:

  clinisim sessions import --format messages --kind counseling chats.jsonl

  clinisim sessions import --format messages --kind counseling chats.jsonl --clinician user

  clinisim sessions import --format messages --kind consultation osce.jsonl --out runs/osce

  clinisim score <out dir>                  # score the imported sessions

  clinisim judges agree <out dir>           # judges against the ratings in the file
"""


@sessions_app.command("import", epilog=_EXAMPLES)
def import_sessions(
    file: Annotated[Path, typer.Argument(help="JSON Lines of conversations.")],
    kind: Annotated[TranscriptKind, typer.Option(help="counseling or consultation.")],
    fmt: Annotated[
        str, typer.Option("--format", help="messages: OpenAI-style role/content turns.")
    ] = "messages",
    clinician: Annotated[
        ClinicianSide,
        typer.Option(help="Which side is the counselor or doctor (default: the assistant)."),
    ] = ClinicianSide.ASSISTANT,
    out: Annotated[
        Path | None,
        typer.Option(help="Where the records go (default: <data dir>/sessions/<file name>)."),
    ] = None,
    cases_dir: CasesDir = None,
) -> None:
    """Turn chat transcripts into session records that `clinisim score` can score.

    Each line holds `messages` (role and content; ShareGPT `conversations` also
    work), and optionally `id`, `client_id`/`case_id` or the `profile`/`case`
    itself, `model`, and human `ratings` per dimension (one value, a list for several
    raters, or one object per rater). System messages are left out. Profiles and
    cases carried in the file are added to the library (<data dir>/clients, /cases).
    Lines that fail are reported by number; the rest import (exit 2 if any failed).
    """
    from clinisim.engine import write_session
    from clinisim.errors import InputError
    from clinisim.library import (
        TRANSCRIPT_FORMATS,
        ClientImportResult,
        ImportResult,
        import_transcripts,
        resolve_library,
    )
    from clinisim.schemas import ClientProfile, PatientCase

    imports_done()
    if fmt not in TRANSCRIPT_FORMATS:
        raise InputError(
            f"unknown format {fmt!r} (supported: {', '.join(TRANSCRIPT_FORMATS)})",
            field="--format",
        )
    if not file.is_file():
        raise InputError("file not found", file=file)
    cases = resolve_library(cases_dir).cases if kind is TranscriptKind.CONSULTATION else {}
    result = import_transcripts(file, kind=kind.value, clinician=clinician.value, cases=cases)
    target = out or data_dir() / "sessions" / file.stem
    target.mkdir(parents=True, exist_ok=True)
    for session in result.sessions:
        write_session(session, target / f"{session.session_id}.json")
    clients = [s for s in result.subjects if isinstance(s, ClientProfile)]
    case_list = [s for s in result.subjects if isinstance(s, PatientCase)]
    if clients:
        ClientImportResult(clients=clients).write(data_dir() / "clients")
    if case_list:
        ImportResult(cases=case_list).write(data_dir() / "cases")
    rated = sum(1 for s in result.sessions if s.config.get("human_ratings"))
    for number, problem in result.failures:
        console.print(f"[red]✗[/] {file}: line {number}: {problem}")
    console.print(
        f"imported {len(result.sessions)} session(s) into {target} ({rated} with human "
        f"ratings); {len(result.failures)} failed"
    )
    console.print(f"next: clinisim score {target}")
    if result.failures:
        raise typer.Exit(2)
