"""A library of files to import, good and bad, made by the tests themselves (never committed)."""

from __future__ import annotations

import io
import stat
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geodata import DEFAULT_PATH, open_dataset
from geodata.importing import Options, build
from geodata.report import Report


def shipped_layer(name: str) -> pd.DataFrame:
    return open_dataset(DEFAULT_PATH).layer(name)


def check(path: Path, work: Path, name: str | None = None, **opts) -> Report:
    """Validate ``path`` (offered as ``name``) against the shipped dataset."""
    work.mkdir(parents=True, exist_ok=True)
    return build(path, name or path.name, DEFAULT_PATH, work, Options(**opts))


def messages(report: Report, level: str = "error") -> list[str]:
    return [i.message_en for i in report.issues if i.level == level]


def write_csv(path: Path, frame: pd.DataFrame, encoding: str = "utf-8") -> Path:
    path.write_bytes(frame.to_csv(index=False).encode(encoding))
    return path


def indicators_long(rows: int = 40) -> pd.DataFrame:
    return shipped_layer("indicators").head(rows).drop(columns="synthetic")


def zip_files(path: Path, members: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name in symlinks:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


def shapefile_zip(path: Path, frame: gpd.GeoDataFrame, encoding: str = "UTF-8", cpg: bool = True,
                  prj: bool = True) -> Path:
    """``frame`` as a zipped shapefile, optionally without its .cpg or .prj."""
    folder = path.parent / (path.stem + "_shp")
    folder.mkdir()
    with warnings.catch_warnings():  # GDAL cutting names to 10 characters is the point: the import repairs it
        warnings.filterwarnings("ignore", "Normalized/laundered field name", RuntimeWarning)
        pyogrio.write_dataframe(frame, folder / "layer.shp", driver="ESRI Shapefile", encoding=encoding)
    members = {}
    for f in folder.iterdir():
        if (f.suffix == ".cpg" and not cpg) or (f.suffix == ".prj" and not prj):
            continue
        members[f.name] = f.read_bytes()
    return zip_files(path, members)


def kml(placemarks: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document>{placemarks}</Document></kml>").encode()


def belt_placemark(belt_id: str, coords: list[tuple[float, float]], **data: object) -> str:
    ext = "".join(f'<Data name="{k}"><value>{v}</value></Data>' for k, v in data.items())
    line = " ".join(f"{x},{y}" for x, y in coords)
    return (f"<Placemark><name>{belt_id}</name><ExtendedData><Data name=\"belt_id\"><value>{belt_id}</value>"
            f"</Data>{ext}</ExtendedData><LineString><coordinates>{line}</coordinates></LineString></Placemark>")


def xlsx(path: Path, frame: pd.DataFrame) -> Path:
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    path.write_bytes(buf.getvalue())
    return path
