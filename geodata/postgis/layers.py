"""One published version's layers in PostGIS: written, read and checked.

Each layer is a table in the version's own schema (``v0003.villages``), with a ``_row`` column keeping the row
order of the file it came from; layers are written by pandas' ``to_sql`` (spatial ones with GeoAlchemy2's
``Geometry`` type, which adds the GiST index) and read by geopandas' ``read_postgis`` / pandas' ``read_sql``.
The content hash of every layer, as read back, is recorded with the version and checked whenever the layer is
read again: a table changed after its publish is refused, as a changed GeoPackage is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa
from geoalchemy2 import Geometry

from geodata import db
from geodata.errors import DataError
from geodata.io.gpkg import finish_layer
from geodata.postgis.bulk import copy_rows, read_plain
from geodata.schema import CRS, LAYERS

if TYPE_CHECKING:
    from geodata.dataset import Dataset

ROW = "_row"  # the row's position in the layer as published
GEOMETRY = "geometry"
# Plain btree indexes the app's lookups in the database need, per layer (the GiST index of the geometry comes
# with GeoAlchemy2's Geometry column).
INDEXED = {"villages": ("code", "township_code"), "townships": ("code",), "county": ("code",),
           "belt_villages": ("belt_id", "village_code")}

COUNTY_INDEXED = ("villages", "townships")  # layers filtered by county in the database (geodata.postgis.spatial)


@dataclass(frozen=True)
class DatabaseVersion:
    """Where a dataset served from PostGIS lives: a database and a version id (what ``Dataset.path`` is then).

    Its ``str`` never shows the URL (it may hold a password)."""

    url: str
    version_id: str

    @property
    def name(self) -> str:
        return self.version_id

    def __str__(self) -> str:
        return f"postgis:{self.version_id}"


class Unreachable(DataError):
    """The database could not be asked (connection lost, timeout): says nothing about the version's content, so
    it is never remembered as the version's problem (see :mod:`geodata.postgis.guard`)."""


TRANSIENT = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)


def read_error(where: object, name: str, exc: sa.exc.SQLAlchemyError) -> DataError:
    """The error of a layer that could not be read: :class:`Unreachable` for a database that did not answer, a
    plain :class:`DataError` for a table that is missing or lacks a column (a lasting problem of the version)."""
    kind = Unreachable if isinstance(exc, TRANSIENT) else DataError
    return kind(f"{where}: layer '{name}' cannot be read ({type(exc).__name__})")


def changed_message(where: object, name: str) -> str:
    """The words a layer whose content hash differs from the recorded one is refused with."""
    return (f"{where}: layer '{name}' changed in the database after it was published "
            "(its content hash differs from the one recorded)")


def frame_sha256(frame: pd.DataFrame) -> str:
    """A content hash of ``frame``: its column names and every value in row order (geometry as WKB)."""
    digest = hashlib.sha256(json.dumps([str(c) for c in frame.columns]).encode("utf-8"))
    for col in frame.columns:
        series = frame[col]
        if isinstance(series, gpd.GeoSeries) or str(series.dtype) == "geometry":
            for wkb in gpd.GeoSeries(series).to_wkb():
                digest.update(b"-" if wkb is None else len(wkb).to_bytes(8, "little") + wkb)
        else:
            as_text = series.astype(object).where(series.notna(), None).map(repr)
            digest.update(pd.util.hash_pandas_object(as_text, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def layer_table(schema: str, name: str, columns: list[str]) -> sa.TableClause:
    """A lightweight table of the layer (no reflection: the columns are recorded with the version)."""
    return sa.table(name, *[sa.column(c) for c in (ROW, *columns)], schema=schema)


def write_layer(conn: sa.Connection, schema: str, name: str, frame: pd.DataFrame) -> None:
    """Write ``frame`` as table ``schema.name`` inside ``conn``'s transaction, with its indexes."""
    frame = frame.reset_index(drop=True)
    frame.index.name = ROW
    dtype = None
    if isinstance(frame, gpd.GeoDataFrame):
        # geopandas' to_postgis loads through COPY ... CSV, which reads an empty string back as NULL; pandas'
        # to_sql with GeoAlchemy2's Geometry type (which adds the GiST index as well) and a text-format COPY
        # keep "" and NULL apart. The geometry goes as hex EWKB, which PostGIS reads with its SRID.
        srid = frame.crs.to_epsg() if frame.crs is not None else 4326
        geoms = shapely.to_wkb(shapely.set_srid(frame.geometry.to_numpy(), srid), hex=True, include_srid=True)
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name)).assign(**{GEOMETRY: geoms})
        dtype = {GEOMETRY: Geometry("GEOMETRY", srid=srid)}
    frame.to_sql(name, conn, schema=schema, index=True, dtype=dtype, method=copy_rows)
    table = sa.Table(name, sa.MetaData(), *[sa.Column(c) for c in (ROW, *INDEXED.get(name, ()))], schema=schema)
    for col in (ROW, *(c for c in INDEXED.get(name, ()) if c in frame.columns)):
        sa.Index(f"{name}_{col}_idx", table.c[col]).create(conn)
    if name in COUNTY_INDEXED and "code" in frame.columns:  # a county's rows: substr(code, 1, 6) = '330824'
        sa.Index(f"{name}_county_idx", sa.func.substr(table.c.code, 1, 6)).create(conn)


def read_raw(conn: sa.Connection, schema: str, name: str, info: dict) -> pd.DataFrame:
    """Layer ``name`` as stored (row order as published), before any schema check."""
    table = layer_table(schema, name, info["columns"])
    query = sa.select(*[table.c[c] for c in info["columns"]]).order_by(table.c[ROW])
    try:
        if info.get("geometry"):
            return gpd.read_postgis(query, conn, geom_col=GEOMETRY, crs=CRS)
        plain = read_plain(conn, schema, name, info["columns"], ROW)
        return plain if plain is not None else pd.read_sql(query, conn)
    except pd.errors.DatabaseError as exc:
        # pandas wraps the driver's error (a dropped column, a lost connection) in its own DatabaseError, which
        # callers would not recognise as a database error: hand back SQLAlchemy's, which they handle
        if isinstance(exc.__cause__, sa.exc.SQLAlchemyError):
            raise exc.__cause__ from None
        raise


def describe(conn: sa.Connection, schema: str, name: str, frame: pd.DataFrame, geometry: str | None) -> dict:
    """What the version records of a layer just written: read it back and hash what a reader will get."""
    info = {"geometry": geometry, "columns": [str(c) for c in frame.columns], "rows": len(frame)}
    info["sha256"] = frame_sha256(read_raw(conn, schema, name, info))
    return info


def content_hash(layers: dict[str, dict]) -> str:
    """The whole version's hash, from its layers' hashes."""
    digest = hashlib.sha256()
    for name in sorted(layers):
        digest.update(f"{name}:{layers[name]['sha256']};".encode())
    return digest.hexdigest()


def held_layers(dataset: Dataset | None) -> dict[tuple[str, str, int], pd.DataFrame]:
    """The layers ``dataset`` (a version served from PostGIS) has read, by (name, content hash, schema version):
    what a newer version with a layer of the same content may take instead of reading it again."""
    if dataset is None or not isinstance(dataset.source, PostgisLayers):
        return {}
    recorded = dataset.source.recorded
    return {(name, recorded[name]["sha256"], dataset.schema_version): frame
            for name, frame in dataset.held().items() if name in recorded}


class PostgisLayers:
    """The layers of one published version (a :class:`geodata.dataset.LayerSource`)."""

    backend = "postgis"

    def __init__(self, url: str, version_id: str, layers: dict[str, dict], content: str, trusted: bool = False,
                 reuse: Mapping[tuple[str, str, int], pd.DataFrame] | None = None) -> None:
        """``trusted``: the tables are known to hold what was hashed (see :func:`geodata.postgis.guard.finding`),
        so they are read without hashing them again, and a layer whose content (name, hash, schema version) is
        in ``reuse`` is taken from there without reading it; an untrusted version uses neither."""
        self.path = DatabaseVersion(url, version_id)
        self._layers = layers
        self._content = content
        self._trusted = trusted
        self._reuse = dict(reuse or {}) if trusted else {}

    def list_layers(self) -> dict[str, str | None]:
        return {name: info.get("geometry") for name, info in self._layers.items()}

    @property
    def recorded(self) -> dict[str, dict]:
        """What the version records of each layer (geometry type, columns, rows, sha256)."""
        return dict(self._layers)

    def layer_columns(self, name: str) -> list[str]:
        """The columns of layer ``name`` as stored (for queries built in the database)."""
        if name not in self._layers:
            raise DataError(f"{self.path}: layer '{name}' is missing")
        return list(self._layers[name]["columns"])

    def read_layer(self, name: str, available: dict[str, str | None], version: int) -> pd.DataFrame:
        from geodata.io.gpkg import empty_layer

        spec = LAYERS.get(name)
        if spec is None:
            raise DataError(f"unknown layer '{name}'")
        if name not in self._layers:
            if not spec.required:
                return empty_layer(spec)
            raise DataError(f"{self.path}: layer '{name}' is missing")
        info = self._layers[name]
        held = self._reuse.get((name, info["sha256"], version))
        if held is not None:
            return held
        try:
            with db.engine(self.path.url).connect() as conn:
                frame = read_raw(conn, self.path.version_id, name, info)
        except sa.exc.SQLAlchemyError as exc:
            raise read_error(self.path, name, exc) from None
        if not self._trusted and frame_sha256(frame) != info["sha256"]:
            raise DataError(changed_message(self.path, name))
        return finish_layer(frame, spec, version, str(self.path))

    def content_version(self) -> str:
        return self._content[:12]
