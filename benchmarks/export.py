"""4K PNG snapshots of the map through kaleido, with a warm renderer (one Chromium kept open).

Nothing is fetched: kaleido uses Debian's Chromium (``BROWSER_PATH``), plotly's world topojson comes from
``assets/topojson`` as a ``file://`` folder and MathJax is off. The figure is the map with its village
geometry inline (kaleido cannot follow the app's ``/geo/`` URL).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from benchmarks.baseline import naive_figure
from dashboard.app import ASSETS
from dashboard.config import Settings
from geodata import Dataset

WIDTH, HEIGHT = 3840, 2160
CHROMIUM = "/usr/bin/chromium"


def configure_offline() -> None:
    """Point plotly and kaleido at local files only."""
    import plotly.io as pio

    # choreographer logs a traceback when Chromium's pipe closes mid-message at shutdown: harmless noise.
    logging.getLogger("choreographer").setLevel(logging.CRITICAL)
    os.environ.setdefault("BROWSER_PATH", CHROMIUM)
    pio.defaults.topojson = (Path(ASSETS) / "topojson").as_uri() + "/"
    pio.defaults.mathjax = None


def time_png(states: dict[str, dict], settings: Settings, ds: Dataset, repeats: int,
             out_dir: Path | None = None) -> dict[str, tuple[list[float], int]]:
    """Seconds per 3840x2160 PNG of the map in each named view state (after one warm-up), and PNG bytes."""
    import kaleido
    import plotly.io as pio

    configure_offline()
    kaleido.start_sync_server(silence_warnings=True)
    results: dict[str, tuple[list[float], int]] = {}
    try:
        for name, state in states.items():
            fig = naive_figure(state, settings, ds)
            fig.update_layout(width=WIDTH, height=HEIGHT)
            png = pio.to_image(fig, format="png", width=WIDTH, height=HEIGHT, scale=1)  # warm-up
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                png = pio.to_image(fig, format="png", width=WIDTH, height=HEIGHT, scale=1)
                times.append(time.perf_counter() - start)
            if out_dir is not None:
                (out_dir / f"map-{name.replace(' ', '-')}.png").write_bytes(png)
            results[name] = (times, len(png))
    finally:
        kaleido.stop_sync_server(silence_warnings=True)
    return results
