"""What checking a served PostGIS version costs: the full hash check against the stamp that decides when to run it.

    .venv/bin/python -m benchmarks.postgis_check                       # throw-away PostgreSQL, the shipped data
    .venv/bin/python -m benchmarks.postgis_check --data var/province.gpkg --database-url postgresql://...

Publishes ``--data`` once into the database (a fresh throw-away server from ``tests/services.py`` unless
``--database-url`` names one; that database gets a new version), then times, ``--repeats`` times each: the full
check (every layer read and hashed, what a check costs without the stamp), the stamp query alone, a served
``open_dataset`` call (the poll included) and ``health``; and, after an ``UPDATE`` of one indicator value, how
long ``health`` takes to say ``degraded``. Prints one markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa

from geodata import db, open_dataset
from geodata.dataset import forget, health
from geodata.postgis import guard
from geodata.postgis import versions as pg_versions
from geodata.store import SHIPPED


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """p50 and p95 (nearest rank) of ``fn``'s wall time in milliseconds over ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


@contextlib.contextmanager
def database(url: str | None) -> Iterator[str]:
    """``url``, or a throw-away PostgreSQL + PostGIS for the run."""
    if url:
        yield url
        return
    from tests import services

    with services.postgres() as server:
        yield services.new_database(server.url, "postgis_check")


def run(url: str, data: Path, repeats: int) -> list[tuple[str, str]]:
    """The measured rows: (what, figure)."""
    start = time.perf_counter()
    vid = pg_versions.publish_file(url, data, str(data), "postgis_check")
    rows = [("publish (for reference)", f"{time.perf_counter() - start:.2f} s")]
    layers = pg_versions.version_row(url, vid).layers
    names = list(layers)
    forget(url)
    guard.forget_checks()
    start = time.perf_counter()
    open_dataset(url)
    rows.append(("first open_dataset (read in full, checked)", f"{(time.perf_counter() - start) * 1000:.0f} ms"))
    full = timed(lambda: guard.full_check(url, vid, layers), max(3, repeats // 10))
    rows.append(("full check: every layer read and hashed", f"{full[0]:.1f} / {full[1]:.1f} ms"))
    stamp = timed(lambda: guard.stamp(url, vid, names), repeats)
    rows.append(("stamp: one catalog query", f"{stamp[0]:.2f} / {stamp[1]:.2f} ms"))
    rows.append(("full check / stamp (p50)", f"{full[0] / stamp[0]:.0f}x"))
    served = timed(lambda: open_dataset(url), repeats * 10)
    rows.append(("open_dataset while served (poll within POLL_S)",
                 f"{served[0] * 1000:.1f} / {served[1] * 1000:.1f} µs"))
    state = timed(lambda: health(url), repeats)
    rows.append(("health (current id + stamp read now)", f"{state[0]:.2f} / {state[1]:.2f} ms"))
    with db.engine(url).begin() as conn:
        conn.execute(sa.text(f"update {vid}.indicators set value = value + 1 where _row = 0"))
    start = time.perf_counter()
    status = health(url).status
    rows.append((f"health after an UPDATE of one value: {status}", f"{(time.perf_counter() - start) * 1000:.0f} ms"))
    found = timed(lambda: health(url), repeats)
    rows.append(("health while damaged (finding remembered)", f"{found[0]:.2f} / {found[1]:.2f} ms"))
    return rows


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=SHIPPED, help="GeoPackage to publish (default: the shipped one)")
    p.add_argument("--database-url", help="a PostGIS database to use (default: a throw-away server)")
    p.add_argument("--repeats", type=int, default=50)
    a = p.parse_args(argv)
    with database(a.database_url) as url:
        rows = run(url, a.data, a.repeats)
    print(f"data {a.data.name} · repeats {a.repeats} · p50 / p95\n")
    print("| what | measured |\n|---|---|")
    for what, figure in rows:
        print(f"| {what} | {figure} |")


if __name__ == "__main__":
    main()
