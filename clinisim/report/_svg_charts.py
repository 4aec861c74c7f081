"""Small inline SVG charts for the HTML benchmark report.

The report is one self-contained HTML file, so the charts are SVG strings built with the
standard library alone: no plotting dependency, no external assets, and identical output for
identical input, so two reports can be diffed.

Every drawn element that carries data has a ``<title>`` child, which browsers show as a
tooltip. Drawn labels are truncated to keep the layout stable; the tooltips keep the full text.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Bar", "Point", "Series", "bar_chart", "grouped_bar_chart", "scatter_chart"]


@dataclass(frozen=True)
class Bar:
    """One bar: a value with an optional 95% confidence interval.

    ``value=None`` draws no bar and writes "n/a" at the base. An error bar is drawn only when
    both ``low`` and ``high`` are given.
    """

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Series:
    """A named series for :func:`grouped_bar_chart`: one :class:`Bar` per group, in order."""

    name: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Point:
    """One labelled point for :func:`scatter_chart`, with an optional vertical CI on ``y``."""

    label: str
    x: float
    y: float
    low: float | None = None
    high: float | None = None


# Tableau 10: distinguishable hues that stay readable on a white page.
_PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
# Presentation attributes rather than a <style> element: CSS inside an inline SVG is not scoped
# to the SVG, so it would leak into the rest of the report page.
_FONT = "sans-serif"
_TEXT = "#333333"
_MUTED = "#777777"
_GRID = "#e3e3e3"
_AXIS = "#666666"
_CI = "#222222"

_MAX_LABEL = 24
# Rough average glyph width of 11px sans-serif text; only used to plan the layout.
_CHAR_W = 6.2
_TICKS = 4
_LEFT = 64.0
_RIGHT = 24.0
_TOP = 48.0
_PLOT_H = 220.0
_MIN_PLOT_W = 420.0
_ROTATE_DEG = 35.0


@dataclass(frozen=True)
class _Frame:
    """The plot area in SVG user units; y grows downwards, as in SVG."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def y_at(self, value: float, y_max: float) -> float:
        return self.bottom - _clip(value, y_max) / y_max * self.height


def _clip(value: float, upper: float) -> float:
    return min(max(value, 0.0), upper)


def _c(value: float) -> str:
    """A coordinate with one decimal; ``-0.0`` would make equal inputs print differently."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _esc(text: str) -> str:
    # quote=True so the same helper is safe in attribute values as well as in text.
    return html.escape(text, quote=True)


def _truncate(text: str, limit: int = _MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _finite(value: float | None) -> float | None:
    # NaN and infinities cannot be placed on an axis; treating them as missing shows "n/a".
    return value if value is not None and math.isfinite(value) else None


def _interval(low: float | None, high: float | None) -> tuple[float, float] | None:
    lo, hi = _finite(low), _finite(high)
    if lo is None or hi is None:
        return None
    return (min(lo, hi), max(lo, hi))


def _fmt_number(value: float) -> str:
    """A short human number for ticks: thousands separators, few decimals, no trailing zeros."""
    if value == 0:
        return "0"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 1:
        text = f"{value:.2f}"
    else:
        # Significant digits, because small costs or latencies would otherwise all print as 0.
        text = f"{value:.3g}"
    if "." in text and "e" not in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _fmt_tick(value: float, percent: bool) -> str:
    return f"{_fmt_number(value * 100)}%" if percent else _fmt_number(value)


def _fmt_value(value: float, percent: bool) -> str:
    return f"{value * 100:.1f}%" if percent else f"{value:.3f}"


def _fmt_ci(ci: tuple[float, float], percent: bool) -> str:
    low, high = ci
    if percent:
        return f"95% CI {low * 100:.1f}–{high * 100:.1f}%"
    return f"95% CI {low:.3f}–{high:.3f}"


def _describe(
    label: str, value: float | None, ci: tuple[float, float] | None, percent: bool
) -> str:
    if value is None:
        return f"{label}: n/a"
    text = f"{label}: {_fmt_value(value, percent)}"
    return f"{text} ({_fmt_ci(ci, percent)})" if ci is not None else text


def _check_y_max(y_max: float) -> None:
    if not (math.isfinite(y_max) and y_max > 0):
        raise ValueError(f"y_max must be a positive finite number, got {y_max!r}")


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 11,
    anchor: str = "middle",
    fill: str = _TEXT,
    cls: str | None = None,
    extra: str = "",
    tooltip: str | None = None,
) -> str:
    class_attr = f' class="{cls}"' if cls else ""
    extra_attr = f" {extra}" if extra else ""
    title = f"<title>{_esc(tooltip)}</title>" if tooltip is not None else ""
    return (
        f'<text{class_attr} x="{_c(x)}" y="{_c(y)}" font-size="{size:g}" '
        f'text-anchor="{anchor}" fill="{fill}"{extra_attr}>{_esc(content)}{title}</text>'
    )


def _label_text(x: float, y: float, label: str, *, rotate: bool, cls: str) -> str:
    """An axis label, truncated, with the full text as tooltip when it had to be cut."""
    shown = _truncate(label)
    tooltip = label if shown != label else None
    if rotate:
        return _text(
            x,
            y,
            shown,
            anchor="end",
            cls=cls,
            extra=f'transform="rotate(-{_ROTATE_DEG:g} {_c(x)} {_c(y)})"',
            tooltip=tooltip,
        )
    return _text(x, y, shown, cls=cls, tooltip=tooltip)


def _line(
    x1: float, y1: float, x2: float, y2: float, *, cls: str, stroke: str, width: float
) -> str:
    return (
        f'<line class="{cls}" x1="{_c(x1)}" y1="{_c(y1)}" x2="{_c(x2)}" y2="{_c(y2)}" '
        f'stroke="{stroke}" stroke-width="{width:g}"/>'
    )


def _open(width: float, height: float, title: str) -> list[str]:
    escaped = _esc(title)
    # The visible title is cut to the chart width; the <title> element keeps all of it.
    fits = max(8, int((width - 32) / 8))
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_c(width)} {_c(height)}" '
        f'width="{_c(width)}" height="{_c(height)}" role="img" aria-label="{escaped}" '
        f'font-family="{_FONT}" style="max-width:100%;height:auto">',
        f"<title>{escaped}</title>",
        _text(
            16,
            26,
            _truncate(title, fits),
            size=14,
            anchor="start",
            cls="chart-title",
            extra='font-weight="600"',
        ),
    ]


def _no_data(title: str) -> str:
    width, height = 480.0, 140.0
    parts = _open(width, height, title)
    parts.append(_text(width / 2, 84, "no data", size=13, fill=_MUTED, cls="no-data"))
    parts.append("</svg>")
    return "\n".join(parts)


def _y_axis(parts: list[str], frame: _Frame, y_max: float, percent: bool, y_label: str) -> None:
    for i in range(_TICKS + 1):
        value = y_max * i / _TICKS
        y = frame.y_at(value, y_max)
        parts.append(_line(frame.left, y, frame.right, y, cls="grid", stroke=_GRID, width=1))
        parts.append(_line(frame.left - 4, y, frame.left, y, cls="tick", stroke=_AXIS, width=1))
        parts.append(
            _text(
                frame.left - 7,
                y + 4,
                _fmt_tick(value, percent),
                size=10,
                anchor="end",
                fill=_MUTED,
                cls="tick-label",
            )
        )
    parts.append(
        _line(frame.left, frame.top, frame.left, frame.bottom, cls="axis", stroke=_AXIS, width=1)
    )
    parts.append(
        _line(
            frame.left, frame.bottom, frame.right, frame.bottom, cls="axis", stroke=_AXIS, width=1
        )
    )
    if y_label:
        x, y = 16.0, frame.top + frame.height / 2
        parts.append(
            _text(
                x,
                y,
                _truncate(y_label, 40),
                cls="axis-label",
                extra=f'transform="rotate(-90 {_c(x)} {_c(y)})"',
            )
        )


def _x_label_layout(labels: Sequence[str], slot: float) -> tuple[bool, float, float]:
    """Whether x labels must be rotated to fit their slots, their height, and the left margin.

    Rotated labels hang down to the left of their slot, so the first one can need more left
    margin than the y axis does.
    """
    widest = max((len(_truncate(label)) for label in labels), default=0) * _CHAR_W
    if widest <= slot - 4:
        return False, 22.0, _LEFT
    angle = math.radians(_ROTATE_DEG)
    overhang = widest * math.cos(angle) - slot / 2 + 8
    return True, widest * math.sin(angle) + 22.0, max(_LEFT, overhang)


def _draw_bar(
    parts: list[str],
    frame: _Frame,
    *,
    center: float,
    bar_width: float,
    bar: Bar,
    tooltip_label: str,
    colour: str,
    y_max: float,
    percent: bool,
    font_size: float,
) -> None:
    value = _finite(bar.value)
    ci = _interval(bar.low, bar.high) if value is not None else None
    tooltip = _esc(_describe(tooltip_label, value, ci, percent))
    if value is None:
        parts.append(
            f'<g class="na"><title>{tooltip}</title>'
            + _text(center, frame.bottom - 4, "n/a", size=font_size, fill=_MUTED)
            + "</g>"
        )
        return
    top = frame.y_at(value, y_max)
    parts.append(
        f'<rect class="bar" x="{_c(center - bar_width / 2)}" y="{_c(top)}" '
        f'width="{_c(bar_width)}" height="{_c(frame.bottom - top)}" fill="{colour}">'
        f"<title>{tooltip}</title></rect>"
    )
    label_y = top
    if ci is not None:
        y_high, y_low = frame.y_at(ci[1], y_max), frame.y_at(ci[0], y_max)
        cap = max(2.0, bar_width * 0.15)
        parts.append(_line(center, y_low, center, y_high, cls="ci", stroke=_CI, width=1.2))
        for y in (y_low, y_high):
            parts.append(
                _line(center - cap, y, center + cap, y, cls="ci-cap", stroke=_CI, width=1.2)
            )
        # Above the error bar too, so the number is never struck through by it.
        label_y = min(label_y, y_high)
    parts.append(
        _text(center, label_y - 5, _fmt_value(value, percent), size=font_size, cls="value")
    )


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    *,
    y_label: str = "",
    y_max: float = 1.0,
    percent: bool = True,
) -> str:
    """Render one bar per item as an inline SVG string.

    Bar heights are ``value / y_max`` of the plot height, with values clipped to
    ``[0, y_max]``; tooltips show the unclipped numbers. ``percent`` formats values as
    percentages of 1.0, otherwise as plain numbers with three decimals. An empty ``bars``
    gives a chart that says "no data".
    """
    _check_y_max(y_max)
    if not bars:
        return _no_data(title)
    plot_w = max(_MIN_PLOT_W, len(bars) * 56.0)
    slot = plot_w / len(bars)
    rotate, label_h, left = _x_label_layout([bar.label for bar in bars], slot)
    frame = _Frame(left, _TOP, plot_w, _PLOT_H)
    width = frame.right + _RIGHT
    height = frame.bottom + label_h + 12
    parts = _open(width, height, title)
    _y_axis(parts, frame, y_max, percent, y_label)
    for i, bar in enumerate(bars):
        center = frame.left + slot * (i + 0.5)
        _draw_bar(
            parts,
            frame,
            center=center,
            bar_width=min(slot * 0.6, 64.0),
            bar=bar,
            tooltip_label=bar.label,
            colour=_PALETTE[0],
            y_max=y_max,
            percent=percent,
            font_size=10,
        )
        parts.append(
            _label_text(center, frame.bottom + 16, bar.label, rotate=rotate, cls="x-label")
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _grouped_tooltip_label(series: Series, group: str, bar: Bar) -> str:
    """Series and group name the bar; ``Bar.label`` is added only when it says more."""
    base = f"{series.name} – {group}"
    extra = bar.label.strip()
    return f"{base} ({extra})" if extra and extra not in (series.name, group) else base


def _legend_rows(names: Sequence[str], left: float, right: float) -> list[list[tuple[float, str]]]:
    """Flow the legend entries into rows that fit between ``left`` and ``right``."""
    rows: list[list[tuple[float, str]]] = [[]]
    x = left
    for name in names:
        entry_w = 16 + len(_truncate(name)) * _CHAR_W + 18
        if rows[-1] and x + entry_w > right:
            rows.append([])
            x = left
        rows[-1].append((x, name))
        x += entry_w
    return rows


def grouped_bar_chart(
    title: str,
    groups: Sequence[str],
    series: Sequence[Series],
    *,
    y_label: str = "",
    y_max: float = 1.0,
    percent: bool = True,
) -> str:
    """Render bars grouped along the x axis, one colour per series, with a legend.

    Each series must hold exactly one :class:`Bar` per group, in the order of ``groups``;
    otherwise ``ValueError`` is raised. Scaling and formatting are as in :func:`bar_chart`.
    No groups or no series give a chart that says "no data".
    """
    _check_y_max(y_max)
    for item in series:
        if len(item.bars) != len(groups):
            raise ValueError(
                f"series {item.name!r} has {len(item.bars)} bars for {len(groups)} groups"
            )
    if not groups or not series:
        return _no_data(title)
    group_w = max(72.0, len(series) * 20.0 + 24.0)
    plot_w = max(_MIN_PLOT_W, len(groups) * group_w)
    group_w = plot_w / len(groups)
    bar_slot = group_w * 0.8 / len(series)
    rotate, label_h, left = _x_label_layout(groups, group_w)
    frame = _Frame(left, _TOP, plot_w, _PLOT_H)
    legend = _legend_rows([item.name for item in series], frame.left, frame.right)
    legend_top = frame.bottom + label_h + 10
    width = frame.right + _RIGHT
    height = legend_top + len(legend) * 18 + 8
    font_size = 10.0 if bar_slot >= 30 else 8.0
    parts = _open(width, height, title)
    _y_axis(parts, frame, y_max, percent, y_label)
    for g, group in enumerate(groups):
        group_left = frame.left + group_w * g
        for s, item in enumerate(series):
            _draw_bar(
                parts,
                frame,
                center=group_left + group_w * 0.1 + bar_slot * (s + 0.5),
                bar_width=bar_slot * 0.85,
                bar=item.bars[g],
                tooltip_label=_grouped_tooltip_label(item, group, item.bars[g]),
                colour=_PALETTE[s % len(_PALETTE)],
                y_max=y_max,
                percent=percent,
                font_size=font_size,
            )
        parts.append(
            _label_text(
                group_left + group_w / 2, frame.bottom + 16, group, rotate=rotate, cls="x-label"
            )
        )
    index = 0
    for r, row in enumerate(legend):
        y = legend_top + r * 18
        for x, name in row:
            colour = _PALETTE[index % len(_PALETTE)]
            parts.append(
                f'<g class="legend-item"><title>{_esc(name)}</title>'
                f'<rect class="legend-swatch" x="{_c(x)}" y="{_c(y)}" width="10.0" '
                f'height="10.0" fill="{colour}"/>'
                + _text(x + 16, y + 9, _truncate(name), anchor="start")
                + "</g>"
            )
            index += 1
    parts.append("</svg>")
    return "\n".join(parts)


def scatter_chart(
    title: str,
    points: Sequence[Point],
    *,
    x_label: str,
    y_label: str,
    y_max: float = 1.0,
    percent_y: bool = True,
) -> str:
    """Render labelled points as an inline SVG string.

    The x axis runs from 0 to the largest x (1 when that is not positive); y runs from 0 to
    ``y_max``, both clipped. Points whose x or y is not a finite number are left out, and a
    chart left with no points says "no data".
    """
    _check_y_max(y_max)
    shown = [p for p in points if math.isfinite(p.x) and math.isfinite(p.y)]
    if not shown:
        return _no_data(title)
    x_max = max(p.x for p in shown)
    if x_max <= 0:
        x_max = 1.0
    frame = _Frame(_LEFT, _TOP, 480.0, 240.0)
    width = frame.right + _RIGHT
    height = frame.bottom + 52
    parts = _open(width, height, title)
    _y_axis(parts, frame, y_max, percent_y, y_label)
    for i in range(_TICKS + 1):
        value = x_max * i / _TICKS
        x = frame.left + frame.width * i / _TICKS
        parts.append(_line(x, frame.bottom, x, frame.bottom + 4, cls="tick", stroke=_AXIS, width=1))
        parts.append(
            _text(x, frame.bottom + 16, _fmt_number(value), size=10, fill=_MUTED, cls="tick-label")
        )
    parts.append(
        _text(
            frame.left + frame.width / 2,
            frame.bottom + 40,
            _truncate(x_label, 60),
            cls="axis-label",
        )
    )
    for i, point in enumerate(shown):
        cx = frame.left + _clip(point.x, x_max) / x_max * frame.width
        cy = frame.y_at(point.y, y_max)
        ci = _interval(point.low, point.high)
        colour = _PALETTE[i % len(_PALETTE)]
        tooltip = f"{point.label}: x={_fmt_number(point.x)}, y={_fmt_value(point.y, percent_y)}"
        if ci is not None:
            tooltip += f" ({_fmt_ci(ci, percent_y)})"
            y_high, y_low = frame.y_at(ci[1], y_max), frame.y_at(ci[0], y_max)
            parts.append(_line(cx, y_low, cx, y_high, cls="ci", stroke=colour, width=1.5))
        parts.append(
            f'<circle class="point" cx="{_c(cx)}" cy="{_c(cy)}" r="5.0" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="1"><title>{_esc(tooltip)}</title></circle>'
        )
        # Labels near the right edge grow leftwards so they stay inside the viewBox.
        if cx > frame.right - 120:
            parts.append(
                _text(cx - 8, cy - 8, _truncate(point.label), anchor="end", cls="point-label")
            )
        else:
            parts.append(
                _text(cx + 8, cy - 8, _truncate(point.label), anchor="start", cls="point-label")
            )
    parts.append("</svg>")
    return "\n".join(parts)
