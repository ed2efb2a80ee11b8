"""Export the published dataset: the GeoPackage itself (written from the layers for a database version), or one
file per layer (GeoJSON/CSV)."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pyogrio

from geodata.dataset import Dataset
from geodata.schema import LAYERS
from geodata.store import DATA_FILE

FORMATS = ("gpkg", "geojson", "csv")


def write_gpkg(ds: Dataset, target: Path, skip: frozenset[str] = frozenset()) -> None:
    """Write every layer ``ds`` holds (but ``skip``) into the GeoPackage ``target``, as served (checked, filled):
    how a version kept in the database becomes a file."""
    for name in LAYERS:
        if name in ds.available and name not in skip:
            pyogrio.write_dataframe(ds.layer(name), target, layer=name, driver="GPKG")


def export(ds: Dataset, out: Path, fmt: str = "gpkg") -> list[Path]:
    """Write ``ds`` into the folder ``out`` as ``fmt``; returns the files written.

    ``gpkg``: a copy of the dataset file. ``geojson``: spatial layers as GeoJSON, tables as CSV.
    ``csv``: every layer as CSV (UTF-8 with BOM, so Excel reads the Chinese), geometry as WKT.
    Every file is named after its layer, so it can be imported again as it is.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "gpkg":
        target = out / DATA_FILE
        if isinstance(ds.path, Path):
            shutil.copyfile(ds.path, target)
        else:
            target.unlink(missing_ok=True)
            write_gpkg(ds, target)
        return [target]
    written = []
    for name in LAYERS:
        frame = ds.layer(name)
        if isinstance(frame, gpd.GeoDataFrame) and fmt == "geojson":
            target = out / f"{name}.geojson"
            pyogrio.write_dataframe(frame, target, driver="GeoJSON")
        else:
            if isinstance(frame, gpd.GeoDataFrame):
                frame = frame.to_wkt()
            target = out / f"{name}.csv"
            frame.to_csv(target, index=False, encoding="utf-8-sig")
        written.append(target)
    return written
