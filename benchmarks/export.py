"""Server-side exports timed through the app's own code (dashboard.exports): 4K PNG snapshots of the map
with a warm renderer (one Chromium kept open), and belt dossier PDFs the way the app renders them per request
(a renderer started for each, as ``/export/belt/<id>.pdf`` does).

Nothing is fetched: kaleido uses Debian's Chromium (``BROWSER_PATH``), plotly.js comes from the plotly package,
the world topojson from ``assets/topojson`` and MathJax is off (:func:`dashboard.exports.render.configure_offline`).
"""

from __future__ import annotations

import time

from dashboard.config import Settings
from dashboard.exports.render import configure_offline, render_png
from dashboard.exports.routes import dossier_pdf, map_sheet
from dashboard.exports.snapshot import SIZES
from dashboard.state import ViewState
from geodata import Dataset


def time_png(states: dict[str, ViewState], settings: Settings, ds: Dataset,
             repeats: int) -> dict[str, tuple[list[float], int]]:
    """Seconds per 3840x2160 PNG of the map in each named view state (after one warm-up), and PNG bytes."""
    import kaleido

    configure_offline()
    kaleido.start_sync_server(silence_warnings=True)
    results: dict[str, tuple[list[float], int]] = {}
    try:
        for name, state in states.items():
            fig = map_sheet(ds, settings, settings.audience, state, SIZES["4k"], "benchmark")
            png = render_png(fig, SIZES["4k"])  # warm-up
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                png = render_png(fig, SIZES["4k"])
                times.append(time.perf_counter() - start)
            results[name] = (times, len(png))
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return results


def time_dossier(belt_id: str, settings: Settings, ds: Dataset, lang: str, year: int,
                 repeats: int) -> tuple[list[float], int]:
    """Seconds per belt dossier PDF, uncached, as the app's route makes it (data to pages to PDF, with a
    renderer started for the request), and the PDF's bytes."""
    configure_offline()
    render = dossier_pdf.__wrapped__  # past the route's cache: every repeat does the whole work
    times, pdf = [], b""
    for _ in range(repeats):
        start = time.perf_counter()
        pdf = render(ds, settings, belt_id, lang, year, "benchmark")
        times.append(time.perf_counter() - start)
    return times, len(pdf)
