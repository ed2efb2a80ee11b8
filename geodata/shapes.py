"""Map geometry simplified for the zoom it is seen at: the counties of a province at a glance.

A province's 81 county outlines at full resolution are ~157,000 vertices (3.3 MB of JSON, in the page and again
in ``counties.geojson``), drawn on ~1,000 px. Simplified to half a screen pixel at :data:`PROVINCE_ZOOM` they
look the same and weigh a tenth. On the GeoPackage store this is shapely's coverage simplification (shared
borders stay shared: no slivers between neighbours); on PostGIS the database simplifies
(:func:`geodata.postgis.spatial.county_outlines`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geodata.cache import per_dataset, shallow_copy
from geodata.dataset import Dataset

TILE_PX = 256
COUNTY_ZOOM = 10  # web-map zoom of a county filling the map panel (about 1 degree across ~1,000 px)
PROVINCE_ZOOM = 8  # a province of ~5.5 degrees across ~1,000 px
PROVINCE_PRECISION = 4  # decimal places kept at province zoom (~10 m, a hundredth of a pixel there)


def tolerance(zoom: int) -> float:
    """Half a screen pixel at web-map ``zoom``, in degrees: what simplification may move unseen.

    Parameters
    ----------
    zoom : int
        Web-map zoom level, 0-22.

    Returns
    -------
    float
        Degrees of longitude at the equator (a conservative bound at higher latitudes).
    """
    if not 0 <= zoom <= 22:
        raise ValueError(f"zoom must be 0-22, not {zoom!r}")
    return 0.5 * 360.0 / (TILE_PX * 2 ** zoom)


def simplify_coverage(geoms: np.ndarray, zoom: int, precision: int = PROVINCE_PRECISION) -> np.ndarray:
    """Polygons that tile the ground (counties, villages) simplified together for ``zoom``, then snapped to
    ``precision`` decimals.

    Parameters
    ----------
    geoms : ndarray of shapely geometries
        A coverage: polygons that meet along shared borders without overlapping.
    zoom : int
        The web-map zoom they are drawn at (see :func:`tolerance`).
    precision : int
        Decimal places kept.

    Returns
    -------
    ndarray
        The simplified polygons, in the same order; every one valid.
    """
    simplified = shapely.coverage_simplify(geoms, tolerance(zoom))
    snapped = shapely.set_precision(simplified, 10 ** -precision)
    # snapping may fold a thin spike; make_valid keeps the shape rather than dropping it
    return np.where(shapely.is_valid(snapped), snapped, shapely.make_valid(snapped))


@per_dataset()
def _province_counties(ds: Dataset) -> gpd.GeoDataFrame:
    if ds.backend == "postgis":  # the database simplifies (geodata.postgis.spatial)
        from geodata.postgis.spatial import county_outlines

        return county_outlines(ds, PROVINCE_ZOOM)
    counties = ds.county()
    geoms = simplify_coverage(np.asarray(counties.geometry.values), PROVINCE_ZOOM)
    return counties.set_geometry(gpd.GeoSeries(geoms, index=counties.index, crs=counties.crs))


def province_counties(ds: Dataset) -> gpd.GeoDataFrame:
    """Every county with its outline simplified for :data:`PROVINCE_ZOOM` (cached per dataset).

    Parameters
    ----------
    ds : Dataset
        Province-scale (or any) data.

    Returns
    -------
    GeoDataFrame
        ``ds.county()``'s rows and columns, in its order, with simplified geometry (a copy-on-write view).
    """
    return shallow_copy(_province_counties(ds))
