"""Tests for the inline SVG charts of the HTML report: parsed as XML, checked by geometry."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from clinisim.report._svg_charts import (
    Bar,
    Point,
    Series,
    bar_chart,
    grouped_bar_chart,
    scatter_chart,
)

SVG = "http://www.w3.org/2000/svg"


def _q(tag: str) -> str:
    return f"{{{SVG}}}{tag}"


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == _q("svg")
    return root


def _by_class(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [el for el in root.iter(_q(tag)) if el.get("class") == cls]


def _f(el: ET.Element, attr: str) -> float:
    value = el.get(attr)
    assert value is not None, f"{el.tag} has no {attr}"
    return float(value)


def _tooltip(el: ET.Element) -> str:
    title = el.find(_q("title"))
    assert title is not None
    return title.text or ""


def _all_text(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(_q("text"))]


def _own_text(root: ET.Element, cls: str) -> list[str]:
    """Drawn text of elements of a class, without their tooltip children."""
    return [el.text or "" for el in _by_class(root, "text", cls)]


def _scale(root: ET.Element) -> tuple[float, float]:
    """Baseline y and full plot height, read from a reference bar of value == y_max."""
    full = max(_by_class(root, "rect", "bar"), key=lambda r: _f(r, "height"))
    return _f(full, "y") + _f(full, "height"), _f(full, "height")


def test_root_is_standalone_svg_with_title_and_viewbox() -> None:
    root = _parse(bar_chart("Pass rate", [Bar("a", 0.5)]))
    assert root.get("viewBox") is not None
    assert len(root.get("viewBox", "").split()) == 4
    first = root[0]
    assert first.tag == _q("title")
    assert first.text == "Pass rate"


def test_bar_heights_are_proportional_to_value() -> None:
    root = _parse(bar_chart("t", [Bar("full", 1.0), Bar("half", 0.5), Bar("zero", 0.0)]))
    full, half, zero = _by_class(root, "rect", "bar")
    assert _f(full, "height") > 0
    assert _f(half, "height") == pytest.approx(_f(full, "height") / 2, abs=0.1)
    assert _f(zero, "height") == pytest.approx(0.0)
    bottoms = {round(_f(r, "y") + _f(r, "height"), 1) for r in (full, half, zero)}
    assert len(bottoms) == 1, "all bars must stand on the same baseline"


def test_heights_scale_with_y_max() -> None:
    root = _parse(bar_chart("t", [Bar("max", 4.0), Bar("quarter", 1.0)], y_max=4.0, percent=False))
    full, quarter = _by_class(root, "rect", "bar")
    assert _f(quarter, "height") == pytest.approx(_f(full, "height") / 4, abs=0.1)


def test_values_outside_the_axis_are_clipped() -> None:
    root = _parse(bar_chart("t", [Bar("one", 1.0), Bar("over", 1.7), Bar("under", -0.3)]))
    one, over, under = _by_class(root, "rect", "bar")
    assert _f(over, "height") == pytest.approx(_f(one, "height"))
    assert _f(over, "y") == pytest.approx(_f(one, "y"))
    assert _f(under, "height") == pytest.approx(0.0)
    # The tooltip still tells the true number.
    assert _tooltip(over) == "over: 170.0%"


def test_ci_line_spans_low_to_high() -> None:
    root = _parse(bar_chart("t", [Bar("ref", 1.0), Bar("b", 0.6, low=0.5, high=0.75)]))
    base, full = _scale(root)
    (ci,) = _by_class(root, "line", "ci")
    ys = sorted([_f(ci, "y1"), _f(ci, "y2")])
    assert ys[0] == pytest.approx(base - 0.75 * full, abs=0.1)
    assert ys[1] == pytest.approx(base - 0.5 * full, abs=0.1)
    bar = _by_class(root, "rect", "bar")[1]
    center = _f(bar, "x") + _f(bar, "width") / 2
    assert _f(ci, "x1") == pytest.approx(center, abs=0.1)
    assert _f(ci, "x2") == pytest.approx(center, abs=0.1)


def test_ci_given_in_reverse_order_is_still_drawn_low_to_high() -> None:
    root = _parse(bar_chart("t", [Bar("ref", 1.0), Bar("b", 0.6, low=0.8, high=0.4)]))
    base, full = _scale(root)
    (ci,) = _by_class(root, "line", "ci")
    assert {round(_f(ci, "y1"), 1), round(_f(ci, "y2"), 1)} == {
        round(base - 0.4 * full, 1),
        round(base - 0.8 * full, 1),
    }
    assert _tooltip(_by_class(root, "rect", "bar")[1]) == "b: 60.0% (95% CI 40.0–80.0%)"


def test_ci_needs_both_ends() -> None:
    root = _parse(bar_chart("t", [Bar("a", 0.6, low=0.5), Bar("b", 0.6, high=0.7)]))
    assert _by_class(root, "rect", "bar")
    assert _by_class(root, "line", "ci") == []


def test_bar_tooltips_show_value_and_ci() -> None:
    root = _parse(bar_chart("t", [Bar("A", 0.625, low=0.5, high=0.75), Bar("B", 0.1)]))
    a, b = _by_class(root, "rect", "bar")
    assert _tooltip(a) == "A: 62.5% (95% CI 50.0–75.0%)"
    assert _tooltip(b) == "B: 10.0%"


def test_plain_number_formatting_uses_three_decimals() -> None:
    svg = bar_chart("t", [Bar("A", 0.625, low=0.5, high=0.75)], percent=False)
    root = _parse(svg)
    (a,) = _by_class(root, "rect", "bar")
    assert _tooltip(a) == "A: 0.625 (95% CI 0.500–0.750)"
    assert "%" not in "".join(_own_text(root, "tick-label"))


def test_value_label_is_drawn_above_its_bar_and_error_bar() -> None:
    root = _parse(bar_chart("t", [Bar("a", 0.5), Bar("b", 0.5, low=0.4, high=0.9)]))
    plain, with_ci = _by_class(root, "rect", "bar")
    label_plain, label_ci = _by_class(root, "text", "value")
    assert label_plain.text == "50.0%"
    assert _f(label_plain, "y") < _f(plain, "y")
    (ci,) = _by_class(root, "line", "ci")
    assert _f(label_ci, "y") < min(_f(ci, "y1"), _f(ci, "y2"))
    assert _f(label_ci, "y") < _f(with_ci, "y")


def test_missing_value_draws_no_bar_and_says_na() -> None:
    bars = [Bar("a", 0.5), Bar("missing", None, low=0.1, high=0.2), Bar("nan", math.nan)]
    root = _parse(bar_chart("t", bars))
    rects = _by_class(root, "rect", "bar")
    assert len(rects) == 1
    assert _tooltip(rects[0]).startswith("a:")
    na_groups = _by_class(root, "g", "na")
    assert [_tooltip(g) for g in na_groups] == ["missing: n/a", "nan: n/a"]
    assert _all_text(root).count("n/a") == 2
    assert _by_class(root, "line", "ci") == []


def test_y_axis_has_five_ticks_at_quarters() -> None:
    root = _parse(bar_chart("t", [Bar("a", 1.0)]))
    assert _own_text(root, "tick-label") == ["0%", "25%", "50%", "75%", "100%"]
    grid = _by_class(root, "line", "grid")
    assert len(grid) == 5
    base, full = _scale(root)
    ys = sorted(_f(line, "y1") for line in grid)
    expected = sorted(base - full * i / 4 for i in range(5))
    assert ys == pytest.approx(expected, abs=0.1)


def test_y_axis_ticks_follow_y_max_for_plain_numbers() -> None:
    root = _parse(bar_chart("t", [Bar("a", 1.0)], y_max=2.0, percent=False))
    assert _own_text(root, "tick-label") == ["0", "0.5", "1", "1.5", "2"]


def test_axis_label_is_drawn() -> None:
    root = _parse(bar_chart("t", [Bar("a", 0.3)], y_label="Pass rate"))
    assert _own_text(root, "axis-label") == ["Pass rate"]


def test_user_text_is_escaped_and_parses() -> None:
    nasty = 'A <b>&"x"'
    svg = grouped_bar_chart(
        nasty,
        [nasty],
        [Series(nasty, (Bar(nasty, 0.5),))],
        y_label=nasty,
    )
    assert "<b>" not in svg
    root = _parse(svg)
    assert root[0].text == nasty
    assert root.get("aria-label") == nasty
    texts = _all_text(root)
    assert nasty in texts  # x label, legend, y label
    (bar,) = _by_class(root, "rect", "bar")
    assert nasty in _tooltip(bar)


def test_escaping_in_scatter_and_bar_chart() -> None:
    for svg in (
        bar_chart("<&>", [Bar("<&>", 0.4, low=0.3, high=0.5)], y_label="<&>"),
        scatter_chart("<&>", [Point("<&>", 1.0, 0.5)], x_label="<&>", y_label="<&>"),
    ):
        assert "<&>" not in svg
        root = _parse(svg)
        assert root[0].text == "<&>"
        assert "<&>" in _all_text(root)


def test_long_labels_are_truncated_with_full_text_in_tooltip() -> None:
    long = "a very long model name that keeps going"
    root = _parse(bar_chart("t", [Bar(long, 0.5)]))
    (drawn,) = _by_class(root, "text", "x-label")
    assert drawn.text is not None
    assert drawn.text.endswith("…")
    assert len(drawn.text) <= 24
    assert long.startswith(drawn.text[:-1])
    (bar,) = _by_class(root, "rect", "bar")
    assert _tooltip(bar).startswith(long + ":")
    assert _tooltip(drawn) == long


def test_short_labels_are_not_truncated() -> None:
    root = _parse(bar_chart("t", [Bar("gpt-x", 0.5)]))
    assert _own_text(root, "x-label") == ["gpt-x"]


def test_grouped_chart_has_a_rect_per_group_and_series() -> None:
    groups = ["history", "exam", "diagnosis"]
    series = [
        Series("model A", (Bar("", 0.2), Bar("", 0.4), Bar("", 0.6))),
        Series("model B", (Bar("", 0.8), Bar("", 1.0), Bar("", 0.5, low=0.4, high=0.6))),
    ]
    root = _parse(grouped_bar_chart("t", groups, series))
    rects = _by_class(root, "rect", "bar")
    assert len(rects) == 6
    swatches = _by_class(root, "rect", "legend-swatch")
    assert len(swatches) == 2
    # Legend swatches carry the colours of their series' bars.
    fills_by_series = {
        "model A": {r.get("fill") for r in rects if _tooltip(r).startswith("model A")},
        "model B": {r.get("fill") for r in rects if _tooltip(r).startswith("model B")},
    }
    assert fills_by_series["model A"] == {swatches[0].get("fill")}
    assert fills_by_series["model B"] == {swatches[1].get("fill")}
    assert swatches[0].get("fill") != swatches[1].get("fill")
    assert _own_text(root, "x-label") == groups
    assert len(_by_class(root, "line", "ci")) == 1


def test_grouped_bars_sit_inside_their_group_in_order() -> None:
    groups = ["g1", "g2"]
    series = [Series("A", (Bar("", 0.5), Bar("", 0.5))), Series("B", (Bar("", 0.5), Bar("", 0.5)))]
    root = _parse(grouped_bar_chart("t", groups, series))
    xs = [_f(r, "x") for r in _by_class(root, "rect", "bar")]
    # Drawn group by group: g1/A, g1/B, g2/A, g2/B, left to right.
    assert xs == sorted(xs)
    tips = [_tooltip(r) for r in _by_class(root, "rect", "bar")]
    assert [t.split(":")[0] for t in tips] == ["A – g1", "B – g1", "A – g2", "B – g2"]


def test_grouped_chart_heights_share_one_scale() -> None:
    series = [Series("A", (Bar("", 1.0), Bar("", 0.25)))]
    root = _parse(grouped_bar_chart("t", ["x", "y"], series))
    full, quarter = _by_class(root, "rect", "bar")
    assert _f(quarter, "height") == pytest.approx(_f(full, "height") / 4, abs=0.1)


def test_grouped_missing_value_draws_no_rect() -> None:
    series = [Series("A", (Bar("", 0.3), Bar("", None)))]
    root = _parse(grouped_bar_chart("t", ["x", "y"], series))
    assert len(_by_class(root, "rect", "bar")) == 1
    assert [_tooltip(g) for g in _by_class(root, "g", "na")] == ["A – y: n/a"]


def test_grouped_rejects_series_of_the_wrong_length() -> None:
    with pytest.raises(ValueError, match="bars for 2 groups"):
        grouped_bar_chart("t", ["x", "y"], [Series("A", (Bar("", 0.3),))])


def test_palette_has_at_least_eight_colours_and_cycles() -> None:
    series = [Series(f"s{i}", (Bar("", 0.5),)) for i in range(20)]
    root = _parse(grouped_bar_chart("t", ["g"], series))
    fills = [s.get("fill") for s in _by_class(root, "rect", "legend-swatch")]
    assert len(fills) == 20
    distinct = len(set(fills))
    assert distinct >= 8
    assert fills[distinct] == fills[0]
    assert all(fills[i] == fills[i % distinct] for i in range(20))


def test_scatter_positions_follow_the_data() -> None:
    points = [Point("a", 1.0, 0.2), Point("b", 4.0, 0.9), Point("c", 2.5, 0.5)]
    root = _parse(scatter_chart("t", points, x_label="cost", y_label="score"))
    circles = _by_class(root, "circle", "point")
    assert len(circles) == 3
    cx = [_f(c, "cx") for c in circles]
    cy = [_f(c, "cy") for c in circles]
    assert cx[0] < cx[2] < cx[1]
    # SVG y grows downwards: a higher score sits higher up.
    assert cy[1] < cy[2] < cy[0]
    # Linear in x from 0: distances from the origin are in proportion to x.
    (y_axis, _x_axis) = _by_class(root, "line", "axis")
    origin = _f(y_axis, "x1")
    assert (cx[0] - origin) / (cx[1] - origin) == pytest.approx(1.0 / 4.0, abs=0.01)
    assert _own_text(root, "point-label") == ["a", "b", "c"]
    assert [_tooltip(c) for c in circles] == [
        "a: x=1, y=20.0%",
        "b: x=4, y=90.0%",
        "c: x=2.5, y=50.0%",
    ]


def test_scatter_all_zero_x_uses_unit_axis() -> None:
    points = [Point("a", 0.0, 0.2), Point("b", 0.0, 0.4)]
    root = _parse(scatter_chart("t", points, x_label="x", y_label="y"))
    circles = _by_class(root, "circle", "point")
    (y_axis, _x_axis) = _by_class(root, "line", "axis")
    assert all(_f(c, "cx") == pytest.approx(_f(y_axis, "x1")) for c in circles)
    assert _own_text(root, "tick-label")[-1] == "1"


def test_scatter_ci_lines_span_low_to_high() -> None:
    points = [Point("a", 1.0, 1.0), Point("b", 2.0, 0.5, low=0.25, high=0.75)]
    root = _parse(scatter_chart("t", points, x_label="x", y_label="y"))
    top_point, mid_point = _by_class(root, "circle", "point")
    (ci,) = _by_class(root, "line", "ci")
    # The point at y=1.0 marks the top of the axis and the CI centre marks y=0.5.
    top, mid = _f(top_point, "cy"), _f(mid_point, "cy")
    base = mid + (mid - top)
    ys = sorted([_f(ci, "y1"), _f(ci, "y2")])
    assert ys[0] == pytest.approx(base - 0.75 * (base - top), abs=0.1)
    assert ys[1] == pytest.approx(base - 0.25 * (base - top), abs=0.1)
    assert _f(ci, "x1") == pytest.approx(_f(mid_point, "cx"))
    assert _tooltip(mid_point) == "b: x=2, y=50.0% (95% CI 25.0–75.0%)"


def test_scatter_skips_points_that_cannot_be_placed() -> None:
    points = [Point("ok", 1.0, 0.5), Point("bad", math.nan, 0.5), Point("inf", 1.0, math.inf)]
    root = _parse(scatter_chart("t", points, x_label="x", y_label="y"))
    assert [_tooltip(c).split(":")[0] for c in _by_class(root, "circle", "point")] == ["ok"]


@pytest.mark.parametrize(
    "svg",
    [
        bar_chart("Empty", []),
        grouped_bar_chart("Empty", [], []),
        grouped_bar_chart("Empty", ["g"], []),
        scatter_chart("Empty", [], x_label="x", y_label="y"),
        scatter_chart("Empty", [Point("nan", math.nan, 0.1)], x_label="x", y_label="y"),
    ],
)
def test_empty_input_gives_valid_svg_saying_no_data(svg: str) -> None:
    root = _parse(svg)
    assert root[0].text == "Empty"
    assert root.get("viewBox") is not None
    assert "no data" in _all_text(root)
    assert _by_class(root, "rect", "bar") == []
    assert _by_class(root, "circle", "point") == []


def test_invalid_y_max_is_rejected() -> None:
    with pytest.raises(ValueError, match="y_max"):
        bar_chart("t", [Bar("a", 0.5)], y_max=0.0)
    with pytest.raises(ValueError, match="y_max"):
        scatter_chart("t", [], x_label="x", y_label="y", y_max=math.nan)


def test_output_is_deterministic() -> None:
    def build() -> tuple[str, str, str]:
        bars = [Bar("a", 0.5, low=0.4, high=0.6), Bar("b", None), Bar("c", 1 / 3)]
        series = [Series("A", tuple(bars)), Series("B", tuple(reversed(bars)))]
        points = [Point("p", 1 / 7, 2 / 3, low=0.5, high=0.8), Point("q", 3.0, 0.1)]
        return (
            bar_chart("t", bars, y_label="y"),
            grouped_bar_chart("t", ["x", "y", "z"], series),
            scatter_chart("t", points, x_label="x", y_label="y"),
        )

    assert build() == build()


def test_coordinates_use_one_decimal() -> None:
    points = [Point("p", 1 / 7, 2 / 3, low=0.5, high=0.8), Point("q", 3.0, 0.1)]
    svgs = [
        bar_chart("t", [Bar("a", 1 / 3, low=0.2, high=0.45)]),
        grouped_bar_chart("t", ["x"], [Series("A", (Bar("", 1 / 3),))]),
        scatter_chart("t", points, x_label="x", y_label="y"),
    ]
    coordinate = re.compile(r"-?\d+\.\d")
    checked = 0
    for svg in svgs:
        for el in _parse(svg).iter():
            for attr in ("x", "y", "width", "height", "cx", "cy", "x1", "x2", "y1", "y2"):
                value = el.get(attr)
                if value is not None:
                    assert coordinate.fullmatch(value), f"{attr}={value!r}"
                    checked += 1
    assert checked > 50


def test_labels_too_wide_for_their_slot_are_rotated() -> None:
    narrow = _parse(bar_chart("t", [Bar("a", 0.5), Bar("b", 0.5)]))
    assert all(el.get("transform") is None for el in _by_class(narrow, "text", "x-label"))
    bars = [Bar(f"a rather long label number {i}", 0.5) for i in range(12)]
    wide = _parse(bar_chart("t", bars))
    labels = _by_class(wide, "text", "x-label")
    assert len(labels) == 12
    assert all((el.get("transform") or "").startswith("rotate(-") for el in labels)
    assert all(el.get("text-anchor") == "end" for el in labels)
    # Rotated labels need room below the plot: the chart grows taller than the unrotated one.
    assert float(wide.get("height", "0")) > float(narrow.get("height", "0"))
