"""GeoJSON of the map layers, converted once per dataset (and county) and cached as bytes."""

from __future__ import annotations

import json
import re

import numpy as np
import shapely

from geodata.cache import per_dataset
from geodata.dataset import Dataset

# Served name -> (layer, id column, properties kept). Only what the map draws: no personal data.
MAP_LAYERS = {
    "counties": ("county", "code", ["name", "name_en"]),
    "townships": ("townships", "code", ["name", "name_en"]),
    "villages": ("villages", "code", ["name", "name_en", "township_code", "kind"]),
}
PRECISION = 5  # ~1 m
# Province data: county shapes are context around a drilled-in county (its own outline is drawn from the full
# geometry) or small in the overview, yet plotly re-projects every vertex on each redraw: 81 full-detail counties
# (157,000 vertices) cost ~250 ms of every Plotly.react of a drilled map; ~100 m (46,000 vertices) is about a
# pixel at a county's zoom and far less in the overview.
COUNTY_TOLERANCE = 0.001  # degrees
_NAME = re.compile(rf"^({'|'.join(map(re.escape, MAP_LAYERS))})(?:-(\d{{6}}))?$")


def parse_name(name: str) -> tuple[str, str | None] | None:
    """"villages-330824" -> ("villages", "330824"); None for anything else."""
    match = _NAME.match(name or "")
    return (match.group(1), match.group(2)) if match else None


@per_dataset(maxsize=64)
def _cached(ds: Dataset, name: str, county: str | None) -> bytes:
    layer, id_col, props = MAP_LAYERS[name]
    if county and layer == "villages" and ds.backend == "postgis":
        # a drilled-in county of province data: selected and simplified in the database (geodata.postgis.spatial)
        from geodata.postgis.spatial import county_villages

        frame = county_villages(ds, county, columns=(id_col, *props))
    else:
        frame = ds.layer(layer)
        if county:
            frame = frame[frame[id_col].str.startswith(county)]
    geoms = np.asarray(frame.geometry.values)
    if layer == "county" and len(geoms) > 1:
        geoms = simplified_counties(geoms)
    geoms = shapely.set_precision(geoms, 10 ** -PRECISION)
    features = []
    for row, geom in zip(frame[[id_col, *props]].itertuples(index=False), geoms):
        features.append({"type": "Feature", "id": row[0],
                         "properties": {k: (v.item() if isinstance(v, np.generic) else v)
                                        for k, v in zip([id_col, *props], row)},
                         "geometry": json.loads(shapely.to_geojson(geom))})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def simplified_counties(geoms: np.ndarray) -> np.ndarray:
    """County shapes with ~COUNTY_TOLERANCE detail; shared borders simplified once, so neighbours still meet."""
    try:
        return shapely.coverage_simplify(geoms, COUNTY_TOLERANCE)
    except shapely.errors.GEOSException:  # not a clean coverage: each shape on its own
        return shapely.simplify(geoms, COUNTY_TOLERANCE, preserve_topology=True)


def layer_geojson(ds: Dataset, name: str, county: str | None = None) -> bytes:
    """The GeoJSON FeatureCollection served as ``name`` (feature ``id`` = its code), UTF-8 bytes;
    with ``county``, only that county's features (province-scale data)."""
    if name not in MAP_LAYERS:
        raise KeyError(f"layer '{name}' is not served as GeoJSON")
    return _cached(ds, name, county)


def served_name(name: str, county: str | None) -> str:
    """The name under which a (county's) layer is served."""
    return f"{name}-{county}" if county else name
