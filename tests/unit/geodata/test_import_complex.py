"""Absurd geometry: very complex features are simplified with a warning, or refused before they are parsed.

(The memory this bounds is measured by ``python -m benchmarks.import_memory``, not asserted here.)
"""

from __future__ import annotations

import json

import numpy as np
import pyogrio
import shapely

from benchmarks.import_memory import hostile_villages
from geodata.io.safety import MAX_FEATURE_VERTICES
from geodata.validate import SIMPLIFY_ABOVE
from tests.unit.geodata.files import check, messages, shipped_layer


def test_a_village_of_a_million_vertices_in_a_geopackage_is_simplified_with_a_warning(tmp_path):
    path = tmp_path / "villages.gpkg"
    pyogrio.write_dataframe(hostile_villages(), path, layer="villages", driver="GPKG")
    report = check(path, tmp_path / "work")
    assert report.ok, messages(report)
    warning = next(i for i in report.issues if i.level == "warning" and "vertices" in i.message_en)
    assert warning.row == 1 and warning.field == "geometry"
    assert warning.message_en.startswith("geometry had 1,000,0") and "simplified to" in warning.message_en
    written = pyogrio.read_dataframe(tmp_path / "work" / "kaihua.gpkg", layer="villages")
    counts = shapely.get_num_coordinates(written.geometry.values)
    assert counts.max() <= SIMPLIFY_ABOVE
    # the simplified village keeps its shape (the cut outline had no corners to lose)
    original = shipped_layer("villages").geometry.iloc[0]
    assert abs(written.geometry.iloc[0].area - original.area) / original.area < 1e-3


def _zigzag_polygon(vertices: int, centre: tuple[float, float]) -> shapely.Polygon:
    """A ring of ``vertices`` vertices whose radius jumps by ~1 km at each: simplifying keeps most of them."""
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    radius = 0.02 + 0.01 * (np.arange(vertices) % 2)
    return shapely.Polygon(np.column_stack([centre[0] + radius * np.cos(angles),
                                            centre[1] + radius * np.sin(angles)]))


def test_a_feature_that_stays_too_complex_is_refused(tmp_path, monkeypatch):
    # smaller limits than the real ones, so that the test is quick; the logic is the same
    monkeypatch.setattr("geodata.validate.SIMPLIFY_ABOVE", 2_000)
    monkeypatch.setattr("geodata.validate.MAX_FEATURE_VERTICES", 10_000)
    villages = shipped_layer("villages").head(3).copy()
    c = villages.geometry.iloc[0].centroid
    villages.loc[villages.index[0], "geometry"] = _zigzag_polygon(30_000, (c.x, c.y))
    path = tmp_path / "villages.gpkg"
    pyogrio.write_dataframe(villages, path, layer="villages", driver="GPKG")
    report = check(path, tmp_path / "work")
    errors = [i for i in report.errors if "too complex" in i.message_en]
    assert len(errors) == 1 and errors[0].row == 1
    assert errors[0].message_en.startswith("geometry too complex (30,001 vertices, still ")  # (ring closed)


def test_a_huge_geojson_feature_is_refused_as_it_streams(tmp_path):
    """GDAL is told the largest feature it may build (OGR_GEOJSON_MAX_OBJ_SIZE): a 12 MB one is refused."""
    data = json.loads(shipped_layer("villages").head(3).to_json())
    x, y = data["features"][0]["geometry"]["coordinates"][0][0]
    ring = [[x + 1e-7 * k, y] for k in range(400_000)] + [[x, y + 1e-3], [x, y]]
    data["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [ring]}
    path = tmp_path / "villages.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert path.stat().st_size > 8 * 1024 * 1024
    assert messages(check(path, tmp_path / "work")) == [
        "a feature is too complex (over 8 MB of text; the limit is about 200,000 vertices): simplify the "
        "geometry first (e.g. QGIS Simplify, tolerance 1 m)"]


def test_a_large_geojson_is_checked_as_it_streams(tmp_path):
    """Over 4 MB the file is not parsed whole by Python: still UTF-8 only, still a FeatureCollection."""
    villages = shipped_layer("villages")
    text = villages.to_json()
    padded = text.replace('"type": "FeatureCollection"', '"type": "FeatureCollection", "pad": "'
                          + "x" * (5 * 1024 * 1024) + '"', 1)
    path = tmp_path / "villages.geojson"
    path.write_text(padded, encoding="utf-8")
    assert check(path, tmp_path / "ok").ok
    path.write_bytes(padded.encode("utf-8") + b"\xff")
    assert messages(check(path, tmp_path / "bad"))[0].startswith("not valid GeoJSON: 'utf-8' codec can't decode")
    path.write_text('{"features": [], "pad": "' + "x" * (5 * 1024 * 1024) + '", "type": "Topology"}')
    assert messages(check(path, tmp_path / "topo"))[0].startswith("GeoJSON must be a FeatureCollection")


def test_kml_coordinates_are_counted_before_they_are_parsed(tmp_path):
    from tests.unit.geodata.files import belt_placemark, kml

    coords = [(118.3 + 1e-7 * k, 29.1) for k in range(MAX_FEATURE_VERTICES + 1)]
    path = tmp_path / "belts.kml"
    path.write_bytes(kml(belt_placemark("B01", coords)))
    assert messages(check(path, tmp_path / "work")) == [
        f"a feature is too complex (about {MAX_FEATURE_VERTICES + 1:,} vertices; the limit is about "
        f"{MAX_FEATURE_VERTICES:,} vertices): simplify the geometry first (e.g. QGIS Simplify, tolerance 1 m)"]
