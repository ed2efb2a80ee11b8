"""GeoJSON of the map layers, converted once per dataset and cached as bytes."""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import shapely

from geodata.dataset import Dataset

# Layer -> (id column, properties kept). Only what the map draws: no personal data travels here.
MAP_LAYERS = {
    "county": ("code", ["name"]),
    "townships": ("code", ["name", "name_en"]),
    "villages": ("code", ["name", "name_en", "township_code", "kind"]),
}
PRECISION = 5  # ~1 m


def _round(geom):
    return shapely.set_precision(geom, 10 ** -PRECISION) if geom is not None else geom


@lru_cache(maxsize=16)
def _cached(path: str, layer: str, ds: Dataset) -> bytes:
    id_col, props = MAP_LAYERS[layer]
    frame = ds.layer(layer)
    features = []
    for row, geom in zip(frame[[id_col, *props]].itertuples(index=False), frame.geometry):
        mapping = json.loads(shapely.to_geojson(_round(geom)))
        features.append({"type": "Feature", "id": row[0],
                         "properties": {k: (v.item() if isinstance(v, np.generic) else v)
                                        for k, v in zip([id_col, *props], row)},
                         "geometry": mapping})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def layer_geojson(ds: Dataset, layer: str) -> bytes:
    """The GeoJSON FeatureCollection of ``layer`` (feature ``id`` = its code), UTF-8 bytes."""
    if layer not in MAP_LAYERS:
        raise KeyError(f"layer '{layer}' is not served as GeoJSON")
    return _cached(str(ds.path), layer, ds)
