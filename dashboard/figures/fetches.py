"""What plotly.js fetches to draw a figure: a page can ask for it while its scripts load (``Link: preload``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# plotly.js's defaults for a geo subplot's base map (its topojson is named "<scope>_<resolution>m.json")
DEFAULT_SCOPE = "world"
DEFAULT_RESOLUTION = 110


def topojson_name(geo: Mapping) -> str:
    """The topojson file plotly.js draws the geo subplot ``geo`` (a layout's ``geo``/``geo2``...) from."""
    scope = str(geo.get("scope") or DEFAULT_SCOPE).replace(" ", "-")
    resolution = geo.get("resolution") or DEFAULT_RESOLUTION
    return f"{scope}_{int(resolution)}m.json"


def plotly_fetches(figure: Mapping, config: Mapping) -> list[str]:
    """The URLs plotly.js fetches to draw ``figure`` with ``config``, in first-seen order: the GeoJSON that
    traces name by URL (``geojson`` as a string), and the topojson of each geo subplot a trace is drawn on,
    from ``config["topojsonURL"]`` (none without it: plotly would fetch from its CDN, which a page must not)."""
    urls: list[str] = []
    geos: set[str] = set()
    for trace in figure.get("data") or ():
        if isinstance(trace.get("geojson"), str):
            urls.append(trace["geojson"])
        if str(trace.get("type", "")) in ("scattergeo", "choropleth"):
            geos.add(str(trace.get("geo") or "geo"))
    base = config.get("topojsonURL")
    if base:
        layout = figure.get("layout") or {}
        urls += [f"{base}{topojson_name(layout.get(name) or {})}" for name in sorted(geos)]
    return _unique(urls)


def preload_header(urls: Iterable[str]) -> str:
    """A ``Link`` header asking the browser to fetch ``urls`` now, as plotly.js's ``fetch`` will: a preload
    whose mode or credentials differ from the later request is fetched twice (hence ``crossorigin``)."""
    return ", ".join(f"<{url}>; rel=preload; as=fetch; crossorigin" for url in urls)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
