"""Inline SVG charts: every value put into the markup is escaped, numbers keep their format."""

from __future__ import annotations

from markupsafe import Markup

from reports.render.charts import bar_chart, line_chart


def test_bar_labels_titles_and_colours_are_escaped() -> None:
    svg = bar_chart([("<b>&", 2.0)], colours=['"/><script>'], title="a<b")
    assert isinstance(svg, Markup)
    assert "<title>a&lt;b</title>" in svg
    assert ">&lt;b&gt;&amp;</text>" in svg
    assert "<script>" not in svg and 'fill="&#34;/&gt;&lt;script&gt;"' in svg
    assert 'width="310.0"' in svg, "the longest bar spans width - labels - 60"


def test_line_points_are_escaped_and_a_gap_splits_the_line() -> None:
    svg = line_chart([("x<", 10.0), ("gap", None), ("y&", 50.0), ("z", 90.0)], title="t")
    assert "<title>x&lt;: 10</title>" in svg
    assert svg.count("<polyline") == 1, "one point before the gap draws no line"
    assert ">z</text></svg>" in svg
