"""Gather what the map may show from the data door, for one audience (the request's)."""

from __future__ import annotations

from dashboard.figures.map import MapData
from geodata import Audience, Dataset
from geodata.geojson import served_name
from geodata.overlays import overlays
from geodata.provenance import illustration
from geodata.shapes import province_counties


def geojson_url(prefix: str, version: str, layer: str) -> str:
    """URL of a layer's GeoJSON; it carries the data version, so browsers may cache it for good."""
    return f"{prefix.rstrip('/')}/geo/{version}/{layer}.geojson"


def map_data_for(audience: Audience, ds: Dataset, prefix: str, county: str | None = None) -> MapData:
    """One county's map; on province-scale data with no ``county`` chosen, only the counties."""
    counties = ds.county()
    if len(counties) == 1:
        return MapData(county=counties, townships=ds.townships(),
                       villages=ds.villages().drop(columns="geometry"),
                       villages_geojson=geojson_url(prefix, ds.version, "villages"), belts=ds.belts(),
                       overlays=overlays(ds, audience), illustrative=illustration(ds))
    counties_url = geojson_url(prefix, ds.version, "counties")
    if county is None:  # the province at a glance: aggregated shapes only, simplified for its zoom
        empty = ds.villages().drop(columns="geometry").iloc[0:0]
        return MapData(county=province_counties(ds), townships=ds.townships().iloc[0:0], villages=empty,
                       villages_geojson=counties_url, belts=ds.belts().iloc[0:0], overlays=None,
                       counties=counties.drop(columns="geometry"), counties_geojson=counties_url,
                       illustrative=illustration(ds))
    vil = ds.villages()
    belts = ds.belts()
    towns = ds.townships()
    return MapData(county=counties[counties.code == county], townships=towns[towns.code.str.startswith(county)],
                   villages=vil[vil.code.str.startswith(county)].drop(columns="geometry"),
                   villages_geojson=geojson_url(prefix, ds.version, served_name("villages", county)),
                   belts=belts[belts.township_codes.str.startswith(county)],
                   overlays=overlays(ds, audience, county),
                   counties=counties.drop(columns="geometry"), counties_geojson=counties_url,
                   illustrative=illustration(ds))
