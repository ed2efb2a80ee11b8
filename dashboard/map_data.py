"""Gather what the map may show from the data door, for the configured audience."""

from __future__ import annotations

from dashboard.config import Settings
from dashboard.figures.map import MapData
from geodata import Dataset
from geodata.overlays import overlays


def geojson_url(prefix: str, version: str, layer: str) -> str:
    """URL of a layer's GeoJSON; it carries the data version, so browsers may cache it for good."""
    return f"{prefix.rstrip('/')}/geo/{version}/{layer}.geojson"


def map_data_for(settings: Settings, ds: Dataset, prefix: str) -> MapData:
    return MapData(county=ds.county(), townships=ds.townships(), villages=ds.villages().drop(columns="geometry"),
                   villages_geojson=geojson_url(prefix, ds.version, "villages"), belts=ds.belts(),
                   overlays=overlays(ds, settings.audience))
