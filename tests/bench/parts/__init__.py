"""The benchmark's parts: each ``run(bench)`` adds its measures and figures to the run's
``Bench`` (``tests/bench/__main__.py``). Not collected by pytest (no ``test_*.py`` names)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.bench import measure


@dataclass
class Bench:
    scale: str
    runs: int
    warmup: int
    measures: list[dict[str, Any]] = field(default_factory=list)
    throughput: measure.Figures = field(
        default_factory=lambda: measure.Figures(
            "ingest_events_per_s", "quote_req_per_s", "overlay_req_per_s"
        )
    )
    ratios: measure.Figures = field(
        default_factory=lambda: measure.Figures("kpi_vs_raw", "large_vs_small")
    )
    memory_mb: measure.Figures = field(default_factory=measure.Figures)
    notes: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)  # stores, users, keys between parts

    def time(self, name: str, call, *, runs: int | None = None) -> dict[str, Any]:
        """Times ``call`` (warm-up runs first, not counted), prints and keeps the row."""
        row = measure.summary(
            name, measure.timed_runs(call, runs=runs or self.runs, warmup=self.warmup)
        )
        self.add(row)
        return row

    def add(self, row: dict[str, Any]) -> None:
        self.measures.append(row)
        print(
            f"  {row['name']}: median {row['median_ms']} ms, p95 {row['p95_ms']} ms, "
            f"max {row['max_ms']} ms (n={row['n']})",
            flush=True,
        )
