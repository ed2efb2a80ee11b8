"""GeoJSON of the map layers, converted once per dataset (and county) and cached as bytes."""

from __future__ import annotations

import json
import re

import numpy as np
import shapely

from geodata.cache import per_dataset
from geodata.dataset import Dataset
from geodata.shapes import province_counties

# Served name -> (layer, id column, properties kept). Only what the map draws: no personal data.
MAP_LAYERS = {
    "counties": ("county", "code", ["name", "name_en"]),
    "townships": ("townships", "code", ["name", "name_en"]),
    "villages": ("villages", "code", ["name", "name_en", "township_code", "kind"]),
}
PRECISION = 5  # ~1 m
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
    elif layer == "county" and len(ds.county()) > 1:
        # a province's counties are only ever drawn as context (at a glance, or around the county drilled
        # into): simplified for the province's zoom, a tenth of the full outlines (geodata.shapes)
        frame = province_counties(ds)
    else:
        frame = ds.layer(layer)
        if county:
            frame = frame[frame[id_col].str.startswith(county)]
    geoms = shapely.set_precision(np.asarray(frame.geometry.values), 10 ** -PRECISION)
    features = []
    for row, geom in zip(frame[[id_col, *props]].itertuples(index=False), geoms):
        features.append({"type": "Feature", "id": row[0],
                         "properties": {k: (v.item() if isinstance(v, np.generic) else v)
                                        for k, v in zip([id_col, *props], row)},
                         "geometry": json.loads(shapely.to_geojson(geom))})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")



def layer_geojson(ds: Dataset, name: str, county: str | None = None) -> bytes:
    """The GeoJSON FeatureCollection served as ``name`` (feature ``id`` = its code), UTF-8 bytes;
    with ``county``, only that county's features (province-scale data)."""
    if name not in MAP_LAYERS:
        raise KeyError(f"layer '{name}' is not served as GeoJSON")
    return _cached(ds, name, county)


def served_name(name: str, county: str | None) -> str:
    """The name under which a (county's) layer is served."""
    return f"{name}-{county}" if county else name
