"""The scale benchmark's tables: configurations side by side, load level by load level, then the publishes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from benchmarks.report import percentile
from benchmarks.scale_servers import PublishResult
from benchmarks.scale_viewers import BELT, DRILL, MEASURE, OPEN, LevelResult

P95_TARGET_MS = 100.0
PUBLISH_TARGET_S = 5.0
SELECT_BELT_TARGET_MS = 30.0
TARGET_VIEWERS = 200


@dataclass(frozen=True)
class Percentiles:
    """p50 / p95 / p99 in seconds (nearest rank: observed values)."""

    p50: float
    p95: float
    p99: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Percentiles:
        return cls(percentile(values, 50), percentile(values, 95), percentile(values, 99), len(values))

    def ms(self) -> str:
        if not self.n:
            return "—"
        return f"{self.p50 * 1000:,.1f} / {self.p95 * 1000:,.1f} / {self.p99 * 1000:,.1f} ms"


@dataclass
class ConfigResult:
    """One configuration (servers on a backend): its load levels and its publish."""

    label: str
    servers: int
    backend: str  # as the servers' /healthz report it ("gpkg (not reported)" when it has no "backend")
    levels: list[LevelResult] = field(default_factory=list)
    publish: PublishResult | None = None
    problem: str | None = None  # why it was not run (a backend not available), shown instead of figures
    publish_problem: str | None = None  # why the publish could not be measured


def load_verdict(level: LevelResult) -> str:
    """pass / **miss** against the target (p95 ≤ 100 ms and zero errors), or — for levels it does not apply to."""
    p95 = Percentiles.of(level.all_latencies).p95
    if level.viewers < TARGET_VIEWERS:
        return "—"
    if level.errors:
        return "**miss**"  # with or without answers to time
    if not level.requests or math.isnan(p95):
        return "not measured"
    return "pass" if p95 * 1000 <= P95_TARGET_MS and level.errors == 0 else "**miss**"


def _per_action(level: LevelResult) -> str:
    parts = []
    for kind in (BELT, DRILL, MEASURE, OPEN):
        values = level.latencies.get(kind)
        if values:
            parts.append(f"{kind} p95 {percentile(values, 95) * 1000:,.1f} ms (n {len(values)})")
    return "; ".join(parts)


def load_table(configs: list[ConfigResult]) -> str:
    lines = ["| configuration | backend | viewers | requests | req/s | p50 / p95 / p99 | errors | target | verdict "
             "| per action |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for c in configs:
        if c.problem:
            lines.append(f"| {c.label} | {c.backend} | — | — | — | not run | — | — | — | {c.problem} |")
            continue
        for lv in c.levels:
            errors = f"{lv.errors}" + (f" {dict(sorted(lv.error_kinds.items()))}" if lv.errors else "")
            target = "p95 ≤ 100 ms, 0 errors" if lv.viewers >= TARGET_VIEWERS else "—"
            lines.append(f"| {c.label} | {c.backend} | {lv.viewers} | {lv.requests:,} | {lv.throughput:,.0f} | "
                         f"{Percentiles.of(lv.all_latencies).ms()} | {errors} | {target} | {load_verdict(lv)} | "
                         f"{_per_action(lv)} |")
    return "\n".join(lines)


def publish_verdict(p: PublishResult | None) -> str:
    if p is None:
        return "not run"
    return "pass" if p.served_seconds is not None and p.served_seconds <= PUBLISH_TARGET_S and p.agreed \
        else "**miss**"


def publish_table(configs: list[ConfigResult]) -> str:
    lines = ["| configuration | import command took | served by every server after the publish "
             "| versions (before → after) | target | verdict |",
             "|---|---|---|---|---|---|"]
    for c in configs:
        p = c.publish
        if c.problem or p is None:
            lines.append(f"| {c.label} | — | {c.publish_problem or 'not run'} | — | ≤ 5 s | "
                         f"{'**miss**' if c.publish_problem else 'not run'} |")
            continue
        origin = "its commit" if p.since == "commit" else "the command's end"
        served = (f"{p.served_seconds:,.2f} s (from {origin})" if p.served_seconds is not None
                  else "not within the timeout")
        versions = ", ".join(sorted({f"{p.before.get(u)} → {v}" for u, v in p.after.items()}))
        lines.append(f"| {c.label} | {p.import_seconds:,.1f} s | {served} | {versions} | ≤ 5 s | "
                     f"{publish_verdict(p)} |")
    return "\n".join(lines)


@dataclass(frozen=True)
class ServerTime:
    """Select belt, all callbacks of the chain, in process: warm (one belt repeated) and first clicks."""

    label: str
    warm: Percentiles
    first: Percentiles


def server_table(rows: list[ServerTime]) -> str:
    lines = ["| select belt: all callbacks, server (in process) | repeated belt p50 / p95 / p99 | "
             "each belt's first click p50 / p95 / p99 | target | verdict |",
             "|---|---|---|---|---|"]
    for r in rows:
        worst = max(r.warm.p95, r.first.p95) * 1000
        verdict = "pass" if worst <= SELECT_BELT_TARGET_MS else "**miss**"
        lines.append(f"| {r.label} | {r.warm.ms()} ({r.warm.n}) | {r.first.ms()} ({r.first.n}) | p95 ≤ 30 ms | "
                     f"{verdict} |")
    return "\n".join(lines)


def report(header: dict[str, str], configs: list[ConfigResult], server: list[ServerTime], notes: list[str]) -> str:
    """The whole markdown report: run facts, the load table, the publish table, server times, notes."""
    facts = " · ".join(f"{k} {v}" for k, v in header.items())
    parts = [facts, "", load_table(configs), "", publish_table(configs)]
    if server:
        parts += ["", server_table(server)]
    if notes:
        parts += ["", *[f"- {n}" for n in notes]]
    return "\n".join(parts)
