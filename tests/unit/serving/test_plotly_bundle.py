"""The vendored plotly.js bundle (assets/vendor) replaces Dash's full bundle: it must hold every trace type
the app draws, at the plotly.js version the installed plotly ships, and define ``window.Plotly``."""

from __future__ import annotations

import re
from pathlib import Path

import plotly

from dashboard.app import ASSETS, create_app
from dashboard.config import Settings

BUNDLE = Path(ASSETS) / "vendor" / "plotly-kaihua.min.js"
# The map's traces plus the charts' (bar, scatter lines, scatterpolar; see tools/plotly-bundle/entry.js).
NEEDED = {"bar", "scatter", "scatterpolar", "scattergeo", "choropleth"}


def bundle_traces() -> set[str]:
    return set(re.findall(r'moduleType:"trace",name:"([a-z0-9]+)"', BUNDLE.read_text(encoding="utf-8")))


def test_bundle_is_small_licensed_and_matches_plotly_version():
    text = BUNDLE.read_text(encoding="utf-8")
    full = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")[:200]
    version = re.search(r"plotly\.js v([0-9.]+)", full).group(1)
    assert text.startswith(f"/*! plotly.js v{version} ") and "MIT" in text[:300]
    assert BUNDLE.stat().st_size < 2 * 1024 * 1024
    assert (BUNDLE.parent / "LICENSE-plotly.js.txt").exists()
    assert "var Plotly=" in text[:400]  # a classic script: defines window.Plotly before dcc.Graph loads


def figure_traces(node: object) -> set[str]:
    """Trace types of every dcc.Graph figure in a served layout."""
    if isinstance(node, list):
        return set().union(*(figure_traces(n) for n in node)) if node else set()
    if not isinstance(node, dict) or "props" not in node:
        return set()
    props = node["props"]
    found = {t.get("type", "scatter") for t in (props.get("figure") or {}).get("data", [])}
    return found | figure_traces(props.get("children"))


def test_bundle_has_every_trace_the_app_draws():
    layout = create_app(Settings()).server.test_client().get("/_dash-layout").json
    used = figure_traces(layout)
    assert "choropleth" in used
    assert used | NEEDED <= bundle_traces()


def test_page_loads_the_small_bundle():
    client = create_app(Settings()).server.test_client()
    html = client.get("/").get_data(as_text=True)
    assert "/assets/vendor/plotly-kaihua.min.js" in html
