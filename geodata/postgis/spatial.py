"""Spatial work done in the database on province-scale data: the villages of one county, simplified for a zoom,
and the county outlines simplified for the province at a glance.

The county is the first six digits of a village code: the query filters on the expression index
``substr(code, 1, 6)`` written with every version (see :data:`geodata.postgis.layers.INDEXED`) and simplifies
with ``ST_SimplifyPreserveTopology`` to half a screen pixel at ``zoom``, so a drilled-in county of a province's
20,000 villages sends only what can be seen.
"""

from __future__ import annotations

import geopandas as gpd
import sqlalchemy as sa

from geodata import db
from geodata.cache import per_dataset
from geodata.dataset import Dataset
from geodata.errors import DataError
from geodata.postgis.layers import GEOMETRY, ROW, DatabaseVersion, layer_table
from geodata.schema import CRS
from geodata.shapes import COUNTY_ZOOM, PROVINCE_PRECISION, tolerance

__all__ = ["COUNTY_ZOOM", "county_code", "county_outlines", "county_villages", "tolerance"]


def county_code(code: sa.ColumnElement) -> sa.ColumnElement:
    """The county of a village (or township) code: its first six digits (the indexed expression)."""
    return sa.func.substr(code, 1, 6)


@per_dataset(maxsize=128)
def county_villages(ds: Dataset, county: str, zoom: int = COUNTY_ZOOM,
                    columns: tuple[str, ...] = ("code", "name", "name_en", "township_code", "kind")
                    ) -> gpd.GeoDataFrame:
    """The villages of ``county`` in the PostGIS version ``ds``, in published row order, with ``columns`` and
    their geometry simplified for ``zoom`` (topology kept: shared borders stay shared). Cached per dataset.

    Raises :class:`ValueError` for a dataset not served from PostGIS or a malformed county code."""
    where = ds.path
    if not isinstance(where, DatabaseVersion):
        raise ValueError("county_villages works on a dataset served from PostGIS")
    if not (isinstance(county, str) and len(county) == 6 and county.isdigit()):
        raise ValueError(f"not a county code: {county!r}")
    known = ds.source.layer_columns("villages")
    missing = [c for c in columns if c not in known]
    if missing:
        raise ValueError(f"villages have no column(s) {', '.join(missing)}")
    table = layer_table(where.version_id, "villages", known)
    geometry = sa.func.ST_SimplifyPreserveTopology(table.c[GEOMETRY], tolerance(zoom)).label(GEOMETRY)
    query = (sa.select(*[table.c[c] for c in columns], geometry)
             .where(county_code(table.c.code) == county).order_by(table.c[ROW]))
    try:
        with db.engine(where.url).connect() as conn:
            frame = gpd.read_postgis(query, conn, geom_col=GEOMETRY, crs=CRS)
    except sa.exc.SQLAlchemyError as exc:
        raise DataError(f"{where}: the villages of county {county} cannot be read ({type(exc).__name__})") from None
    return frame.reset_index(drop=True)


@per_dataset(maxsize=8)
def county_outlines(ds: Dataset, zoom: int) -> gpd.GeoDataFrame:
    """Every county of the PostGIS version ``ds`` (``ds.county()``'s rows and columns, as checked on reading) with
    its outline simplified for ``zoom`` and snapped to ~10 m in the database (``ST_SimplifyPreserveTopology``,
    ``ST_ReducePrecision``): the full outlines never leave the database for the province at a glance. Cached
    per dataset."""
    where = ds.path
    if not isinstance(where, DatabaseVersion):
        raise ValueError("county_outlines works on a dataset served from PostGIS")
    table = layer_table(where.version_id, "county", ds.source.layer_columns("county"))
    simplified = sa.func.ST_SimplifyPreserveTopology(table.c[GEOMETRY], tolerance(zoom))
    geometry = sa.func.ST_MakeValid(sa.func.ST_ReducePrecision(simplified, 10 ** -PROVINCE_PRECISION)).label(GEOMETRY)
    query = sa.select(table.c.code, geometry).order_by(table.c[ROW])
    try:
        with db.engine(where.url).connect() as conn:
            shapes = gpd.read_postgis(query, conn, geom_col=GEOMETRY, crs=CRS)
    except sa.exc.SQLAlchemyError as exc:
        raise DataError(f"{where}: the county outlines cannot be read ({type(exc).__name__})") from None
    counties = ds.county()
    by_code = dict(zip(shapes.code, shapes.geometry))
    return counties.set_geometry(gpd.GeoSeries([by_code[c] for c in counties.code], index=counties.index, crs=CRS))
