"""Time the warm belt and county dossiers as their routes make them (uncached, the worker's warm renderer):
``python -m benchmarks.dossier_time [--runs 7] [--belt B05] [--lang zh]``. Prints each run, the median and the
load average (``/proc/loadavg``) before and after, so a figure can be read against how busy the machine was."""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from dashboard.config import Settings
from dashboard.exports import routes
from dashboard.exports.render import RENDERER
from geodata import DEFAULT_PATH, open_dataset


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages as ``/proc/loadavg`` gives them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def time_runs(make: Callable[[], bytes], runs: int) -> tuple[list[float], int]:
    """Seconds per call of ``make`` after one warm-up call, and the size of the last body."""
    body = make()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body = make()
        times.append(time.perf_counter() - start)
    return times, len(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--belt", default="B05")
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--year", type=int, default=2018)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")  # kaleido warns that kopts are ignored by its warm server
    settings = Settings(data_path=DEFAULT_PATH)
    ds = open_dataset(settings.data_path)
    makers = {
        "belt dossier": lambda: routes.dossier_pdf.__wrapped__(ds, settings, args.belt, args.lang, args.year, "b"),
        "county dossier": lambda: routes.county_pdf.__wrapped__(ds, settings, args.lang, args.year, "b"),
    }
    try:
        for label, make in makers.items():
            before = loadavg()
            times, size = time_runs(make, args.runs)
            print(f"{label}: median {statistics.median(times):.3f} s, min {min(times):.3f}, max {max(times):.3f} "
                  f"({', '.join(f'{x:.2f}' for x in times)}); {size / 1024:.1f} KB; "
                  f"loadavg before {before}, after {loadavg()}")
    finally:
        RENDERER.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
