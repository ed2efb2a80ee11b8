"""Server-side exports timed through the app's own code (dashboard.exports), uncached, with the worker's warm
renderer (:data:`dashboard.exports.render.RENDERER`, one Chromium kept open) as the routes use it: map sheets
as PNG (4K, A4 at 300 dpi) and PDF, the belt and county dossiers, the offline HTML map and the data files.

Nothing is fetched: kaleido uses Debian's Chromium (``BROWSER_PATH``), plotly.js comes from the plotly package,
the world topojson from ``assets/topojson`` and MathJax is off (:func:`dashboard.exports.render.configure_offline`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from dashboard.config import Settings
from dashboard.exports import routes
from dashboard.exports.render import RENDERER, render_png
from dashboard.exports.snapshot import SIZES
from dashboard.state import ViewState
from geodata import Audience, Dataset

# label -> (what the note says, a target in seconds or None)
EXPORTS: dict[str, tuple[str, float | None]] = {
    "4K PNG of the map (3840×2160), warm": ("the county sheet (title, legend, scale bar, north arrow)", 3.0),
    "4K PNG of a belt-selected map, warm": ("the belt's sheet", 3.0),
    "A4 PNG at 300 dpi (3508×2480), warm": ("the belt's sheet, type in points", 3.0),
    "A4 map PDF (vector), warm": ("/export/map.pdf, one page", None),
    "belt dossier PDF (2 A4 pages), warm": ("/export/belt/<id>.pdf as the route makes it, uncached", 1.5),
    "county dossier PDF (2 A4 pages), warm": ("/export/county.pdf, uncached", None),
    "offline HTML map (folium), county": ("/export/map.html, standalone file", None),
    "village data XLSX, county": ("/export/data.xlsx", None),
    "village data GeoPackage, county": ("/export/data.gpkg", None),
}


def export_makers(belt: ViewState, settings: Settings, ds: Dataset) -> dict[str, Callable[[], bytes]]:
    """The work behind each row of :data:`EXPORTS` (caches bypassed: each call does everything)."""
    county = ViewState(lang=belt.lang, year=belt.year)
    aud = Audience.STAFF  # the most a sheet can hold

    def sheet(state, size):
        return lambda: render_png(routes.map_sheet(ds, settings, aud, state, SIZES[size], "benchmark"), SIZES[size])

    return {
        "4K PNG of the map (3840×2160), warm": sheet(county, "4k"),
        "4K PNG of a belt-selected map, warm": sheet(belt, "4k"),
        "A4 PNG at 300 dpi (3508×2480), warm": sheet(belt, "a4"),
        "A4 map PDF (vector), warm": lambda: routes.map_pdf.__wrapped__(ds, settings, aud, belt, SIZES["a4"], "b"),
        "belt dossier PDF (2 A4 pages), warm": lambda: routes.dossier_pdf.__wrapped__(ds, settings, belt.belt,
                                                                                      belt.lang, belt.year, "b"),
        "county dossier PDF (2 A4 pages), warm": lambda: routes.county_pdf.__wrapped__(ds, settings, belt.lang,
                                                                                        belt.year, "b"),
        "offline HTML map (folium), county": lambda: routes.map_html.__wrapped__(ds, settings, aud, county, "b"),
        "village data XLSX, county": lambda: routes.data_file.__wrapped__(ds, aud, county, "xlsx"),
        "village data GeoPackage, county": lambda: routes.data_file.__wrapped__(ds, aud, county, "gpkg"),
    }


def time_exports(belt: ViewState, settings: Settings, ds: Dataset,
                 repeats: int) -> dict[str, tuple[list[float], int]]:
    """Seconds per export (after one warm-up each) and its bytes, by the labels of :data:`EXPORTS`."""
    results: dict[str, tuple[list[float], int]] = {}
    try:
        for label, make in export_makers(belt, settings, ds).items():
            body = make()  # warm-up: the renderer starts, caches of the data fill
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                body = make()
                times.append(time.perf_counter() - start)
            results[label] = (times, len(body))
    finally:
        RENDERER.close()
    return results
