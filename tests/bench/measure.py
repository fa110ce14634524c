"""Timing, statistics and the results document of the benchmark (``python -m tests.bench``).

Pure functions and small helpers, no Django: the unit tests in ``tests/bench_unit`` check the
statistics and the JSON shape without a database.
"""

from __future__ import annotations

import datetime
import math
import os
import platform
import resource
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any

NOT_BUILT = "not built yet (issue #9/#11)"


# --- statistics ---------------------------------------------------------------------------------
def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by the nearest-rank method: a value that was measured,
    never interpolated (with 20 runs, p95 is the 19th smallest)."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary(name: str, times_ms: Sequence[float]) -> dict[str, Any]:
    """One row of ``measures``: median, p95 and max in ms (two decimals) and the count."""
    if not times_ms:
        raise ValueError(f"{name}: no runs")
    return {
        "name": name,
        "median_ms": round(statistics.median(times_ms), 2),
        "p95_ms": round(percentile(times_ms, 95), 2),
        "max_ms": round(max(times_ms), 2),
        "n": len(times_ms),
    }


def timed_runs(call: Callable[[], Any], *, runs: int, warmup: int = 1) -> list[float]:
    """Milliseconds of ``runs`` calls, after ``warmup`` calls that are not counted."""
    for _ in range(warmup):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


# --- memory -------------------------------------------------------------------------------------
def rss_mb(pid: int | str = "self") -> float:
    """Current resident memory of a process (Linux /proc), in MB."""
    return _status_mb(pid, "VmRSS:")


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident memory of a process so far (VmHWM), in MB."""
    return _status_mb(pid, "VmHWM:")


def _status_mb(pid: int | str, field: str) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children_peak_rss_mb() -> float:
    """The largest peak RSS of any finished child process (getrusage), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


@contextmanager
def rss_sampled():
    """Samples this process's RSS every 20 ms while the block runs; yields a dict that holds
    ``peak_mb`` (and ``seconds``) once the block ends."""
    found = {"peak_mb": rss_mb(), "seconds": None}
    stop = threading.Event()

    def sample():
        while not stop.wait(0.02):
            found["peak_mb"] = max(found["peak_mb"], rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        yield found
    finally:
        found["seconds"] = time.perf_counter() - started
        stop.set()
        sampler.join()
        found["peak_mb"] = round(max(found["peak_mb"], rss_mb()), 1)


# --- the machine ----------------------------------------------------------------------------------
def machine() -> str:
    """CPU model, cores, memory, OS and load: printed with every figure."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as info:
            total_kb = int(info.readline().split()[1])
            memory = f", {total_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ", load {:.1f}/{:.1f}/{:.1f}".format(*os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({model}){memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}{load} at start"
    )


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


# --- the results document -------------------------------------------------------------------------
class Figures:
    """A group of named figures (``throughput``, ``ratios``, ``memory_mb``) where a figure not
    measured is None with ``<key>_reason`` beside it."""

    def __init__(self, *keys: str):
        self.values: dict[str, Any] = {}
        for key in keys:
            self.missing(key, "not measured in this run")

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value
        self.values.pop(f"{key}_reason", None)

    def missing(self, key: str, reason: str) -> None:
        self.values[key] = None
        self.values[f"{key}_reason"] = reason

    def as_dict(self) -> dict[str, Any]:
        return dict(self.values)


def large_vs_small(
    current: dict[str, Any], previous: dict[str, Any] | None
) -> tuple[dict[str, float] | None, str]:
    """Per measure named in both runs, large's median over small's; or None and why not."""
    if previous is None:
        return None, "needs a results file of the other scale (--compare path)"
    scales = {current.get("scale"), previous.get("scale")}
    if scales != {"small", "large"}:
        return None, f"--compare gave scale {previous.get('scale')!r}, not the other scale"
    large, small = (current, previous) if current["scale"] == "large" else (previous, current)
    small_by_name = {m["name"]: m for m in small.get("measures", [])}
    ratios = {}
    for measure in large.get("measures", []):
        before = small_by_name.get(measure["name"])
        if before and before.get("median_ms") and measure.get("median_ms") is not None:
            ratios[measure["name"]] = round(measure["median_ms"] / before["median_ms"], 2)
    if not ratios:
        return None, "no measure is named in both runs"
    return ratios, f"large median / small median; small run of {small.get('date')}"


def document(
    *,
    scale: str,
    machine_text: str,
    date: str,
    measures: list[dict[str, Any]],
    throughput: Figures,
    ratios: Figures,
    memory_mb: Figures,
    notes: dict[str, Any],
) -> dict[str, Any]:
    """``bench-results.json`` in the shape issue #10 names."""
    return {
        "scale": scale,
        "machine": machine_text,
        "date": date,
        "measures": measures,
        "throughput": throughput.as_dict(),
        "ratios": ratios.as_dict(),
        "memory_mb": memory_mb.as_dict(),
        "notes": notes,
    }


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    return str(value)


def markdown(doc: dict[str, Any]) -> str:
    """The results as Markdown: the measures table, then each group of figures."""
    lines = [
        f"## Benchmark, scale `{doc['scale']}`, {doc['date']}",
        "",
        f"Machine: {doc['machine']}",
        "",
    ]
    for key, value in doc.get("notes", {}).items():
        lines.append(f"- {key}: {value}")
    lines += ["", "| measure | median ms | p95 ms | max ms | n |", "|---|---:|---:|---:|---:|"]
    for m in doc["measures"]:
        lines.append(
            f"| {m['name']} | {_cell(m['median_ms'])} | {_cell(m['p95_ms'])} | "
            f"{_cell(m['max_ms'])} | {m['n']} |"
        )
    for group in ("throughput", "ratios", "memory_mb"):
        lines += ["", f"| {group} | value |", "|---|---|"]
        values = doc[group]
        for key, value in values.items():
            if key.endswith("_reason"):
                continue
            if isinstance(value, dict):
                shown = ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
            elif value is None:
                shown = f"null ({values.get(f'{key}_reason', 'not measured')})"
            else:
                shown = _cell(value)
            lines.append(f"| {key} | {shown} |")
    return "\n".join(lines) + "\n"
