"""The select-belt chain in this process, callback by callback: ``python -m benchmarks.chain [--n 300] [--data F]``.

Each callback request a browser sends for "select belt" (recorded as :mod:`benchmarks.interactions` records it)
is POSTed through Flask's test client, ``--n`` times after a warm-up; prints each callback's p50 / p95, the
chain's, and the whole chain for 20 view states never seen. No socket and no browser: run it on two checkouts
one after the other, alternating, to compare code on a noisy machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from benchmarks.interactions import record
from benchmarks.report import percentile
from benchmarks.server import InProcess, time_unseen_belts
from dashboard.config import Settings
from geodata import DEFAULT_PATH, open_dataset


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="timed chains")
    parser.add_argument("--data", type=Path, default=DEFAULT_PATH, help="GeoPackage (default: the shipped data)")
    args = parser.parse_args(argv)
    settings = Settings(data_path=args.data)
    ds = open_dataset(settings.data_path)
    server = InProcess(settings)
    layout, deps = server.get_json("/_dash-layout"), server.get_json("/_dash-dependencies")
    belt = next(i for i in record(layout, deps, server.post, ds) if i.name == "select belt")
    for _ in range(5):
        for body in belt.bodies:
            server.send(body)
    per: list[list[float]] = [[] for _ in belt.bodies]
    chains = []
    for _ in range(args.n):
        times = [server.send(body).seconds * 1e3 for body in belt.bodies]
        chains.append(sum(times))
        for column, ms in zip(per, times):
            column.append(ms)
    print(f"load average {os.getloadavg()[0]:.2f} · {args.n} chains · {len(belt.bodies)} callbacks")
    for request, column in zip(belt.requests, per):
        print(f"  {request.name[:70]:70s} {statistics.median(column):6.2f} / {percentile(column, 95):6.2f} ms")
    print(f"chain {statistics.median(chains):.2f} / {percentile(chains, 95):.2f} ms")
    unseen = time_unseen_belts(server, layout, deps, ds, belt.map_state["belt"])
    print(f"a view state never seen, whole chain: {unseen.p50 * 1e3:.1f} / {unseen.p95 * 1e3:.1f} ms (n={unseen.n})")


if __name__ == "__main__":
    main()
