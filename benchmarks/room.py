"""Presenter → wall: how long a wall in a room takes to show the step its presenter moved to.

    python -m benchmarks.room [--moves 20]

Starts ``make serve``'s gunicorn (two workers) on a store with a staff user made for the run, opens
``/wall?room=bench`` and, signed in as that user, ``/brief?room=bench`` in headless Chromium, then moves the
briefing forward ``moves`` times. Each figure is the time from the key press in the briefing's page to the wall
having drawn that step (both pages on this machine's clock, ``Date.now()``). Prints p50 / p95 / max.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from benchmarks.report import Row, Stat, ms
from benchmarks.server import Gunicorn
from tests.accounts import Role, add_test_users
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, log_in_page, new_page

WALL_SHOWN = "(n) => window.kaihuaWall && window.kaihuaWall.log.some(e => e.brief === n)"
BRIEF_SHOWN = ("(n) => { const b = window.kaihuaBrief; return b && !b.pending && b.log.length && "
               "b.log[b.log.length - 1].step === n; }")


def measure(moves: int = 20) -> list[float]:
    """Milliseconds from each key press to the wall showing that step."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        store.mkdir()
        add_test_users(store)
        with Gunicorn(store) as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            refused: list[str] = []
            _, wall = new_page(browser, refused, viewport={"width": 1920, "height": 1080})
            wall.goto(f"{server.url}/wall?room=bench&dwell=600&idle=600")
            wall.wait_for_function("() => window.kaihuaWall && window.kaihuaWall.log.length > 0", timeout=60000)
            _, brief = new_page(browser, refused, viewport={"width": 1280, "height": 800})
            log_in_page(brief, server.url, Role.STAFF)
            brief.goto(f"{server.url}/brief?room=bench")
            brief.wait_for_function(BRIEF_SHOWN, arg=1, timeout=60000)
            count = brief.evaluate("() => window.kaihuaBrief.cfg.count")
            out = []
            for i in range(moves):
                step = 2 + i % (count - 1)
                if step == 2 and i:
                    brief.keyboard.press("Home")
                    brief.wait_for_function(BRIEF_SHOWN, arg=1, timeout=30000)
                    wall.wait_for_function(WALL_SHOWN, arg=1, timeout=30000)
                    wall.evaluate("() => { window.kaihuaWall.log.length = 0; }")
                pressed = brief.evaluate("() => Date.now()")
                brief.keyboard.press("ArrowRight")
                wall.wait_for_function(WALL_SHOWN, arg=step, timeout=30000)
                shown = wall.evaluate("(n) => window.kaihuaWall.log.filter(e => e.brief === n).pop().at", step)
                out.append(float(shown - pressed))
            browser.close()
            if refused:
                raise RuntimeError(f"pages requested URLs outside 127.0.0.1: {refused}")
    return out


ROOM_ROW = "presenter → wall (room)"


def room_rows(times_ms: list[float] | None) -> list[Row]:
    """The row of ``python -m benchmarks``'s table for :func:`measure`'s figures (None: not run)."""
    target, check = "≤ 1 s", (lambda v: v <= 1000)
    if times_ms is None:
        return [Row(ROOM_ROW, "not run", target=target, check=check)]
    s = Stat.of([m / 1000 for m in times_ms])
    return [Row(ROOM_ROW, ms(s), target=target, value=s.p95 * 1000, check=check,
                note=f"gunicorn 2 workers, {s.n} moves (max {max(times_ms):,.0f} ms): key press in /brief?room=R → "
                     "/wall?room=R has drawn that step; the wall polls every 400 ms")]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=20)
    args = parser.parse_args(argv)
    times = sorted(measure(args.moves))
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(f"presenter → wall (room, gunicorn 2 workers, {len(times)} moves): "
          f"p50 {statistics.median(times):.0f} ms · p95 {p95:.0f} ms · max {times[-1]:.0f} ms")


if __name__ == "__main__":
    main()
