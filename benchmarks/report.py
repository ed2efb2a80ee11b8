"""Statistics, machine facts and the one markdown table the benchmark prints."""

from __future__ import annotations

import math
import os
import platform
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100), nearest-rank: an observed value, never an interpolation."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Stat:
    """Median and p95 of repeated measurements."""

    p50: float
    p95: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Stat:
        return cls(statistics.median(values) if values else math.nan, percentile(values, 95), len(values))


@dataclass(frozen=True)
class Row:
    """One line of the table. ``value`` is what the target is checked against (``None``: not measured)."""

    figure: str
    measured: str
    baseline: str = "—"
    ratio: str = "—"
    target: str = "—"
    value: float | None = None
    check: Callable[[float], bool] | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.check is None:
            return "—"
        if self.value is None or math.isnan(self.value):
            return "not measured"
        return "pass" if self.check(self.value) else "**miss**"


def ms(stat: Stat) -> str:
    return f"{stat.p50 * 1000:,.1f} / {stat.p95 * 1000:,.1f} ms"


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.2f} MB"


def ratio(baseline: float, measured: float) -> str:
    if not measured or math.isnan(measured) or math.isnan(baseline):
        return "—"
    return f"{baseline / measured:,.1f}x"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, str]:
    """The facts needed to compare two runs."""
    return {"CPUs": str(os.cpu_count()), "CPU": cpu_model(), "Python": platform.python_version(),
            "dash": version("dash"), "plotly": version("plotly"), "OS": platform.platform(terse=True),
            # Other work on the machine skews every figure: the 1-minute load average says how busy it was.
            "load average at start": f"{os.getloadavg()[0]:.2f}"}


def table(rows: list[Row], header: dict[str, str]) -> str:
    """The markdown report: a line of run facts, then the table."""
    facts = " · ".join(f"{k} {v}" for k, v in header.items())
    lines = [facts, "",
             "| figure | measured (p50 / p95) | naive baseline | ratio | target | verdict | note |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r.figure} | {r.measured} | {r.baseline} | {r.ratio} | {r.target} | {r.verdict} | "
                     f"{r.note} |")
    return "\n".join(lines)
