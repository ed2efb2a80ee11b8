"""Read a vector file GDAL understands (after the safety checks), layer by layer."""

from __future__ import annotations

from pathlib import Path

import pyogrio

from geodata.io.raw import RawLayer
from geodata.report import Refused


def read_vector(path: Path, name: str, layer: str | None = None, encoding: str | None = None) -> RawLayer:
    """One layer of the file at ``path`` (a path we chose), as GDAL reads it; :class:`Refused` if unreadable."""
    try:
        frame = pyogrio.read_dataframe(path, layer=layer, encoding=encoding)
    except Exception as exc:  # pyogrio raises several types for a corrupt file; all mean "unreadable"
        raise Refused(f"无法读取{'图层 ' + layer if layer else '文件'}:{exc}",
                      f"cannot read {'layer ' + layer if layer else 'the file'}: {exc}", layer) from exc
    return RawLayer(name, frame)
