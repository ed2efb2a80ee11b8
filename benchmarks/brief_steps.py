"""Which briefing steps make the brief row's p95: ``python -m benchmarks.brief_steps [--passes 3]``.

Starts the production server (as the benchmark does), goes through every step of ``/brief`` ``--passes`` times
(:func:`benchmarks.wall.measure_brief`: → key to the step's panel shown and its map drawn) and prints each
transition's time in every pass, then the p50 and p95 over all of them. A step slow in every pass is the step's
own cost; a first pass slower than the others is the server meeting view states it has not cached yet.
"""

from __future__ import annotations

import argparse
import statistics

from benchmarks.report import percentile


def per_step(times: list[float], passes: int) -> list[list[float]]:
    """``times`` (pass after pass, each the same number of transitions) as one row per transition, its passes
    in order."""
    if passes < 1 or len(times) % passes:
        raise ValueError(f"{len(times)} times cannot be {passes} equal passes")
    count = len(times) // passes
    return [[times[p * count + i] for p in range(passes)] for i in range(count)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3, help="times through every step")
    args = parser.parse_args(argv)
    from benchmarks.server import Gunicorn
    from benchmarks.wall import measure_brief

    with Gunicorn() as server:
        times, refused = measure_brief(server.url + "/brief", args.passes, log=lambda *a: None)
    if refused:
        raise SystemExit(f"the briefing tried to fetch from elsewhere: {refused[:3]}")
    for step, row in enumerate(per_step(times, args.passes), start=1):
        print(f"step {step:2d} -> {step + 1:2d}: " + "  ".join(f"{ms:6.0f}" for ms in row) + " ms")
    print(f"all {len(times)} transitions: p50 {statistics.median(times):.0f} ms, p95 {percentile(times, 95):.0f} ms")


if __name__ == "__main__":
    main()
