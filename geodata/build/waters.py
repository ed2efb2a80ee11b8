"""Rivers (real GSHHG main stems plus synthetic streams), river-chief segments and ponds."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops
from shapely.geometry import LineString, Point

from geodata.build.geography import METRIC, WGS84, to_metric, to_wgs
from geodata.build.society import random_point_in

RIVER_NAMES = [("R01", "马金溪", "Majin Stream"), ("R02", "池淮溪", "Chihuai Stream")]
SYNTHETIC_RIVERS = [("R03", "中村溪", "Zhongcun Stream", "330824202"),
                    ("R04", "龙山溪", "Longshan Stream", "330824108")]


def _wiggly_line(start: Point, end: Point, rng: np.random.Generator, amplitude: float) -> LineString:
    t = np.linspace(0, 1, 24)
    x = start.x + (end.x - start.x) * t
    y = start.y + (end.y - start.y) * t
    nx, ny = -(end.y - start.y), end.x - start.x
    norm = np.hypot(nx, ny) or 1.0
    phase = rng.uniform(0, 2 * np.pi)
    offset = amplitude * np.sin(t * np.pi * rng.uniform(2, 4) + phase) * np.sin(t * np.pi)
    return LineString(np.column_stack([x + nx / norm * offset, y + ny / norm * offset]))


def river_layer(real_lines: list[LineString], townships: gpd.GeoDataFrame, outline_m,
                rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Named rivers: the two GSHHG lines (real) and two tributaries drawn to the main stem."""
    rows = []
    main_m = to_metric(real_lines).clip(outline_m)
    for (rid, name, en), geom in zip(RIVER_NAMES, main_m):
        rows.append({"river_id": rid, "name": name, "name_en": en, "source": "GSHHG (gmt-gshhg-full)",
                     "synthetic": False, "geometry": geom})
    stem = main_m.iloc[0]
    towns_m = townships.to_crs(METRIC).set_index("code")
    for rid, name, en, town in SYNTHETIC_RIVERS:
        region = towns_m.loc[town].geometry
        start = region.representative_point()
        end = shapely.ops.nearest_points(stem, start)[0]
        line = _wiggly_line(start, end, rng, 600.0).intersection(outline_m)
        rows.append({"river_id": rid, "name": name, "name_en": en, "source": "synthetic",
                     "synthetic": True, "geometry": line})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC)
    frame["length_km"] = (frame.length / 1000).round(2)
    frame["geometry"] = list(to_wgs(frame.geometry))
    return frame.set_crs(WGS84, allow_override=True)


def river_segments(rivers: gpd.GeoDataFrame, villages: gpd.GeoDataFrame,
                   rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Each village's stretch of river; villages crossed by no named river get their own
    (synthetic) village stream, so that every village has a stretch for its river chief."""
    riv_m = rivers.to_crs(METRIC)
    vil_m = villages.to_crs(METRIC)
    rows = []
    for v in vil_m.itertuples():
        had = False
        for r in riv_m.itertuples():
            piece = r.geometry.intersection(v.geometry)
            if piece.length > 50:
                had = True
                rows.append({"village_code": v.code, "river_id": r.river_id, "river_name": r.name,
                             "synthetic": bool(r.synthetic), "geometry": piece})
        if not had:
            poly = v.geometry
            c = poly.representative_point()
            ang = rng.uniform(0, np.pi)
            reach = np.sqrt(poly.area) * 0.45
            a = Point(c.x - np.cos(ang) * reach, c.y - np.sin(ang) * reach)
            b = Point(c.x + np.cos(ang) * reach, c.y + np.sin(ang) * reach)
            line = _wiggly_line(a, b, rng, reach * 0.15).intersection(poly)
            rows.append({"village_code": v.code, "river_id": None, "river_name": f"{v.name}溪",
                         "synthetic": True, "geometry": line})
    seg = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC)
    seg["geometry"] = [shapely.line_merge(g) if g.geom_type == "MultiLineString" else g for g in seg.geometry]
    seg["length_km"] = (seg.length / 1000).round(3)
    seg.insert(0, "segment_id", [f"RS{i + 1:04d}" for i in range(len(seg))])
    seg["geometry"] = list(to_wgs(seg.geometry))
    return seg.set_crs(WGS84, allow_override=True)


def pond_layer(villages: gpd.GeoDataFrame, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """One village pond (山塘) per administrative village, a point inside it (synthetic)."""
    vil = villages[villages.kind == "村"].to_crs(METRIC)
    rows = []
    for v in vil.itertuples():
        p = random_point_in(v.geometry, rng)
        rows.append({"pond_id": f"P{v.code[-6:]}", "village_code": v.code, "name": f"{v.name}山塘",
                     "area_m2": int(rng.integers(800, 12000)), "synthetic": True, "geometry": p})
    ponds = gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC)
    ponds["geometry"] = list(to_wgs(ponds.geometry))
    return ponds.set_crs(WGS84, allow_override=True)
