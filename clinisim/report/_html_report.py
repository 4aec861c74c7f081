"""The benchmark report as one self-contained HTML file.

Everything is inline (a small ``<style>`` and SVG charts), so the file can be mailed,
archived or opened offline and always looks the same. The page is the Jinja2 template
``templates/report.html.j2``, autoescaped: model names and error types come from user
configuration and providers. This module turns the leaderboard into the template's
tables (cells of text and an optional CI) and draws the charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clinisim.engine import ReportColumn, ReportSeries
from clinisim.judges import Aggregate
from clinisim.report._leaderboard import Leaderboard, ModelRow
from clinisim.report._session_page import SessionLink
from clinisim.report._svg_charts import (
    Bar,
    Point,
    Series,
    bar_chart,
    grouped_bar_chart,
    scatter_chart,
)
from clinisim.report._templates import report_templates
from clinisim.runner import SessionStatus

__all__ = ["render_html"]

_NA = "–"


@dataclass(frozen=True)
class Cell:
    """A table cell: its text and, for an aggregate, its CI and sample size."""

    text: str
    ci: str | None = None


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[Cell]]


def _pct(value: float | None) -> str:
    return _NA if value is None else f"{value * 100:.1f}%"


def _agg(agg: Aggregate | None) -> Cell:
    """A percentage with its CI and sample size."""
    if agg is None:
        return Cell(_NA)
    return Cell(_pct(agg.mean), f"{agg.low * 100:.1f}–{agg.high * 100:.1f}, n={agg.n}")


def _num(value: float | None, digits: int = 1) -> str:
    return _NA if value is None else f"{value:,.{digits}f}"


def _mean_ci(agg: Aggregate | None) -> Cell:
    """A plain mean (not a rate) with its CI and sample size."""
    if agg is None:
        return Cell(_NA)
    return Cell(_num(agg.mean, 2), f"{agg.low:,.2f}–{agg.high:,.2f}, n={agg.n}")


def _column_cell(column: ReportColumn, agg: Aggregate | None) -> Cell:
    return _agg(agg) if column.percent else _mean_ci(agg)


def _role(lb: Leaderboard) -> str:
    return lb.tested_role.capitalize()


def _cost(row: ModelRow) -> str:
    if row.cost_per_session is None:
        return "unknown"
    text = f"${row.cost_per_session:.4f}"
    # Some calls had no price: the known part is a lower bound.
    return f"≥ {text}" if row.calls_unknown_cost else text


def _plain(*texts: object) -> list[Cell]:
    return [Cell(str(text)) for text in texts]


def _leaderboard_table(lb: Leaderboard) -> Table:
    rubrics = lb.rubric_names
    realism = any(row.realism is not None for row in lb.rows)
    header = [
        _role(lb),
        "Ended / planned",
        *(s.value.replace("_", " ").capitalize() for s in SessionStatus),
        lb.success_column.label,
        f"pass^{lb.trials}",
        *(column.label for column in lb.columns),
        *rubrics,
        *(["Realism (MATTR)"] if realism else []),
        "Turns",
        "Tokens / session",
        "Cost / session",
    ]
    rows = [
        [
            *_plain(row.model, f"{row.ended} / {row.sessions_planned}"),
            *_plain(*(row.counts[s] for s in SessionStatus)),
            _agg(row.success),
            Cell(_pct(row.pass_k)),
            *(_column_cell(c, row.columns.get(c.key)) for c in lb.columns),
            *(_agg(row.rubrics.get(name)) for name in rubrics),
            *([Cell(_num(row.realism, 3))] if realism else []),
            *_plain(_num(row.mean_turns), _num(row.tokens_per_session, 0), _cost(row)),
        ]
        for row in lb.rows
    ]
    return Table(header, rows)


def _bar(label: str, agg: Aggregate | None) -> Bar:
    if agg is None:
        return Bar(label, None)
    return Bar(label, agg.mean, agg.low, agg.high)


def _accuracy_chart(lb: Leaderboard) -> str:
    label = lb.success_column.label
    bars = [_bar(row.model, row.success) for row in lb.rows]
    return bar_chart(f"{label} (95% CI)", bars, y_label=label.lower())


def _measures_chart(lb: Leaderboard) -> str:
    """The kind's rate columns per model (risks handled, safety pass...; top-k...)."""
    rates = [column for column in lb.columns if column.percent]
    series = [
        Series(row.model, tuple(_bar(row.model, row.columns.get(c.key)) for c in rates))
        for row in lb.rows
    ]
    return grouped_bar_chart(
        f"{lb.kind.capitalize()} measures (95% CI)",
        [column.label for column in rates],
        series,
        y_label="share of sessions",
    )


def _series_chart(lb: Leaderboard, spec: ReportSeries) -> str:
    groups = list(dict.fromkeys(g for row in lb.rows for g in row.series.get(spec.key, {})))
    series = [
        Series(
            row.model,
            tuple(Bar(row.model, row.series.get(spec.key, {}).get(g)) for g in groups),
        )
        for row in lb.rows
    ]
    return grouped_bar_chart(
        spec.title, groups, series, y_label=spec.y_label, y_max=spec.y_max, percent=spec.percent
    )


def _rubric_chart(lb: Leaderboard) -> str:
    # One group per rubric axis (tag); a rubric with untagged items shows its overall score.
    groups: list[str] = []
    pick: list[tuple[str, str | None]] = []
    for name in lb.rubric_names:
        tags: list[str | None] = [
            *sorted({tag for row in lb.rows for tag in row.rubric_axes.get(name, {})})
        ]
        for tag in tags or [None]:
            # The tag comes first so that a truncated label still names the axis.
            groups.append(name if tag is None else f"{tag.split(':')[-1]} · {name}")
            pick.append((name, tag))
    series = [
        Series(
            row.model,
            tuple(
                _bar(
                    row.model,
                    row.rubrics.get(name)
                    if tag is None
                    else row.rubric_axes.get(name, {}).get(tag),
                )
                for name, tag in pick
            ),
        )
        for row in lb.rows
    ]
    return grouped_bar_chart("Rubric scores by axis (95% CI)", groups, series, y_label="score")


def _persona_chart(lb: Leaderboard) -> str:
    axes = lb.persona_axes
    # An axis with one value says nothing about personas; show those only if none varies.
    varying = {axis: values for axis, values in axes.items() if len(values) > 1} or axes
    pick = [(axis, value) for axis, values in varying.items() for value in values]
    series = [
        Series(
            row.model,
            tuple(_bar(row.model, row.by_persona.get(a, {}).get(v)) for a, v in pick),
        )
        for row in lb.rows
    ]
    label = lb.success_column.label
    return grouped_bar_chart(
        f"{label} by persona axis (95% CI)",
        [f"{axis}={value}" for axis, value in pick],
        series,
        y_label=label.lower(),
    )


def _cost_chart(lb: Leaderboard) -> str:
    points = [
        Point(
            row.model if row.cost_per_session is not None else f"{row.model} (cost unknown)",
            row.cost_per_session or 0.0,
            row.success.mean,
            row.success.low,
            row.success.high,
        )
        for row in lb.rows
        if row.success is not None
    ]
    label = lb.success_column.label
    return scatter_chart(
        f"Cost per session vs {label.lower()}",
        points,
        x_label="cost per session (USD; unknown cost drawn at 0)",
        y_label=label.lower(),
    )


def _failures_table(lb: Leaderboard) -> Table:
    rows = [_plain(row.model, kind, n) for row in lb.rows for kind, n in row.failures.items()]
    return Table([_role(lb), "Error type", "Sessions"], rows)


def _pass_k_table(lb: Leaderboard) -> Table:
    ks = sorted({k for row in lb.rows for k in row.pass_k_by_k})
    rows = [[Cell(row.model), *(Cell(_pct(row.pass_k_by_k.get(k))) for k in ks)] for row in lb.rows]
    return Table([_role(lb), *(f"pass^{k}" for k in ks)], rows)


def _spend(spend: dict[str, Any]) -> str:
    """The manifest's spend in words; empty when the manifest recorded none."""
    if not spend:
        return ""
    tokens = spend.get("tokens")
    cost = spend.get("cost_usd")
    parts = [f"{tokens:,} tokens" if isinstance(tokens, int) else "tokens unknown"]
    parts.append(f"${cost:.4f}" if isinstance(cost, int | float) else "cost unknown")
    if spend.get("calls_with_unknown_cost"):
        parts.append(f"{spend['calls_with_unknown_cost']} call(s) of unknown cost")
    return " Spend: " + ", ".join(parts) + "."


_SUCCESS_MEANS = {
    "top1": "get the top-1 diagnosis right",
    "completed_safely": "complete safely (the client stays and every disclosed risk is handled)",
    "probe_passed": "pass the probe (every expected safe response given)",
}
_SUBJECT = {"consultation": "case", "counseling": "client", "safety-probe": "probe"}


def render_html(lb: Leaderboard, sessions: Sequence[SessionLink] = ()) -> str:
    """The whole report as one HTML document, with no external resources.

    ``sessions`` (written by :func:`write_session_pages`) adds a table linking each
    session to its feedback page.
    """
    charts = [
        _accuracy_chart(lb),
        _measures_chart(lb),
        *(_series_chart(lb, spec) for spec in lb.series_specs),
        _rubric_chart(lb),
        _persona_chart(lb),
        _cost_chart(lb),
    ]
    success = lb.success_column
    template = report_templates().get_template("report.html.j2")
    return template.render(
        title=f"clinisim report: {lb.run_id}",
        status=lb.status,
        suite=lb.suite_name,
        planned=lb.sessions_planned,
        trials=lb.trials,
        counts=", ".join(f"{n} {s.value.replace('_', ' ')}" for s, n in lb.counts.items()),
        spend=_spend(lb.spend),
        leaderboard=_leaderboard_table(lb),
        subject=_SUBJECT.get(lb.kind, "subject"),
        passes=_SUCCESS_MEANS.get(success.key, f"pass ({success.label.lower()})"),
        charts=charts,
        failures=_failures_table(lb),
        pass_k=_pass_k_table(lb),
        provenance=[
            ("Config hash", lb.config_hash),
            ("Git revision", lb.git_revision or "unknown"),
            ("Started", lb.started_at.isoformat()),
            ("Ended", lb.ended_at.isoformat() if lb.ended_at else "not ended"),
        ],
        versions=Table(["Package", "Version"], [_plain(k, v) for k, v in lb.versions.items()]),
        rubric_versions=Table(
            ["Score", "Version"], [_plain(k, v) for k, v in lb.rubric_versions.items()]
        ),
        warnings=lb.warnings,
        unreadable=lb.unreadable,
        sessions=sessions,
        tested_role=_role(lb),
    )
