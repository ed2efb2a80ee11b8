"""Bring imported geometry to EPSG:4326, whatever it was declared in.

Declared CRSs (WGS84, CGCS2000 EPSG:4490, CGCS2000 Gauss-Kruger such as EPSG:4544/4549, UTM, ...)
are reprojected with pyproj. GCJ-02 and BD-09, the offset coordinates of Chinese web maps, are not
CRSs pyproj knows: they are converted only when the user says so (``--crs gcj02|bd09``).
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geodata.build.gcj02 import bd09_to_wgs84, gcj02_to_wgs84
from geodata.report import Refused

_EPSG = re.compile(r"^EPSG:(\d{4,6})$", re.IGNORECASE)
OFFSET_DATUMS = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}
HOW_TO_FIX_ZH = "请附上 .prj 文件,或用 --crs 声明(如 --crs EPSG:4549、--crs gcj02)"
HOW_TO_FIX_EN = "add a .prj file, or declare it with --crs (e.g. --crs EPSG:4549, --crs gcj02)"


def parse_declared(declared: str | None) -> str | CRS | None:
    """``gcj02``/``bd09`` as such, ``EPSG:<code>`` as a pyproj CRS; :class:`Refused` for anything else.

    Only EPSG codes: a free-form string would let pyproj read WKT, PROJ pipelines or file names.
    """
    if declared is None or declared.lower() in OFFSET_DATUMS:
        return declared.lower() if declared else None
    match = _EPSG.match(declared.strip())
    try:
        if match:
            return CRS.from_epsg(int(match.group(1)))
    except CRSError:
        pass
    raise Refused(f"无法识别的坐标系 '{declared[:40]}':请写 gcj02、bd09 或 EPSG:代码(如 EPSG:4549)",
                  f"unknown coordinate system '{declared[:40]}': use gcj02, bd09 or EPSG:<code> (e.g. EPSG:4549)")


def _convert_offset(frame: gpd.GeoDataFrame, datum: str) -> gpd.GeoDataFrame:
    convert = OFFSET_DATUMS[datum]

    def fn(coords: np.ndarray) -> np.ndarray:
        lon, lat = convert(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return frame.set_geometry(shapely.transform(frame.geometry.values, fn), crs="EPSG:4326")


def to_wgs84(frame: gpd.GeoDataFrame, declared: str | None, layer: str | None = None) -> gpd.GeoDataFrame:
    """``frame`` in EPSG:4326.

    Parameters
    ----------
    frame : the layer as read; its ``crs`` is what the file declares (None when it declares nothing).
    declared : ``--crs``: ``gcj02``, ``bd09``, or a CRS for a file that declares none.
    """
    target = parse_declared(declared)
    if isinstance(target, str):  # an offset datum: coordinates are longitude/latitude, shifted
        if frame.crs is not None and not frame.crs.is_geographic:
            raise Refused(f"--crs {target} 只适用于经纬度坐标,而文件为投影坐标 {frame.crs.name}",
                          f"--crs {target} applies to longitude/latitude, but the file is projected "
                          f"({frame.crs.name})", layer)
        return _convert_offset(frame, target)
    if frame.crs is None:
        if target is None:
            raise Refused(f"文件未声明坐标系:{HOW_TO_FIX_ZH}", f"the file declares no coordinate system: "
                          f"{HOW_TO_FIX_EN}", layer)
        frame = frame.set_crs(target)
    elif target is not None and CRS(frame.crs) != target:
        raise Refused(f"文件声明坐标系 {frame.crs.name},与 --crs 不符", f"the file declares {frame.crs.name}, "
                      f"which contradicts --crs {declared}", layer)
    return frame.to_crs("EPSG:4326")
