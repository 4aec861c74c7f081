"""``clinisim cases``: list, show, validate and import clinical cases."""

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
    from clinisim.library import (
        CaseLibrary,
    )

__all__ = ["cases_app"]

console = Console(highlight=False)
cases_app = typer.Typer(
    help="List, show, validate and import clinical cases.", no_args_is_help=True
)
app.add_typer(cases_app, name="cases")


def _library(extra: list[Path] | None) -> CaseLibrary:
    from clinisim.library import resolve_library

    return resolve_library(extra)


@cases_app.command(
    "list",
    epilog="Examples:\n\n  clinisim cases list --specialty cardiology\n\n  clinisim cases list --tag red-flag --format json",
)
def list_cases(
    specialty: Annotated[str | None, typer.Option(help="Only this specialty.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only cases with this tag.")] = None,
    show_diagnosis: Annotated[bool, typer.Option(help="Include the gold diagnosis.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    cases_dir: CasesDir = None,
) -> None:
    """The case library (the diagnosis stays hidden unless asked for)."""
    imports_done()
    if fmt not in ("table", "json"):
        raise InputError(f"unknown format {fmt!r} (table or json)", field="--format")
    chosen = [
        c
        for c in _library(cases_dir).cases.values()
        if (specialty is None or c.specialty == specialty) and (tag is None or tag in c.tags)
    ]
    if fmt == "json":
        rows = [
            {
                "id": c.id,
                "title": c.title,
                "specialty": c.specialty,
                "setting": c.setting,
                "tags": c.tags,
                **({"diagnosis": c.diagnosis.name} if show_diagnosis else {}),
            }
            for c in chosen
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(chosen)} case(s)")
    for column in ("id", "title", "specialty", "setting", "tags"):
        table.add_column(column)
    if show_diagnosis:
        table.add_column("diagnosis")
    for c in chosen:
        row = [c.id, c.title, c.specialty, c.setting, ", ".join(c.tags)]
        table.add_row(*row, *([c.diagnosis.name] if show_diagnosis else []))
    console.print(table)


@cases_app.command(
    epilog="Examples:\n\n  clinisim cases show stemi-inferior\n\n  clinisim cases show stemi-inferior --reveal"
)
def show(
    case_id: Annotated[str, typer.Argument(metavar="ID", help="Case id.")],
    reveal: Annotated[bool, typer.Option(help="Show examiner-only and hidden fields.")] = False,
    cases_dir: CasesDir = None,
) -> None:
    """One case by section, each fact with who may see it."""
    from clinisim.schemas import Visibility

    imports_done()

    case = _library(cases_dir).get(case_id)
    console.rule(f"[bold]{case.title}[/] ({case.id}) · {case.specialty} · {case.setting}")
    demo = case.demographics
    console.print(
        f"{demo.age}-year-old {demo.sex}" + (f", {demo.occupation}" if demo.occupation else "")
    )
    table = Table(show_lines=False)
    for column in ("fact", "visibility", "text"):
        table.add_column(column)
    for fact in case.facts():
        masked = fact.visibility is not Visibility.PATIENT and not reveal
        text = "[dim](masked: use --reveal)[/]" if masked else fact.text
        table.add_row(fact.id, fact.visibility.value, text)
    console.print(table)
    console.print(f"[dim]provenance: {case.provenance.source}, {case.provenance.licence}[/]")


@cases_app.command(epilog="Examples:\n\n  clinisim cases axes")
def axes() -> None:
    """The persona axes, their values and what each value does."""
    from clinisim.library import CaseLibrary

    imports_done()

    table = Table(title="persona axes (use --persona axis=value)")
    for column in ("axis", "value", "behaviour"):
        table.add_column(column)
    for axis, values in CaseLibrary().axis_descriptions.items():
        for value, text in values.items():
            table.add_row(axis, value, text)
    console.print(table)


@cases_app.command(
    epilog="Examples:\n\n  clinisim cases validate\n\n  clinisim cases validate my-cases/ new-case.yaml"
)
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or directories.")] = None,
    cases_dir: CasesDir = None,
) -> None:
    """Check cases against the schema, plus id, condition-link and leak checks."""
    from clinisim.library import check_library, load_case_file, resolve_library

    imports_done()

    problems: list[str] = []
    checked = 0
    if paths:
        files: list[Path] = []
        for path in paths:
            files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
        for file in files:
            checked += 1
            try:
                load_case_file(file)
            except ClinisimError as exc:
                problems.append(exc.one_line())
    else:
        library = resolve_library(cases_dir)
        checked = len(library.case_files())
        problems = check_library(library)
    for line in problems:
        console.print(f"[red]✗[/] {line}")
    if problems:
        console.print(f"{len(problems)} problem(s) in {checked} file(s)")
        raise typer.Exit(2)
    console.print(f"[green]✓[/] {checked} case file(s) valid")


@cases_app.command(
    "import",
    epilog="Examples:\n\n  clinisim cases import --format agentclinic agentclinic_medqa.jsonl\n\n  clinisim cases import --format agentclinic osce.jsonl --out my-cases/ --prefix osce",
)
def import_cases(
    file: Annotated[Path, typer.Argument(help="The file to import.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="Source format: agentclinic (OSCE and NEJM lines, told apart per line).",
        ),
    ],
    out: Annotated[
        Path | None, typer.Option(help="Output directory (default: <data dir>/cases).")
    ] = None,
    prefix: Annotated[str, typer.Option(help="Id prefix for imported cases.")] = "agentclinic",
) -> None:
    """Convert another simulator's cases into clinisim case YAML files.

    Free-text history is split into facts filed by field, third- and second-person
    text gets the patient's own words, and text that reads as an exam or test
    finding is kept from the patient. Imported cases run like shipped ones.
    """
    from clinisim.library import import_agentclinic

    imports_done()

    if fmt != "agentclinic":
        raise InputError(f"unknown format {fmt!r} (supported: agentclinic)", field="--format")
    target = out or data_dir() / "cases"
    result = import_agentclinic(file, prefix=prefix)
    written = result.write(target)
    for failure in result.failures:
        console.print(f"[red]✗[/] {file}: line {failure.line}: {failure.problem}")
    console.print(
        f"imported {len(written)} case(s) into {target}; {len(result.failures)} line(s) failed"
    )
    if result.failures:
        raise typer.Exit(2)
