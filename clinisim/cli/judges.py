"""``clinisim judges``: meta-evaluate judges against human labels."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from clinisim.cli._app import app, imports_done
from clinisim.errors import InputError

if TYPE_CHECKING:
    pass

__all__ = ["judges_app"]

console = Console(highlight=False)
judges_app = typer.Typer(help="Check judges against human ratings.", no_args_is_help=True)
app.add_typer(judges_app, name="judges")


@judges_app.command(
    epilog=(
        "Examples:\n\n  clinisim judges agree labels.jsonl\n\n"
        "  clinisim judges agree labels.jsonl --format json\n\n"
        'Each line: {"item": "onset", "kind": "binary", "judge": true, "human": false}'
        ' or {"item": "empathy", "kind": "scale", "judge": 4, "human": 5}.'
    )
)
def agree(
    labels: Annotated[Path, typer.Argument(help="JSONL of judge and human labels.")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Cohen's kappa and balanced F1 for met/not-met items, Spearman's rho for scales."""
    from clinisim.judges import agreement

    imports_done()

    if fmt not in ("table", "json"):
        raise InputError(f"unknown format {fmt!r} (table or json)", field="--format")
    report = agreement(labels)
    if fmt == "json":
        typer.echo(json.dumps(asdict(report), indent=2))
        return
    table = Table(title=f"judge agreement with human labels: {labels}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("items", justify="right")

    def show(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.3f}"

    table.add_row("Cohen's kappa (met/not met)", show(report.kappa), str(report.binary_items))
    table.add_row("balanced F1 (met/not met)", show(report.balanced_f1), str(report.binary_items))
    table.add_row("Spearman's rho (scales)", show(report.spearman), str(report.scale_items))
    console.print(table)
