"""The benchmark's statistics and results document (tests/bench/measure.py), without running
the benchmark: its figures are what a maintainer reads, so their arithmetic is tested here."""

from __future__ import annotations

import json

import pytest

from tests.bench import measure
from tests.bench.parts.storefront import wrk_script


def test_percentile_is_a_measured_value_by_nearest_rank():
    values = [float(n) for n in range(1, 21)]  # 1 … 20

    assert measure.percentile(values, 95) == 19.0
    assert measure.percentile(values, 50) == 10.0
    assert measure.percentile(values, 100) == 20.0
    assert measure.percentile([7.0], 95) == 7.0
    assert measure.percentile([3.0, 1.0, 2.0], 0) == 1.0


def test_summary_gives_median_p95_max_and_count():
    times = [10.0, 12.0, 11.0, 50.0, 13.0]

    assert measure.summary("order page", times) == {
        "name": "order page",
        "median_ms": 12.0,
        "p95_ms": 50.0,
        "max_ms": 50.0,
        "n": 5,
    }


def test_summary_refuses_no_runs():
    with pytest.raises(ValueError, match="order page: no runs"):
        measure.summary("order page", [])


def test_warm_up_runs_are_not_counted():
    calls = []

    times = measure.timed_runs(lambda: calls.append(1), runs=4, warmup=2)

    assert len(calls) == 6
    assert len(times) == 4
    assert all(t >= 0 for t in times)


def test_a_figure_not_measured_is_null_with_its_reason_beside_it():
    figures = measure.Figures("quote_req_per_s", "ingest_events_per_s")
    figures.set("quote_req_per_s", 312.5)
    figures.missing("ingest_events_per_s", measure.NOT_BUILT)

    assert figures.as_dict() == {
        "quote_req_per_s": 312.5,
        "ingest_events_per_s": None,
        "ingest_events_per_s_reason": "not built yet (issue #9/#11)",
    }


def results(scale, medians, date="2026-12-05T09:00:00+00:00"):
    return measure.document(
        scale=scale,
        machine_text="2 cores",
        date=date,
        measures=[measure.summary(name, [value]) for name, value in medians.items()],
        throughput=measure.Figures("ingest_events_per_s", "quote_req_per_s", "overlay_req_per_s"),
        ratios=measure.Figures("kpi_vs_raw", "large_vs_small"),
        memory_mb=measure.Figures(),
        notes={},
    )


def test_the_document_has_the_issue_s_shape_and_is_json():
    doc = results("small", {"order page": 15.0})

    assert set(doc) >= {"scale", "machine", "date", "measures", "throughput", "ratios"}
    assert "memory_mb" in doc
    assert set(doc["measures"][0]) == {"name", "median_ms", "p95_ms", "max_ms", "n"}
    assert {"ingest_events_per_s", "quote_req_per_s", "overlay_req_per_s"} <= set(doc["throughput"])
    assert {"kpi_vs_raw", "large_vs_small"} <= set(doc["ratios"])
    assert json.loads(json.dumps(doc)) == doc


def test_large_vs_small_divides_the_large_median_by_the_small_one_either_way_round():
    small = results("small", {"order page": 10.0, "only small": 1.0})
    large = results("large", {"order page": 25.0, "only large": 1.0})

    ratios, _why = measure.large_vs_small(large, small)
    assert ratios == {"order page": 2.5}
    assert measure.large_vs_small(small, large)[0] == {"order page": 2.5}


def test_large_vs_small_is_null_with_a_reason_without_the_other_scale():
    small = results("small", {"order page": 10.0})

    assert measure.large_vs_small(small, None) == (
        None,
        "needs a results file of the other scale (--compare path)",
    )
    ratios, reason = measure.large_vs_small(small, results("small", {"order page": 9.0}))
    assert ratios is None
    assert "not the other scale" in reason


def test_markdown_shows_every_measure_and_why_a_figure_is_missing():
    doc = results("small", {"order page": 15.0})
    doc["throughput"]["ingest_events_per_s_reason"] = measure.NOT_BUILT

    text = measure.markdown(doc)

    assert "| order page | 15.00 | 15.00 | 15.00 | 1 |" in text
    assert "| ingest_events_per_s | null (not built yet (issue #9/#11)) |" in text
    assert "Machine: 2 cores" in text


def test_the_wrk_script_sends_the_key_and_the_body_unescaped():
    script = wrk_script(method="POST", key="mp_pk_abc", body='{"a": "x\\"y"}')

    assert 'wrk.method = "POST"' in script
    assert 'wrk.headers["X-Store-Key"] = [==[mp_pk_abc]==]' in script
    assert 'wrk.body = [==[{"a": "x\\"y"}]==]' in script
    assert "latency:percentile(95)" in script
