"""Synthetic township and village polygons that tile the real county outline.

No package holds Kaihua's township or village boundaries, so they are drawn here from a fixed
seed: townships are Voronoi cells of the real township seats, villages are relaxed Voronoi cells
of points inside their township (real GeoNames positions where a village matches one). Every cell
is clipped to its parent, and fragments cut off by the clipping are given to the neighbour they
touch most, so the result tiles the outline with no gap and no overlap.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry


def voronoi_cells(points: Sequence[Point], region: BaseGeometry) -> list[BaseGeometry]:
    """Voronoi cells of ``points`` clipped to ``region``, in the order of ``points``."""
    if len(points) == 1:
        return [region]
    envelope = region.buffer(region.length).envelope
    diagram = shapely.voronoi_polygons(MultiPoint(list(points)), extend_to=envelope)
    cells: list[BaseGeometry] = [Polygon()] * len(points)
    polys = list(diagram.geoms)
    tree = shapely.STRtree(polys)
    for i, pt in enumerate(points):
        hits = tree.query(pt, predicate="intersects")
        cells[i] = shapely.intersection(polys[int(hits[0])], region)
    return cells


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon) and g.area > 0]


def absorb_fragments(cells: list[BaseGeometry], anchors: Sequence[Point]) -> list[BaseGeometry]:
    """Make every cell one polygon: the part holding its anchor stays, stray parts go to the
    neighbouring cell that shares the longest border with them."""
    keep: list[BaseGeometry] = []
    strays: list[Polygon] = []
    for cell, anchor in zip(cells, anchors):
        parts = _polygons(cell)
        if not parts:
            keep.append(Polygon())
            continue
        main = min(parts, key=lambda p: p.distance(anchor))
        keep.append(main)
        strays.extend(p for p in parts if p is not main)
    for stray in sorted(strays, key=lambda p: -p.area):
        borders = [stray.boundary.intersection(k.boundary).length if not k.is_empty else 0.0
                   for k in keep]
        j = int(np.argmax(borders))
        if borders[j] > 0:
            keep[j] = shapely.union(keep[j], stray)
    return keep


def sample_points(region: BaseGeometry, n: int, rng: np.random.Generator,
                  min_dist: float, near: Point | None = None, radius: float | None = None) -> list[Point]:
    """``n`` random points inside ``region`` (optionally within ``radius`` of ``near``) that keep
    roughly ``min_dist`` apart; the spacing relaxes when the region is too small for it."""
    area = region if near is None else region.intersection(near.buffer(radius))
    minx, miny, maxx, maxy = area.bounds
    pts: list[Point] = []
    dist = min_dist
    tries = 0
    while len(pts) < n:
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        tries += 1
        if tries % 500 == 0:
            dist *= 0.8
        if area.contains(p) and all(p.distance(q) >= dist for q in pts):
            pts.append(p)
    return pts


def relax(points: list[Point], region: BaseGeometry, fixed: set[int], iterations: int = 8) -> list[Point]:
    """Lloyd relaxation: move each free point to the centroid of its cell."""
    pts = list(points)
    for _ in range(iterations):
        cells = voronoi_cells(pts, region)
        pts = [p if i in fixed or cells[i].is_empty else cells[i].representative_point()
               if not region.contains(cells[i].centroid) else cells[i].centroid
               for i, p in enumerate(pts)]
    return pts


def tile(region: BaseGeometry, points: list[Point]) -> list[Polygon]:
    """Cells of ``points`` that tile ``region`` exactly, one polygon per point."""
    return absorb_fragments(voronoi_cells(points, region), points)


def power_cells(points: Sequence[Point], weights: Sequence[float], region: BaseGeometry) -> list[BaseGeometry]:
    """Cells of the power (weighted Voronoi) diagram of ``points`` clipped to ``region``: a point x
    belongs to i where |x - p_i|^2 - w_i is least. Equal weights give the ordinary Voronoi cells."""
    minx, miny, maxx, maxy = region.buffer(region.length).bounds
    box = shapely.box(minx, miny, maxx, maxy)
    xy = np.array([[p.x, p.y] for p in points])
    w = np.asarray(weights, dtype=float)
    cells: list[BaseGeometry] = []
    for i in range(len(xy)):
        cell = box
        for j in range(len(xy)):
            if j == i:
                continue
            # |x-pi|^2 - wi <= |x-pj|^2 - wj  <=>  2 x.(pj - pi) <= |pj|^2 - |pi|^2 - wj + wi
            normal = 2 * (xy[j] - xy[i])
            limit = xy[j] @ xy[j] - xy[i] @ xy[i] - w[j] + w[i]
            cell = cell.intersection(_half_plane(normal, limit, box))
            if cell.is_empty:
                break
        cells.append(shapely.intersection(cell, region))
    return cells


def _half_plane(normal: np.ndarray, limit: float, box: Polygon) -> Polygon:
    """The part of ``box`` where normal . x <= limit."""
    minx, miny, maxx, maxy = box.bounds
    size = 4 * max(maxx - minx, maxy - miny)
    unit = normal / np.linalg.norm(normal)
    centre = np.array([(minx + maxx) / 2, (miny + maxy) / 2])
    foot = centre - unit * ((normal @ centre - limit) / np.linalg.norm(normal))  # on the boundary line
    along = np.array([-unit[1], unit[0]])
    a, b = foot + along * size, foot - along * size
    return Polygon([tuple(a), tuple(b), tuple(b - unit * size), tuple(a - unit * size)])


def fit_areas(points: Sequence[Point], region: BaseGeometry, targets: dict[int, float],
              groups: Sequence[int] | None = None, iterations: int = 200, tolerance: float = 0.02) -> list[float]:
    """Weights of a power diagram whose cells ``i`` in ``targets`` have about the target area.

    ``groups`` maps each point to the unit it counts for (points of one unit share a target); cells
    without a target keep weight 0 and give or take the area the others need. Stops when every
    target is met within ``tolerance`` (relative).
    """
    groups = list(groups) if groups is not None else list(range(len(points)))
    weights = np.zeros(len(points))
    for _ in range(iterations):
        cells = power_cells(points, weights, region)
        area: dict[int, float] = {}
        for g, c in zip(groups, cells):
            area[g] = area.get(g, 0.0) + c.area
        errors = {g: (t - area[g]) / t for g, t in targets.items()}
        if max(abs(e) for e in errors.values()) < tolerance:
            break
        for i, g in enumerate(groups):
            if g in targets:
                # the boundary moves by about dw / (2 d) for neighbours d apart: a step in w of a
                # fraction of the missing area keeps the update stable
                weights[i] += 0.5 * (targets[g] - area[g])
    return list(weights)
