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
        "  clinisim judges agree ~/.local/share/clinisim/sessions/chats   # imported, scored\n\n"
        'A labels file holds one judged item per line: {"item": "onset", "kind": "binary", '
        '"judge": true, "human": false} or {"item": "empathy", "kind": "scale", "judge": 4, '
        '"human": 5}. Session records carry human ratings when imported with '
        "clinisim sessions import."
    )
)
def agree(
    labels: Annotated[
        Path,
        typer.Argument(
            help="A JSONL labels file, or session records (a .json file or a directory) "
            "that carry human ratings and scores."
        ),
    ],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """How well judges agree with humans.

    From a labels file: Cohen's kappa and balanced F1 for met/not-met items,
    Spearman's rho for scales. From session records: Spearman's rho per rated
    dimension between the judge's score and the mean of the human raters, with a
    bootstrap 95% CI over sessions. Score the records first (clinisim score).
    """
    imports_done()

    if fmt not in ("table", "json"):
        raise InputError(f"unknown format {fmt!r} (table or json)", field="--format")
    if labels.is_dir() or labels.suffix == ".json":
        _agree_on_records(labels, fmt)
        return
    from clinisim.judges import agreement

    report = agreement(labels)
    if fmt == "json":
        typer.echo(json.dumps(asdict(report), indent=2))
        return
    table = Table(title=f"judge agreement with human labels: {labels}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("items", justify="right")
    table.add_row("Cohen's kappa (met/not met)", _show(report.kappa), str(report.binary_items))
    table.add_row("balanced F1 (met/not met)", _show(report.balanced_f1), str(report.binary_items))
    table.add_row("Spearman's rho (scales)", _show(report.spearman), str(report.scale_items))
    console.print(table)


def _show(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _agree_on_records(path: Path, fmt: str) -> None:
    from clinisim.engine import read_session
    from clinisim.judges import dimension_agreement

    if not path.exists():
        raise InputError("no such file or directory", file=path)
    files = [path] if path.is_file() else sorted(path.rglob("*.json"))
    records = [read_session(f) for f in files if not f.name.startswith(".")]
    rated = [r for r in records if r.config.get("human_ratings")]
    if not rated:
        raise InputError(
            f"none of {len(records)} session record(s) carries human ratings "
            "(import transcripts with ratings: clinisim sessions import)",
            file=path,
        )
    if not any(s.status == "scored" for r in rated for s in r.scores):
        raise InputError("the rated sessions have no scores yet: run clinisim score", file=path)
    rows = dimension_agreement(rated)
    if fmt == "json":
        typer.echo(json.dumps([asdict(row) for row in rows], indent=2))
        return
    table = Table(title=f"judge agreement with human ratings: {len(rated)} session(s) in {path}")
    for name in ("dimension", "judge score", "sessions", "raters", "Spearman's rho", "95% CI"):
        table.add_column(name, justify="left" if name in ("dimension", "judge score") else "right")
    for row in rows:
        ci = "n/a" if row.low is None or row.high is None else f"{row.low:.2f} to {row.high:.2f}"
        table.add_row(
            row.dimension,
            row.source or "[yellow]no judge score[/]",
            str(row.sessions),
            f"{row.raters:.1f}",
            _show(row.rho),
            ci,
        )
    console.print(table)
