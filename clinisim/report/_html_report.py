"""The benchmark report as one self-contained HTML file.

Everything is inline (a small ``<style>`` and SVG charts), so the file can be mailed,
archived or opened offline and always looks the same. All text from the run is
escaped: model names and error types come from user configuration and providers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from clinisim.engine import ReportColumn, ReportSeries
from clinisim.judges import Aggregate
from clinisim.report._leaderboard import Leaderboard, ModelRow
from clinisim.report._svg_charts import (
    Bar,
    Point,
    Series,
    bar_chart,
    grouped_bar_chart,
    scatter_chart,
)
from clinisim.runner import SessionStatus

__all__ = ["render_html"]

_STYLE = """
body { font-family: sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: right; }
th { background: #f4f4f4; }
td:first-child, th:first-child { text-align: left; }
.ci { color: #777; font-size: .8em; }
.status { display: inline-block; padding: 0 .5rem; border-radius: .25rem; background: #eee; }
.status-complete { background: #d8f0d8; }
.status-incomplete, .status-running { background: #fff1c2; }
.status-aborted { background: #f8d4d4; }
.muted { color: #777; }
figure { margin: 1rem 0; }
""".strip()

_NA = "–"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _pct(value: float | None) -> str:
    return _NA if value is None else f"{value * 100:.1f}%"


def _agg(agg: Aggregate | None) -> str:
    """A percentage with its CI and sample size, as table-cell HTML."""
    if agg is None:
        return _NA
    ci = f"{agg.low * 100:.1f}–{agg.high * 100:.1f}, n={agg.n}"
    return f'{_pct(agg.mean)} <span class="ci">[{_e(ci)}]</span>'


def _num(value: float | None, digits: int = 1) -> str:
    return _NA if value is None else f"{value:,.{digits}f}"


def _mean_ci(agg: Aggregate | None) -> str:
    """A plain mean (not a rate) with its CI and sample size, as table-cell HTML."""
    if agg is None:
        return _NA
    ci = f"{agg.low:,.2f}–{agg.high:,.2f}, n={agg.n}"
    return f'{_num(agg.mean, 2)} <span class="ci">[{_e(ci)}]</span>'


def _column_cell(column: ReportColumn, agg: Aggregate | None) -> str:
    return _agg(agg) if column.percent else _mean_ci(agg)


def _role(lb: Leaderboard) -> str:
    return lb.tested_role.capitalize()


def _cost(row: ModelRow) -> str:
    if row.cost_per_session is None:
        return "unknown"
    text = f"${row.cost_per_session:.4f}"
    # Some calls had no price: the known part is a lower bound.
    return f"≥ {text}" if row.calls_unknown_cost else text


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table; ``header`` is plain text, cells are HTML already escaped by the caller."""
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def _leaderboard_table(lb: Leaderboard) -> str:
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
            _e(row.model),
            f"{row.ended} / {row.sessions_planned}",
            *(str(row.counts[s]) for s in SessionStatus),
            _agg(row.success),
            _pct(row.pass_k),
            *(_column_cell(c, row.columns.get(c.key)) for c in lb.columns),
            *(_agg(row.rubrics.get(name)) for name in rubrics),
            *([_num(row.realism, 3)] if realism else []),
            _num(row.mean_turns),
            _num(row.tokens_per_session, 0),
            _e(_cost(row)),
        ]
        for row in lb.rows
    ]
    return _table(header, rows)


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


def _failures_table(lb: Leaderboard) -> str:
    rows = [
        [_e(row.model), _e(kind), str(n)] for row in lb.rows for kind, n in row.failures.items()
    ]
    if not rows:
        return '<p class="muted">No failed or budget-exceeded sessions.</p>'
    return _table([_role(lb), "Error type", "Sessions"], rows)


def _pass_k_table(lb: Leaderboard) -> str:
    ks = sorted({k for row in lb.rows for k in row.pass_k_by_k})
    rows = [[_e(row.model), *(_pct(row.pass_k_by_k.get(k)) for k in ks)] for row in lb.rows]
    return _table([_role(lb), *(f"pass^{k}" for k in ks)], rows)


def _dl(items: Iterable[tuple[str, str]]) -> str:
    body = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items)
    return f"<dl>{body}</dl>"


def _provenance(lb: Leaderboard) -> str:
    parts = [
        _dl(
            [
                ("Config hash", lb.config_hash),
                ("Git revision", lb.git_revision or "unknown"),
                ("Started", lb.started_at.isoformat()),
                ("Ended", lb.ended_at.isoformat() if lb.ended_at else "not ended"),
            ]
        ),
        "<h3>Versions</h3>",
        _table(["Package", "Version"], [[_e(k), _e(v)] for k, v in lb.versions.items()]),
        "<h3>Rubric versions</h3>",
        _table(["Score", "Version"], [[_e(k), _e(v)] for k, v in lb.rubric_versions.items()]),
        "<h3>Warnings</h3>",
    ]
    if lb.warnings:
        parts.append("<ul>" + "".join(f"<li>{_e(w)}</li>" for w in lb.warnings) + "</ul>")
    else:
        parts.append('<p class="muted">None.</p>')
    if lb.unreadable:
        parts.append("<h3>Unreadable session files</h3>")
        parts.append("<ul>" + "".join(f"<li>{_e(p)}</li>" for p in lb.unreadable) + "</ul>")
    return "\n".join(parts)


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


def _summary(lb: Leaderboard) -> str:
    counts = ", ".join(f"{n} {s.value.replace('_', ' ')}" for s, n in lb.counts.items())
    return (
        f"<p>Suite <strong>{_e(lb.suite_name)}</strong>: {lb.sessions_planned} sessions "
        f"planned ({lb.trials} trial(s) each); {_e(counts)}.{_e(_spend(lb.spend))}</p>"
    )


_SUCCESS_MEANS = {
    "top1": "get the top-1 diagnosis right",
    "completed_safely": "complete safely (the client stays and every disclosed risk is handled)",
}


def _definitions(lb: Leaderboard) -> str:
    success = lb.success_column
    passes = _SUCCESS_MEANS.get(success.key, f"pass ({success.label.lower()})")
    return (
        "Rates and means are over <em>ended</em> sessions (completed, budget exceeded "
        "and failed); a failed session counts as not successful. Interrupted and missing "
        "sessions are only counted. Brackets give the percentile bootstrap 95% confidence "
        "interval and the number of sessions the measure applied to. pass^k is the chance "
        f"that k trials of the same {_e(_SUBJECT.get(lb.kind, 'subject'))} and persona all "
        f"{_e(passes)}."
    )


_SUBJECT = {"consultation": "case", "counseling": "client"}


def render_html(lb: Leaderboard) -> str:
    """The whole report as one HTML document, with no external resources."""
    title = f"clinisim report: {lb.run_id}"
    charts = [
        _accuracy_chart(lb),
        _measures_chart(lb),
        *(_series_chart(lb, spec) for spec in lb.series_specs),
        _rubric_chart(lb),
        _persona_chart(lb),
        _cost_chart(lb),
    ]
    figures = "\n".join(f"<figure>\n{svg}\n</figure>" for svg in charts)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>
{_STYLE}
</style>
</head>
<body>
<h1>{_e(title)} <span class="status status-{_e(lb.status)}">{_e(lb.status)}</span></h1>
{_summary(lb)}
<h2>Leaderboard</h2>
{_leaderboard_table(lb)}
<p class="muted">{_definitions(lb)}</p>
<h2>Plots</h2>
{figures}
<h2>Failures</h2>
{_failures_table(lb)}
<h2>pass^k</h2>
{_pass_k_table(lb)}
<h2>Provenance</h2>
{_provenance(lb)}
</body>
</html>
"""
