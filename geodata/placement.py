"""Where imported data must lie: the dataset's counties (codes and outline), and the check that finds
Chinese web-map coordinates (GCJ-02, BD-09) declared as WGS84.

Nothing here names a county: the codes and the outline come from the dataset (or from the county layer
of the file being imported), so province-scale data validates the same way as one county.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.build.gcj02 import bd09_to_wgs84, gcj02_to_wgs84
from geodata.report import Report

METRIC = "EPSG:32650"  # UTM 50N: distances and areas in metres
# A systematic shift this large (metres) that one of the offset datums explains is not a survey difference.
MIN_OFFSET_M = 150.0
# ... and the explanation must be good: the offset left after undoing the datum is at most this share of it.
MAX_RESIDUAL_SHARE = 0.3
# Outline check: undoing the datum improves the fit (intersection over union) with the county outline by this much.
MIN_IOU_GAIN = 0.01
MIN_MATCHED = 3  # features matched by key to the published layer before their shift is judged
DATUMS = {"gcj02": ("GCJ-02(高德、腾讯)", "GCJ-02 (Amap, Tencent)", gcj02_to_wgs84),
          "bd09": ("BD-09(百度)", "BD-09 (Baidu)", bd09_to_wgs84)}
# Where a county layer (which itself says where the data lies) may be: China (lon, lat), so that swapped
# coordinates or projected metres without a .prj are still caught.
CHINA_BOUNDS = (73.4, 18.1, 135.1, 53.6)
TILING_LAYERS = frozenset({"county", "townships", "villages"})  # polygons that should cover the outline


@dataclass(frozen=True)
class Area:
    """The counties imported data belongs to: their 6-digit codes, names and outline (EPSG:4326)."""

    codes: frozenset[str]
    label_zh: str
    label_en: str
    outline: shapely.Geometry

    @classmethod
    def of(cls, county: gpd.GeoDataFrame) -> Area:
        codes = frozenset(str(c) for c in county.code.dropna())
        if len(county) == 1:
            row = county.iloc[0]
            name_en = row.get("name_en") if isinstance(row.get("name_en"), str) and row.get("name_en") else row["name"]
            label_zh, label_en = f"{row.code}({row['name']})", f"{row.code} ({name_en})"
        else:
            shown = ", ".join(sorted(codes)[:3]) + (", ..." if len(codes) > 3 else "")
            label_zh = f"本数据集 {len(codes)} 个县之一的代码({shown})"
            label_en = f"the code of one of the dataset's {len(codes)} counties ({shown})"
        return cls(codes, label_zh, label_en, shapely.union_all(county.geometry.values))

    def bounds(self, margin: float, layer: str = "") -> tuple[float, float, float, float]:
        """Where ``layer``'s geometry may lie: the outline and ``margin`` degrees (a county layer: China)."""
        if layer == "county":
            return CHINA_BOUNDS
        minx, miny, maxx, maxy = self.outline.bounds
        return minx - margin, miny - margin, maxx + margin, maxy + margin

    def village_code_ok(self, values: pd.Series) -> pd.Series:
        """True where a value is a 12-digit village code inside one of the counties."""
        text = values.astype(str)
        return text.str.fullmatch(r"\d{12}") & text.str[:6].isin(self.codes)


def _shifted(geoms: np.ndarray, convert) -> np.ndarray:
    def fn(coords: np.ndarray) -> np.ndarray:
        lon, lat = convert(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geoms, fn)


def _metric(geoms) -> np.ndarray:
    return gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(METRIC).values


def _iou(a: shapely.Geometry, b: shapely.Geometry) -> float:
    union = shapely.union(a, b).area
    return shapely.intersection(a, b).area / union if union else 0.0


def _outline_fit(frame: gpd.GeoDataFrame, area: Area, convert) -> tuple[float, float, float] | None:
    """(fit as declared, fit after undoing the datum, shift in metres) of the layer's union against the outline."""
    declared = shapely.union_all(frame.geometry.values)
    if declared.is_empty:
        return None
    undone = shapely.union_all(_shifted(frame.geometry.values, convert))
    a, b, outline = (shapely.make_valid(g) for g in _metric([declared, undone, area.outline]))
    shift = shapely.distance(shapely.centroid(a), shapely.centroid(b))
    return _iou(a, outline), _iou(b, outline), float(shift)


def _matched_shift(frame: gpd.GeoDataFrame, published: gpd.GeoDataFrame, key: list[str],
                   convert) -> tuple[float, float] | None:
    """(median shift from the published features, what is left of it after undoing the datum), metres."""
    if not key or not set(key) <= set(published.columns) or published.empty:
        return None
    left = frame.set_index(key).geometry
    right = published.set_index(key).geometry
    common = left.index.intersection(right.index)
    if len(common) < MIN_MATCHED:
        return None
    new = _metric(shapely.centroid(left.loc[common].values))
    old = _metric(shapely.centroid(right.loc[common].values))
    undone = _metric(shapely.centroid(_shifted(left.loc[common].values, convert)))

    def median_vector(a, b) -> float:
        dx = np.median(shapely.get_x(a) - shapely.get_x(b))
        dy = np.median(shapely.get_y(a) - shapely.get_y(b))
        return float(np.hypot(dx, dy))

    return median_vector(new, old), median_vector(undone, old)


def check_offset(frame: gpd.GeoDataFrame, layer: str, key: list[str], area: Area, published: gpd.GeoDataFrame,
                 report: Report) -> bool:
    """An error (with the fix ``--crs gcj02``/``bd09``) if the geometry sits a systematic offset away from
    where it belongs, as web-map coordinates declared as WGS84 do. True if it found one.

    Two witnesses: the features the published layer also has (same key) are all shifted by the datum's
    offset; and, for layers that tile the county, undoing the datum makes them fit the outline better."""
    geoms = frame.geometry
    if geoms.isna().all() or geoms.is_empty.all():
        return False
    found: tuple[str, float] | None = None
    matched = {d: _matched_shift(frame, published, key, DATUMS[d][2]) for d in DATUMS}
    fits = {d: m for d, m in matched.items() if m and m[0] >= MIN_OFFSET_M and m[1] <= MAX_RESIDUAL_SHARE * m[0]}
    if fits:  # the datum that leaves the least shift
        datum = min(fits, key=lambda d: fits[d][1])
        found = datum, fits[datum][0]
    elif layer in TILING_LAYERS and not any(matched.values()):
        outline = {d: _outline_fit(frame, area, DATUMS[d][2]) for d in DATUMS}
        good = {d: f for d, f in outline.items() if f and f[2] >= MIN_OFFSET_M and f[1] >= f[0] + MIN_IOU_GAIN
                and f[1] > 0.5}
        if good:  # the datum whose undoing fits the outline best
            datum = max(good, key=lambda d: good[d][1])
            found = datum, good[datum][2]
    if found is None:
        return False
    datum, shift = found
    name_zh, name_en, _ = DATUMS[datum]
    report.error(layer, f"几何整体偏移约 {shift:.0f} 米,与 {name_zh} 坐标被当作 WGS84 的偏移一致:"
                 f"请用 --crs {datum} 导入",
                 f"the geometry is offset by about {shift:.0f} m as a whole, as {name_en} coordinates declared as "
                 f"WGS84 are: import it with --crs {datum}", column="geometry")
    return True
