"""Refuse hostile files before any parser (GDAL, openpyxl, XML) sees them.

Every check raises :class:`~geodata.report.Refused` with the reason in Chinese and English.
GDAL can open remote or nested resources from a mere name (``/vsicurl/http://...``) or from a
VRT file's content; it is only ever given a file we wrote under a fixed name, after these checks.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from geodata.report import Refused

SUFFIXES = {".gpkg", ".geojson", ".json", ".zip", ".kml", ".csv", ".xlsx"}
# GDAL virtual file systems and VRT data sources, anywhere in a name or in content.
_VSI = re.compile(rb"/vsi[a-z0-9_]*/|<\s*OGRVRTDataSource|<\s*VRTDataset", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_CHUNK = 1 << 20
# One feature may hold this many vertices in a text format (GeoJSON, KML): parsers build a tree of objects
# per coordinate (GDAL ~500 bytes per vertex for GeoJSON), so a larger one is refused before it is parsed.
# A real village boundary has hundreds to a few thousand; a surveyed county outline tens of thousands.
MAX_FEATURE_VERTICES = 200_000
# ... which in GeoJSON text is about this many megabytes (GDAL's OGR_GEOJSON_MAX_OBJ_SIZE, per feature)
MAX_FEATURE_MB = 8


def too_complex(vertices: int | None = None) -> Refused:
    """The refusal of a feature with too many vertices (counted, or None: known only to be over the limit)."""
    zh = f"约 {vertices:,} 个顶点" if vertices else f"超过 {MAX_FEATURE_MB} MB"
    en = f"about {vertices:,} vertices" if vertices else f"over {MAX_FEATURE_MB} MB of text"
    return Refused(f"单个要素过于复杂({zh},上限约 {MAX_FEATURE_VERTICES:,} 个顶点):请先简化几何"
                   "(如 QGIS 的“简化”,容差 1 米)再导入",
                   f"a feature is too complex ({en}; the limit is about {MAX_FEATURE_VERTICES:,} vertices): "
                   "simplify the geometry first (e.g. QGIS Simplify, tolerance 1 m)")


@dataclass(frozen=True)
class Limits:
    """How large a file (and what it unpacks to) may be."""

    max_bytes: int = 50 * 1024 * 1024
    max_unpacked: int = 200 * 1024 * 1024
    max_ratio: float = 100.0  # uncompressed / compressed, per member
    max_members: int = 200

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Limits:
        """``KAIHUA_MAX_UPLOAD_MB`` (default 50); what an archive may unpack to scales with it."""
        return cls.from_mb(float(environ.get("KAIHUA_MAX_UPLOAD_MB") or 50))

    @classmethod
    def from_mb(cls, mb: float) -> Limits:
        if not 0 < mb <= 2048:
            raise ValueError(f"KAIHUA_MAX_UPLOAD_MB must be between 0 and 2048, not {mb:g}")
        return cls(max_bytes=int(mb * 1024 * 1024), max_unpacked=int(4 * mb * 1024 * 1024))


def check_name(name: str) -> str:
    """The lower-case suffix of an uploaded file's ``name``, or :class:`Refused`."""
    if _VSI.search(name.encode("utf-8", "replace")):
        raise Refused("文件名含 GDAL 虚拟路径(/vsi...),拒绝处理", "file name contains a GDAL virtual path (/vsi...)")
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if suffix == ".vrt":
        raise Refused("不接受 VRT 文件(它可指向其他文件或网址)", "VRT files are refused (they can point at other "
                      "files or URLs)")
    if suffix not in SUFFIXES:
        raise Refused(f"不支持的文件类型 '{suffix}',请用 {', '.join(sorted(SUFFIXES))}",
                      f"unsupported file type '{suffix}'; use one of {', '.join(sorted(SUFFIXES))}")
    return suffix


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise Refused(f"文件过大({size / 1e6:.1f} MB,上限 {limits.max_bytes / 1e6:.0f} MB)",
                      f"file too large ({size / 1e6:.1f} MB; the limit is {limits.max_bytes / 1e6:.0f} MB)")
    if size == 0:
        raise Refused("文件为空", "file is empty")


def check_content(data: bytes, what: str) -> None:
    """Refuse GDAL virtual paths or VRT markup anywhere in ``data``."""
    if _VSI.search(data):
        raise Refused(f"{what} 含 GDAL 虚拟路径或 VRT 内容,拒绝处理",
                      f"{what} contains a GDAL virtual path or VRT markup; refused")


def _scan(blocks: Iterable[bytes], what: str) -> Iterator[bytes]:
    """``blocks`` passed through, each checked with :func:`check_content` together with the last 64 bytes
    of the block before it, so that a marker split between two blocks is still found."""
    tail = b""
    for block in blocks:
        check_content(tail + block, what)
        tail = block[-64:]
        yield block


def check_file(path: Path, limits: Limits) -> None:
    """Size and content checks of a file on disk, read in blocks (overlapping, so no match is split)."""
    check_size(path.stat().st_size, limits)
    with path.open("rb") as fh:
        for _ in _scan(iter(lambda: fh.read(_CHUNK), b""), path.name):
            pass


def read_checked(path: Path, limits: Limits, first: Callable[[bytes, str], None] | None = None) -> bytes:
    """The bytes of the file at ``path``, read once, after the checks of :func:`check_file` (size, then
    content); ``first``, if given, is another check of the bytes made before the content check."""
    check_size(path.stat().st_size, limits)
    data = path.read_bytes()
    if first is not None:
        first(data, path.name)
    check_content(data, path.name)
    return data


def check_xml(data: bytes, what: str) -> None:
    """Refuse a DOCTYPE or ENTITY declaration (entity expansion, external entities), in UTF-8 or UTF-16."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 would hide the declaration from a byte search
        data = data.decode("utf-16", "replace").encode("utf-8")
    if _DOCTYPE.search(data):
        raise Refused(f"{what} 含 DOCTYPE/ENTITY 声明,拒绝处理", f"{what} contains a DOCTYPE/ENTITY declaration; "
                      "refused")


def _member_path(info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in path.parts:
        raise Refused(f"压缩包成员路径越界:{info.filename}", f"archive member escapes the folder: {info.filename}")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise Refused(f"压缩包含符号链接:{info.filename}", f"archive contains a symbolic link: {info.filename}")
    check_name_in_archive(name)
    return path


def check_name_in_archive(name: str) -> None:
    if _VSI.search(name.encode("utf-8", "replace")) or name.lower().endswith(".vrt"):
        raise Refused(f"压缩包含 VRT 文件或虚拟路径:{name}", f"archive contains a VRT file or virtual path: {name}")


def check_archive(path: Path, limits: Limits) -> list[zipfile.ZipInfo]:
    """The members of the zip at ``path``, after checking names, count, sizes and ratios (no extraction)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused(f"压缩包损坏或不是 zip:{exc}", f"not a readable zip archive: {exc}") from exc
    if len(infos) > limits.max_members:
        raise Refused(f"压缩包成员过多({len(infos)})", f"archive has too many members ({len(infos)})")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unpacked:
        raise Refused(f"解压后过大({total / 1e6:.0f} MB),疑为压缩炸弹",
                      f"archive unpacks to {total / 1e6:.0f} MB, over the limit (zip bomb?)")
    for info in infos:
        _member_path(info)
        if info.file_size > limits.max_ratio * max(info.compress_size, 1) and info.file_size > _CHUNK:
            raise Refused(f"压缩比异常:{info.filename},疑为压缩炸弹",
                          f"suspicious compression ratio for {info.filename} (zip bomb?)")
    return infos


def _bounded(src: IO[bytes], info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The blocks of the member ``info`` open as ``src``; :class:`Refused` once it outgrows its declared size."""
    written = 0
    for block in iter(lambda: src.read(_CHUNK), b""):
        written += len(block)
        if written > info.file_size:
            raise Refused(f"压缩包成员大小与声明不符:{info.filename}",
                          f"archive member larger than declared: {info.filename}")
        yield block


def safe_extract(path: Path, dest: Path, limits: Limits) -> list[Path]:
    """Extract the zip at ``path`` into ``dest`` after :func:`check_archive`; member contents are
    checked as they stream, and a member that outgrows its declared size is refused."""
    infos = check_archive(path, limits)
    out = []
    with zipfile.ZipFile(path) as zf:
        for info in infos:
            if info.is_dir():
                continue
            target = dest / _member_path(info)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, target.open("wb") as dst:
                for block in _scan(_bounded(src, info), info.filename):
                    dst.write(block)
            out.append(target)
    return out
