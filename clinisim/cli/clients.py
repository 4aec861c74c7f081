"""``clinisim clients``: list, show, validate and import counseling clients."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from clinisim.cli._app import app, imports_done
from clinisim.cli._options import CasesDir
from clinisim.errors import ClinisimError, InputError
from clinisim.paths import data_dir

if TYPE_CHECKING:
    from clinisim.library import CaseLibrary

__all__ = ["clients_app"]

console = Console(highlight=False)
clients_app = typer.Typer(
    help="List, show, validate and import counseling clients.", no_args_is_help=True
)
app.add_typer(clients_app, name="clients")


def _library(extra: list[Path] | None) -> CaseLibrary:
    from clinisim.library import resolve_library

    return resolve_library(extra)


@clients_app.command(
    "list",
    epilog="Examples:\n\n  clinisim clients list --topic grief\n\n  clinisim clients list --risk --format json",
)
def list_clients(
    topic: Annotated[str | None, typer.Option(help="Only clients with this topic.")] = None,
    style: Annotated[str | None, typer.Option(help="Only this conversational style.")] = None,
    risk: Annotated[bool, typer.Option(help="Only clients with a risk flag.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    cases_dir: CasesDir = None,
) -> None:
    """The client library (the formulation stays hidden)."""
    imports_done()
    if fmt not in ("table", "json"):
        raise InputError(f"unknown format {fmt!r} (table or json)", field="--format")
    chosen = [
        c
        for c in _library(cases_dir).clients.values()
        if (topic is None or topic in c.topics)
        and (style is None or c.style.value == style)
        and (not risk or c.risks)
    ]
    if fmt == "json":
        rows = [
            {
                "id": c.id,
                "title": c.title,
                "topics": c.topics,
                "style": c.style.value,
                "attitude": c.attitude.value,
                "depression": c.severity.depression.value,
                "anxiety": c.severity.anxiety.value,
                "risk": c.risk_level,
            }
            for c in chosen
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(chosen)} client(s)")
    for column in ("id", "title", "topics", "style", "attitude", "dep/anx", "risk"):
        table.add_column(column)
    for c in chosen:
        table.add_row(
            c.id,
            c.title,
            ", ".join(c.topics),
            c.style.value,
            c.attitude.value,
            f"{c.severity.depression.value}/{c.severity.anxiety.value}",
            c.risk_level,
        )
    console.print(table)


@clients_app.command("show", epilog="Examples:\n\n  clinisim clients show maya-work-stress --all")
def show(
    client_id: Annotated[str, typer.Argument(metavar="CLIENT_ID")],
    show_all: Annotated[
        bool, typer.Option("--all", help="Include the hidden formulation (for educators).")
    ] = False,
    cases_dir: CasesDir = None,
) -> None:
    """What the client says freely; with --all, every layer and the formulation."""
    from clinisim.schemas import FIELD_LAYERS, LAYER_TRUST
    from clinisim.store import client_chunks

    imports_done()
    client = _library(cases_dir).get_client(client_id)
    console.rule(f"[bold]{client.name}[/] ({client.id}): {client.title}")
    demo = client.demographics
    console.print(
        f"{demo.age}, {demo.gender or demo.sex}"
        + (f", {demo.occupation}" if demo.occupation else "")
        + f" · style {client.style.value} · attitude {client.attitude.value}"
    )
    table = Table(show_header=True)
    for column in ("layer", "opens at trust", "field", "in their words"):
        table.add_column(column)
    for chunk in client_chunks(client):
        layer = FIELD_LAYERS[
            chunk.field.split(".")[0] if chunk.field.startswith("life.") else chunk.field
        ]
        if not show_all and layer.value != "surface":
            continue
        table.add_row(layer.value, f"{LAYER_TRUST[layer]:.2f}", chunk.field, chunk.text)
    console.print(table)
    if show_all:
        model = client.cognitive_model
        console.print("[bold]Hidden formulation[/] (never stated by a simulated client)")
        for category in model.core_beliefs.categories():
            beliefs = "; ".join(getattr(model.core_beliefs, category))
            console.print(f"  core beliefs, {category}: {beliefs}")
        sev = client.severity
        console.print(
            f"  depression {sev.depression.value} (PHQ-9 {sum(sev.phq9)}), "
            f"anxiety {sev.anxiety.value} (GAD-7 {sum(sev.gad7)})"
        )
        for risk in client.risks:
            console.print(f"  risk: {risk.kind.value}, {risk.level}, disclosed {risk.disclosed}")
    else:
        console.print("[dim]Deeper layers and the formulation are hidden; --all shows them.[/]")


@clients_app.command(
    "validate",
    epilog="Examples:\n\n  clinisim clients validate\n\n  clinisim clients validate my-client.yaml",
)
def validate(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Client files (default: the library).")
    ] = None,
    cases_dir: CasesDir = None,
) -> None:
    """Check client files: schema, option lists, severity against the item answers."""
    from clinisim.library import load_model
    from clinisim.schemas import ClientProfile

    imports_done()
    paths = list(files or _library(cases_dir).client_files())
    problems = 0
    for path in paths:
        try:
            client = load_model(path, ClientProfile)
            if path.stem != client.id:
                raise InputError(
                    f"client id {client.id!r} must match the file name {path.stem!r}",
                    file=path,
                    field="id",
                )
        except ClinisimError as exc:
            problems += 1
            console.print(f"[red]✗[/] {exc.one_line()}")
    if problems:
        console.print(f"{problems} problem(s) in {len(paths)} file(s)")
        raise typer.Exit(2)
    console.print(f"[green]✓[/] {len(paths)} client file(s) valid")


@clients_app.command(
    "import",
    epilog="Examples:\n\n  clinisim clients import --format patient-psi cognitive_models.json\n\n  clinisim clients import --format mindeval profiles.jsonl --out my-clients/",
)
def import_clients_command(
    file: Annotated[Path, typer.Argument(help="The file to import.")],
    fmt: Annotated[str, typer.Option("--format", help="patient-psi or mindeval.")],
    out: Annotated[
        Path | None, typer.Option(help="Output directory (default: <data dir>/clients).")
    ] = None,
    prefix: Annotated[str | None, typer.Option(help="Id prefix (default: the format).")] = None,
) -> None:
    """Convert another simulator's client profiles into clinisim client YAML files.

    Entries that fail are reported by line (or list item) number; the rest import.
    """
    from clinisim.library import import_clients

    imports_done()
    target = out or data_dir() / "clients"
    result = import_clients(file, fmt, prefix or fmt)
    written = result.write(target)
    for number, problem in result.failures:
        console.print(f"[red]✗[/] {file}: entry {number}: {problem}")
    console.print(f"imported {len(written)} client(s) into {target}; {len(result.failures)} failed")
    if result.failures:
        raise typer.Exit(2)
