"""``clinisim report``: a run's leaderboard as a table, CSV or JSON, plus an HTML report."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from clinisim.cli._app import app, imports_done

if TYPE_CHECKING:
    from clinisim.judges import Aggregate
    from clinisim.report import (
        Leaderboard,
        ModelRow,
    )

__all__ = ["report"]

console = Console(highlight=False)

_EXAMPLES = """
Examples:

  clinisim report runs/smoke                      # leaderboard; writes runs/smoke/report.html

  clinisim report runs/smoke --format json > leaderboard.json

  clinisim report runs/smoke --format csv --html /tmp/smoke.html
"""


class ReportFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def _ci(agg: Aggregate | None, percent: bool = True) -> str:
    if agg is None:
        return "-"
    if percent:
        return f"{agg.mean:.0%} ({agg.low:.0%}–{agg.high:.0%})"
    return f"{agg.mean:.2f} ({agg.low:.2f}–{agg.high:.2f})"


def _failed_text(row: ModelRow) -> str:
    from clinisim.runner import SessionStatus

    others = (SessionStatus.BUDGET_EXCEEDED, SessionStatus.INTERRUPTED, SessionStatus.MISSING)
    extra = ", ".join(f"{s.value} {row.counts[s]}" for s in others if row.counts[s])
    failed = str(row.counts[SessionStatus.FAILED])
    return f"{failed} ({extra})" if extra else failed


def _print_table(lb: Leaderboard) -> None:
    # Narrow tables rather than one wide one, so an 80-column terminal shows them.
    console.rule(f"[bold]{lb.run_id}[/] · {lb.kind} · {lb.status} · {lb.sessions_planned} sessions")
    role = lb.tested_role
    headline = Table(title="results (95% bootstrap CI)")
    for name in (role, "ended", lb.success_column.label.lower(), f"pass^{lb.trials}"):
        headline.add_column(name)
    for row in lb.rows:
        headline.add_row(
            row.model,
            f"{row.ended}/{row.sessions_planned}",
            _ci(row.success),
            "-" if row.pass_k is None else f"{row.pass_k:.0%}",
        )
    console.print(headline)
    if lb.columns:
        measures = Table(title=f"{lb.kind} measures (95% bootstrap CI; n where it applied)")
        measures.add_column(role)
        for column in lb.columns:
            measures.add_column(column.label.lower())
        for row in lb.rows:
            cells = [_ci(row.columns.get(c.key), percent=c.percent) for c in lb.columns]
            measures.add_row(row.model, *cells)
        console.print(measures)
    label = lb.success_column.label.lower()
    for axis, values in lb.persona_axes.items():
        if len(values) < 2:
            continue  # an axis with one value breaks nothing down
        by_value = Table(title=f"{label} by {axis} (95% bootstrap CI)")
        by_value.add_column(axis)
        for row in lb.rows:
            by_value.add_column(row.model)
        for value in values:
            cells = [_ci(row.by_persona.get(axis, {}).get(value)) for row in lb.rows]
            by_value.add_row(value, *cells)
        console.print(by_value)
    if lb.rubric_names:
        rubrics = Table(title="rubric scores (95% bootstrap CI)")
        rubrics.add_column(role)
        for name in lb.rubric_names:
            rubrics.add_column(name)
        for row in lb.rows:
            cells = [_ci(row.rubrics.get(name), percent=False) for name in lb.rubric_names]
            rubrics.add_row(row.model, *cells)
        console.print(rubrics)
    effort = Table(title="per ended session")
    for name in (role, "turns", f"{role} turns", "tokens", "cost $", "failed"):
        effort.add_column(name)
    for row in lb.rows:
        effort.add_row(
            row.model,
            "-" if row.mean_turns is None else f"{row.mean_turns:.1f}",
            "-" if row.mean_tested_turns is None else f"{row.mean_tested_turns:.1f}",
            "-" if row.tokens_per_session is None else f"{row.tokens_per_session:.0f}",
            "unknown" if row.cost_per_session is None else f"{row.cost_per_session:.4f}",
            _failed_text(row),
        )
    console.print(effort)
    for row in lb.rows:
        if row.failures:
            listed = ", ".join(f"{kind} ×{n}" for kind, n in sorted(row.failures.items()))
            console.print(f"{row.model}: failures {listed}")
    for warning in lb.warnings:
        console.print(f"[yellow]warning:[/] {warning}")


@app.command(epilog=_EXAMPLES)
def report(
    run_dir: Annotated[Path, typer.Argument(help="A run directory (runs/<run-id>).")],
    output: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table, csv or json (on stdout).")
    ] = ReportFormat.TABLE,
    html: Annotated[
        Path | None,
        typer.Option(help="Where to write the HTML report (default RUN_DIR/report.html)."),
    ] = None,
    no_html: Annotated[
        bool, typer.Option("--no-html", help="Do not write the HTML report.")
    ] = False,
) -> None:
    """Leaderboard of a benchmark run: one row per model under test, with 95% CIs.

    Works for consultation and counseling runs alike: rows are the doctor or
    counselor models, the headline is top-1 accuracy or sessions completed safely,
    and each kind adds its own measures. Every number is computed from the session
    files. The HTML report is one self-contained file with plots: the headline per
    model, scores by rubric axis, the headline by persona axis value, and cost
    against the headline.
    """
    from clinisim.engine import write_atomic
    from clinisim.report import (
        PAGES_DIR,
        build_leaderboard,
        leaderboard_csv,
        leaderboard_json,
        load_run,
        render_html,
        write_session_pages,
    )

    imports_done()

    results = load_run(run_dir)
    lb = build_leaderboard(results)
    if output is ReportFormat.JSON:
        typer.echo(json.dumps(leaderboard_json(lb), indent=2))
    elif output is ReportFormat.CSV:
        typer.echo(leaderboard_csv(lb), nl=False)
    else:
        _print_table(lb)
    if not no_html:
        target = html or run_dir / "report.html"
        pages = target.parent / PAGES_DIR
        links = write_session_pages(results.records, pages)
        write_atomic(target, render_html(lb, sessions=links))
        if output is ReportFormat.TABLE:
            console.print(f"HTML report: {target} (one feedback page per session in {pages})")
