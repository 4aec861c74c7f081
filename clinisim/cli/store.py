"""``clinisim store``: index cases into the record store and see what a role retrieves."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from clinisim.cli._app import app, imports_done
from clinisim.cli._options import CasesDir, StoreUrl, use_store_url
from clinisim.errors import InputError

if TYPE_CHECKING:
    pass

__all__ = ["store_app"]

console = Console(highlight=False)
store_app = typer.Typer(
    help="Index cases into the chromadb record store and query it.", no_args_is_help=True
)
app.add_typer(store_app, name="store")

StoreDir = Annotated[
    Path | None,
    typer.Option(help="Record store directory (default: CLINISIM_STORE_DIR or the data dir)."),
]


@store_app.command(
    epilog="Examples:\n\n  clinisim store ingest\n\n  clinisim store ingest --case stemi-inferior"
)
def ingest(
    case: Annotated[list[str] | None, typer.Option(help="Case id; repeat. Default: all.")] = None,
    store_dir: StoreDir = None,
    force: Annotated[bool, typer.Option(help="Re-index even unchanged cases.")] = False,
    cases_dir: CasesDir = None,
    store_url: StoreUrl = None,
) -> None:
    """Index each case's facts and records as chunks (case id, section, visibility)."""
    from clinisim.library import resolve_library
    from clinisim.store import RecordStore

    imports_done()
    use_store_url(store_url)

    library = resolve_library(cases_dir)
    cases = [library.get(c) for c in case] if case else list(library.cases.values())
    store = RecordStore(store_dir)
    indexed = skipped = chunks = 0
    with Progress(
        TextColumn("[bold]ingest[/] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("", total=len(cases))
        for item in cases:
            progress.update(task, description=item.id)
            if force:
                chunks += store.ingest(item)
                indexed += 1
            elif store.ensure_ingested(item):
                indexed += 1
            else:
                skipped += 1
            progress.advance(task)
    console.print(
        f"{indexed} case(s) indexed, {skipped} unchanged, store at [bold]{store.location}[/]"
        + (f" ({chunks} chunks)" if force else "")
    )


@store_app.command(
    epilog=(
        "Examples:\n\n"
        '  clinisim store query --case stemi-inferior "does the pain spread anywhere?"\n\n'
        '  clinisim store query --case stemi-inferior --as examiner "ECG"'
    )
)
def query(
    question: Annotated[str, typer.Argument(help="The question, as a doctor would ask it.")],
    case: Annotated[str, typer.Option(help="Case id.")],
    k: Annotated[int, typer.Option(min=1, max=50, help="How many chunks.")] = 5,
    as_role: Annotated[
        str, typer.Option("--as", help="Whose view: patient (default) or examiner.")
    ] = "patient",
    store_dir: StoreDir = None,
    cases_dir: CasesDir = None,
    store_url: StoreUrl = None,
) -> None:
    """Show what a role would retrieve for a question. A patient never sees examiner chunks."""
    from clinisim.library import resolve_library
    from clinisim.schemas import Visibility
    from clinisim.store import RecordStore

    imports_done()
    use_store_url(store_url)

    views = {
        "patient": (Visibility.PATIENT,),
        "examiner": (Visibility.PATIENT, Visibility.EXAMINER),
    }
    if as_role not in views:
        raise InputError(f"unknown role {as_role!r} (patient or examiner)", field="--as")
    chosen = resolve_library(cases_dir).get(case)
    store = RecordStore(store_dir)
    store.ensure_ingested(chosen)
    table = Table(title=f"{as_role} view of {chosen.id}: {question!r}")
    for column in ("distance", "fact", "visibility", "text"):
        table.add_column(column)
    for chunk in store.query(chosen.id, question, views[as_role], k=k):
        table.add_row(f"{chunk.distance:.3f}", chunk.fact_id, chunk.visibility.value, chunk.text)
    console.print(table)
