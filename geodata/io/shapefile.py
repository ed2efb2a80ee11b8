"""Zipped ESRI Shapefile import: .shp/.shx/.dbf, with .prj (CRS) and .cpg (text encoding) if present.

Chinese GIS software often writes the attribute table in GBK without a .cpg. Without a .cpg the
records are decoded as UTF-8 when they are valid UTF-8, else as GBK.
"""

from __future__ import annotations

import struct
from pathlib import Path

from geodata.io.raw import RawLayer
from geodata.io.safety import Limits, check_size, safe_extract
from geodata.io.vector import read_vector
from geodata.report import Refused


def dbf_encoding(dbf: Path) -> str:
    """``UTF-8`` if the records of the .dbf at ``dbf`` decode as UTF-8, else ``GBK``.

    Only the records are tested: the header holds binary counts that are not text.
    """
    data = dbf.read_bytes()
    if len(data) < 32:
        raise Refused(f"属性表 {dbf.name} 不完整", f"attribute table {dbf.name} is truncated")
    header_len = struct.unpack("<H", data[8:10])[0]
    try:
        data[header_len:].rstrip(b"\x1a").decode("utf-8")
    except UnicodeDecodeError:
        return "GBK"
    return "UTF-8"


def _sidecar(shp: Path, suffix: str) -> Path | None:
    for candidate in shp.parent.iterdir():
        if candidate.stem == shp.stem and candidate.suffix.lower() == suffix:
            return candidate
    return None


def read(path: Path, name: str, work: Path, limits: Limits) -> list[RawLayer]:
    """Every shapefile in the zip at ``path`` (one layer each, named by its .shp stem)."""
    check_size(path.stat().st_size, limits)
    members = safe_extract(path, work / "unzipped", limits)
    shps = sorted(p for p in members if p.suffix.lower() == ".shp")
    if not shps:
        raise Refused("压缩包中没有 .shp 文件", "the zip holds no .shp file")
    layers = []
    for shp in shps:
        missing = [s for s in (".shx", ".dbf") if _sidecar(shp, s) is None]
        if missing:
            raise Refused(f"{shp.name} 缺少 {', '.join(missing)}", f"{shp.name} lacks {', '.join(missing)}", shp.stem)
        # With a .cpg GDAL decodes as it says; without one we choose (GDAL would assume ISO-8859-1).
        encoding = None if _sidecar(shp, ".cpg") else dbf_encoding(_sidecar(shp, ".dbf"))
        layers.append(read_vector(shp, shp.stem, encoding=encoding))
    return layers
