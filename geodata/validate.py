"""Check an imported layer against the schema and the rest of the dataset.

Each function adds its findings to a :class:`~geodata.report.Report`, naming layer, row and field.
Row numbers are 1-based positions in the layer as read (1 = first record after any header).
The report itself (:class:`Report`, :class:`Issue`) lives in :mod:`geodata.report`.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.dataset import Dataset
from geodata.io.safety import MAX_FEATURE_VERTICES
from geodata.io.tables import cell_text
from geodata.ledger import check_ledger
from geodata.placement import Area
from geodata.report import Report
from geodata.schema import LayerSpec, fill_defaults

__all__ = ["check_geometry", "check_keys", "check_ledger_totals", "check_references",
           "check_tiling", "coerce", "row_numbers"]
METRIC = "EPSG:32650"  # UTM 50N: Kaihua lies at 118.4 E; areas in m²
MAX_OVERLAP_M2 = 10_000.0  # two villages may share a hectare of digitising slack, not more
MAX_GAP_SHARE = 0.01  # of the county's area, uncovered (or covered outside it) before a warning
_TRUE = {"true", "1", "yes", "y", "t", "是"}
_FALSE = {"false", "0", "no", "n", "f", "否"}
# A feature with more vertices than this is simplified (Douglas-Peucker) with a warning: the map, the checks
# and every export would otherwise carry its weight. Not the topology-preserving simplifier: it takes ~300 MB
# per million vertices; a result made invalid is repaired by the validity check that follows.
SIMPLIFY_ABOVE = 20_000
SIMPLIFY_TOLERANCES = (1e-5, 5e-5, 2.5e-4)  # about 1 m, 5 m, 25 m
SIMPLIFY_RUN = 2_000
FAMILY = {"Polygon": {"Polygon", "MultiPolygon"}, "LineString": {"LineString", "MultiLineString"},
          "Point": {"Point"}}


def row_numbers(mask: pd.Series) -> list[int]:
    """1-based file rows where ``mask`` holds. The index is the row as read (a wide table melted to
    long keeps the row each value came from)."""
    return [int(i) + 1 for i in mask.index[mask.to_numpy(dtype=bool)]]


def _bool(value: object) -> bool | None:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = cell_text(value)
    if text is None:
        return None
    return True if text.strip().lower() in _TRUE else False if text.strip().lower() in _FALSE else None


def _convert(series: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """``series`` as ``kind`` and a mask of the values that do not convert."""
    present = series.notna()
    if kind == "str":
        out = series.map(cell_text).astype(object)
        return out, pd.Series(False, index=series.index)
    if kind == "bool":
        out = series.map(_bool)
        return out, out.isna()
    numbers = pd.to_numeric(series.map(cell_text), errors="coerce")
    if kind == "int":
        bad = numbers.isna() | (numbers % 1 != 0)
        return numbers.where(~bad, 0).astype("int64"), bad
    return numbers.astype("float64"), present & numbers.isna()


def coerce(frame: pd.DataFrame, spec: LayerSpec, report: Report,
           known: frozenset[str] = frozenset()) -> pd.DataFrame | None:
    """``frame`` with the schema's columns in the schema's types, or None if it cannot be.

    A missing required column is an error; a missing optional one is filled with its default (and reported).
    Columns outside the schema are kept; those not in ``known`` (the published layer's columns) are reported.
    """
    layer = spec.name
    frame = frame.copy()
    for col in spec.kinds:
        if col not in frame and len(col) > 10 and col[:10] in frame:  # a .dbf keeps only 10 characters
            frame = frame.rename(columns={col[:10]: col})
            report.repaired(layer, f"字段名 {col[:10]} 被截断,按 {col} 读取", f"field name {col[:10]} (truncated "
                            f"by the shapefile format) read as {col}", column=col)
    missing = [c for c in spec.columns if c not in frame]
    for col in missing:
        report.error(layer, f"缺少必填列 {col}", f"missing required column {col}", column=col)
    if missing:
        return None
    frame, filled = fill_defaults(frame, spec)
    for col in filled:
        if col == "synthetic":
            report.repaired(layer, "缺少 synthetic 列:按实测数据记为 false", "no 'synthetic' column: set to false "
                            "(surveyed data)", column="synthetic")
        else:
            default = spec.optional[col][1]
            report.repaired(layer, f"缺少可选列 {col}:填入默认值 {default!r}",
                            f"no optional column {col}: filled with its default {default!r}", column=col)
    geometry = [frame.geometry.name] if spec.geometry else []
    extra = [c for c in frame.columns if c not in spec.kinds and c not in geometry]
    if set(extra) - known:  # kept: the department's own attributes are not ours to drop
        report.warning(layer, f"模式外的列按原样保留:{', '.join(sorted(set(extra) - known))}",
                       f"columns outside the schema kept as they are: {', '.join(sorted(set(extra) - known))}")
    failed = False
    for col, kind in spec.kinds.items():
        converted, bad = _convert(frame[col], kind)
        if col in spec.key or kind in ("int", "bool"):
            bad = bad | converted.isna()
        if bad.any():
            failed = True
            report.rows_issue("error", layer, row_numbers(bad), col, f"值为空或不是 {kind} 类型",
                              f"value is empty or not of type {kind}")
        frame[col] = converted
    return None if failed else frame[[*spec.kinds, *extra, *geometry]]


def check_keys(frame: pd.DataFrame, spec: LayerSpec, report: Report, area: Area) -> None:
    """Duplicate keys; village codes outside the dataset's counties (``area``, from its county layer)."""
    dup = frame.duplicated(list(spec.key), keep=False)
    if dup.any():
        report.rows_issue("error", spec.name, row_numbers(dup), ",".join(spec.key), "键重复", "duplicate key")
    for col in ("village_code", "code" if spec.name == "villages" else None):
        if col and col in frame:
            values = frame[col]
            bad = values.notna() & ~area.village_code_ok(values)
            if bad.any():
                report.rows_issue("error", spec.name, row_numbers(bad), col,
                                  f"村代码须为 {area.label_zh} 开头的 12 位数字",
                                  f"village code must be 12 digits starting {area.label_en}", list(values[bad]))


def _repair(geom: shapely.Geometry, family: set[str]) -> shapely.Geometry:
    """``make_valid``, keeping only parts of the layer's kind (a polygon may become polygons and lines)."""
    fixed = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(fixed) if p.geom_type in family]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def check_geometry(frame: gpd.GeoDataFrame, spec: LayerSpec, report: Report,
                   bounds: tuple[float, float, float, float]) -> gpd.GeoDataFrame | None:
    """Missing, wrongly typed or out-of-area geometry (errors); invalid geometry (repaired)."""
    layer, family = spec.name, FAMILY[spec.geometry]
    geoms = frame.geometry.copy()
    if simplify_complex(geoms, layer, report):
        return None
    invalid = geoms.notna() & ~geoms.is_empty & ~geoms.is_valid
    for i in np.flatnonzero(invalid):
        reason = shapely.is_valid_reason(geoms.iloc[i])
        geoms.iloc[i] = _repair(geoms.iloc[i], family)
        report.repaired(layer, f"几何无效({reason}),已用 make_valid 修复",
                        f"invalid geometry ({reason}) repaired with make_valid", int(i) + 1, "geometry")
    frame = frame.set_geometry(geoms)
    empty = geoms.isna() | geoms.is_empty
    wrong = ~empty & ~geoms.geom_type.isin(family)
    minx, miny, maxx, maxy = bounds
    b = geoms.bounds
    outside = ~empty & ((b.minx < minx) | (b.maxx > maxx) | (b.miny < miny) | (b.maxy > maxy))
    for mask, zh, en in [
        (empty, "几何为空", "geometry is missing or empty"),
        (wrong, f"几何类型应为 {spec.geometry}", f"geometry should be a {spec.geometry}"),
        (outside & ~wrong, "坐标落在数据集的县域之外:坐标系声明有误?(经纬度颠倒、投影坐标缺 .prj、GCJ-02 未声明)",
         "coordinates fall outside the dataset's counties: wrong CRS? (lat/lon swapped, projected without .prj, "
         "undeclared GCJ-02)"),
    ]:
        if mask.any():
            report.rows_issue("error", layer, row_numbers(mask), "geometry", zh, en)
    return None if (empty | wrong | outside).any() else frame


def _simplify_run(coords: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker on a line's coordinates, :data:`SIMPLIFY_RUN` vertices at a time (the algorithm is
    quadratic on a zigzag: a hostile million-vertex ring would take hours in one piece, seconds in runs)."""
    if len(coords) <= 2:
        return coords
    parts = [shapely.get_coordinates(shapely.simplify(shapely.LineString(coords[s:s + SIMPLIFY_RUN + 1]),
                                                      tolerance, preserve_topology=False))[:-1]
             for s in range(0, len(coords) - 1, SIMPLIFY_RUN)]
    return np.concatenate([*parts, coords[-1:]])


def simplify_in_runs(geom: shapely.Geometry, tolerance: float) -> shapely.Geometry:
    """``geom`` simplified part by part and ring by ring (see :func:`_simplify_run`); rings that collapse are
    dropped (a collapsed outer ring keeps its original), and the validity check repairs what this breaks."""
    kind = geom.geom_type
    if kind == "LineString":
        return shapely.LineString(_simplify_run(shapely.get_coordinates(geom), tolerance))
    if kind == "Polygon":
        rings = [_simplify_run(shapely.get_coordinates(r), tolerance) for r in (geom.exterior, *geom.interiors)]
        outer = rings[0] if len(rings[0]) >= 4 else shapely.get_coordinates(geom.exterior)
        return shapely.Polygon(outer, [r for r in rings[1:] if len(r) >= 4])
    if kind in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
        return type(geom)([simplify_in_runs(part, tolerance) for part in geom.geoms])
    return geom


def simplify_complex(geoms: gpd.GeoSeries, layer: str, report: Report) -> bool:
    """Simplify, in place, features of more than :data:`SIMPLIFY_ABOVE` vertices (a warning each); True if
    one stays above :data:`~geodata.io.safety.MAX_FEATURE_VERTICES` even at the coarsest tolerance (an error)."""
    counts = shapely.get_num_coordinates(geoms.values)
    failed = False
    for i in np.flatnonzero(counts > SIMPLIFY_ABOVE):
        simple = geoms.iloc[i]
        for tolerance in SIMPLIFY_TOLERANCES:
            simple = simplify_in_runs(geoms.iloc[i], tolerance)
            if shapely.get_num_coordinates(simple) <= SIMPLIFY_ABOVE:
                break
        after = int(shapely.get_num_coordinates(simple))
        if after > MAX_FEATURE_VERTICES:
            failed = True
            report.error(layer, f"几何过于复杂({counts[i]:,} 个顶点,简化后仍有 {after:,}):请先简化",
                         f"geometry too complex ({counts[i]:,} vertices, still {after:,} simplified): simplify it "
                         "first", int(i) + 1, "geometry")
            continue
        geoms.iloc[i] = simple
        report.warning(layer, f"几何有 {counts[i]:,} 个顶点,已简化为 {after:,} 个(容差约 {tolerance * 1e5:.0f} 米)",
                       f"geometry had {counts[i]:,} vertices: simplified to {after:,} (tolerance about "
                       f"{tolerance * 1e5:.0f} m)", int(i) + 1, "geometry")
    return failed


def check_references(layers: Mapping[str, pd.DataFrame], changed: set[str], report: Report) -> None:
    """Every village code, township code and belt id a layer uses must exist."""
    villages = set(layers["villages"].code)
    belts = set(layers["belts"].belt_id)
    townships = set(layers["townships"].code)
    refs = [(name, "village_code", villages) for name, frame in layers.items() if "village_code" in frame]
    refs += [("belt_villages", "belt_id", belts), ("villages", "township_code", townships)]
    for name, col, known in refs:
        if name not in changed and not ({"villages", "belts", "townships"} & changed):
            continue
        values = layers[name][col]
        bad = values.notna() & ~values.isin(known)  # an empty reference means "not tied to one"
        if bad.any():
            what = {"village_code": ("村", "village"), "belt_id": ("示范带", "belt"),
                    "township_code": ("乡镇", "township")}[col]
            report.rows_issue("error", name, row_numbers(bad), col, f"{what[0]}代码不存在于数据集中",
                              f"unknown {what[1]}: no such {what[1]} in the dataset", list(values[bad]))


def check_tiling(villages: gpd.GeoDataFrame, county: gpd.GeoDataFrame, report: Report) -> None:
    """Village polygons must not overlap one another, and should cover the county outline."""
    geoms = villages.to_crs(METRIC).geometry.values
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    for i, j in zip(left, right):
        if i < j:
            area = shapely.intersection(geoms[i], geoms[j]).area
            if area > MAX_OVERLAP_M2:
                report.error("villages", f"与村 {villages.code.iloc[j]} 重叠 {area / 1e4:.1f} 公顷",
                             f"overlaps village {villages.code.iloc[j]} by {area / 1e4:.1f} ha", int(i) + 1,
                             "geometry")
    outline = shapely.union_all(county.to_crs(METRIC).geometry.values)
    covered = shapely.union_all(geoms)
    for shape, zh, en in [(outline.difference(covered), "村界未覆盖县域", "villages leave gaps in the county"),
                          (covered.difference(outline), "村界超出县界", "villages extend beyond the county")]:
        if shape.area > MAX_GAP_SHARE * outline.area:
            report.warning("villages", f"{zh}:{shape.area / 1e6:.1f} 平方公里", f"{en}: {shape.area / 1e6:.1f} km²",
                           column="geometry")


def check_ledger_totals(ds: Dataset, report: Report) -> None:
    """Bulletin figures the new data no longer agrees with (a warning: the data may be right)."""
    try:
        checks = check_ledger(ds)
    except Exception as exc:  # a measure may not apply to very different data; say so, do not fail
        report.warning("ledger", f"无法核对公报台账:{exc}", f"cannot check the bulletin ledger: {exc}")
        return
    for c in checks:
        if not c.ok:
            report.warning("ledger", f"与公报台账不符:{c.label_zh} 公报 {c.expected:g},数据 {c.measured:g}",
                           f"disagrees with the bulletin ledger: {c.key} bulletin {c.expected:g}, "
                           f"data {c.measured:g}", column=c.key)
