"""Read and check a GeoPackage against the schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pandas.api import types as ptypes

from geodata.errors import DataError
from geodata.io.raw import RawLayer
from geodata.io.safety import Limits, check_file
from geodata.io.vector import read_vector
from geodata.report import Refused
from geodata.schema import CRS, LAYERS, SCHEMA_VERSION, LayerSpec, default_series, fill_defaults, migrate

_CHECKS = {
    "str": lambda s: ptypes.is_string_dtype(s) or ptypes.is_object_dtype(s),
    "int": ptypes.is_integer_dtype,
    "float": ptypes.is_numeric_dtype,
    "bool": ptypes.is_bool_dtype,
}


def list_layers(path: Path) -> dict[str, str | None]:
    """Layer names of the GeoPackage at ``path`` with their geometry types."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such dataset file")
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
        if header != b"SQLite format 3\x00":
            raise DataError(f"{path}: not a GeoPackage (not an SQLite file)")
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            con.execute("PRAGMA quick_check").fetchall()
        return {name: gtype for name, gtype in pyogrio.list_layers(path)}
    except DataError:
        raise
    except Exception as exc:  # sqlite3.DatabaseError, pyogrio errors: a broken file
        raise DataError(f"{path}: cannot be read as a GeoPackage ({exc})") from exc


def check_frame(frame: pd.DataFrame, spec: LayerSpec, origin: str) -> None:
    """Raise :class:`DataError` if ``frame`` lacks a required column of ``spec`` or has a declared column
    (required or optional) in a wrong type."""
    missing = [c for c in spec.columns if c not in frame.columns]
    if missing:
        raise DataError(f"{origin}: layer '{spec.name}' is missing column(s) {', '.join(missing)}")
    for col, kind in spec.kinds.items():
        if col not in frame.columns:
            continue
        series = frame[col]
        if series.isna().all() and len(series):
            continue
        if not _CHECKS[kind](series):
            raise DataError(f"{origin}: layer '{spec.name}' column '{col}' should be {kind}, "
                            f"found {series.dtype}")
    if spec.geometry:
        crs = getattr(frame, "crs", None)
        if crs is None:
            raise DataError(f"{origin}: layer '{spec.name}' has no CRS; it must be {CRS}")
        if crs.to_epsg() != 4326:
            raise DataError(f"{origin}: layer '{spec.name}' is in {crs.to_string()}, it must be {CRS}")


def empty_layer(spec: LayerSpec) -> pd.DataFrame:
    """An optional layer a dataset does not hold: no rows, every declared column."""
    index = pd.RangeIndex(0)
    columns = {col: default_series(kind, None, index) for col, kind in spec.kinds.items()}
    if spec.geometry:
        return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
    return pd.DataFrame(columns)


def read_layer(path: Path, name: str, layers: dict[str, str | None] | None = None,
               version: int = SCHEMA_VERSION) -> pd.DataFrame:
    """One layer of the dataset at ``path``, migrated from schema ``version`` (the file's), checked against
    the schema, with missing optional columns filled. ``layers`` is what :func:`list_layers` returned, when
    the caller has it already (the file check is not cheap)."""
    spec = LAYERS.get(name)
    if spec is None:
        raise DataError(f"unknown layer '{name}'")
    layers = list_layers(path) if layers is None else layers
    if name not in layers:
        if not spec.required:
            return empty_layer(spec)
        raise DataError(f"{path}: layer '{name}' is missing")
    try:
        frame = pyogrio.read_dataframe(path, layer=name, read_geometry=spec.geometry is not None)
    except Exception as exc:
        raise DataError(f"{path}: layer '{name}' cannot be read ({exc})") from exc
    return finish_layer(frame, spec, version, str(path))


def finish_layer(frame: pd.DataFrame, spec: LayerSpec, version: int, origin: str) -> pd.DataFrame:
    """A layer as read from any backend, migrated from schema ``version``, checked against ``spec`` and with its
    missing optional columns filled (what every backend serves)."""
    frame = migrate(spec.name, frame, version)
    check_frame(frame, spec, origin)
    return fill_defaults(frame, spec)[0]


def read_upload(path: Path, limits: Limits) -> list[RawLayer]:
    """Every layer of an uploaded GeoPackage, as it is (checked for integrity, not yet for schema)."""
    check_file(path, limits)
    try:
        layers = list_layers(path)
    except DataError as exc:
        raise Refused(f"GeoPackage 损坏或不完整:{exc}", f"damaged or incomplete GeoPackage: {exc}") from exc
    return [read_vector(path, name, layer=name) for name in layers]
