"""The metrics module's text exposition format."""

from __future__ import annotations

import pytest

from bot import metrics


async def test_counters_histograms_and_gauges_render() -> None:
    c = metrics.Counter("cw_test_total", "A test counter.", ["kind"])
    c.inc(kind='a "quoted"\nvalue')
    c.inc(2, kind="b")
    h = metrics.Histogram("cw_test_seconds", "A test histogram.", [0.1, 1])
    for value in (0.05, 0.5, 5):
        h.observe(value)
    lines = c.render() + h.render()
    assert lines[:2] == ["# HELP cw_test_total A test counter.", "# TYPE cw_test_total counter"]
    assert 'cw_test_total{kind="a \\"quoted\\"\\nvalue"} 1' in lines
    assert 'cw_test_total{kind="b"} 2' in lines
    assert 'cw_test_seconds_bucket{le="0.1"} 1' in lines
    assert 'cw_test_seconds_bucket{le="1"} 2' in lines
    assert 'cw_test_seconds_bucket{le="+Inf"} 3' in lines
    assert "cw_test_seconds_sum 5.55" in lines
    assert "cw_test_seconds_count 3" in lines
    gauge = metrics.gauge_lines("cw_g", "G.", {(("status", "ok"),): 2.0})
    assert gauge == ["# HELP cw_g G.", "# TYPE cw_g gauge", 'cw_g{status="ok"} 2']
    text = await metrics.render()
    assert text.endswith("\n") and "# TYPE claimwatch_feed_polls_total counter" in text


def test_counters_check_their_labels() -> None:
    c = metrics.Counter("cw_labels_total", "Labels.", ["kind"])
    with pytest.raises(ValueError, match="takes labels"):
        c.inc(other="x")
    with pytest.raises(ValueError, match="only goes up"):
        c.inc(-1, kind="x")
