"""From an offered file to a checked candidate dataset: read, convert, validate, merge.

The candidate is a complete GeoPackage (a copy of the base dataset with the imported layers
replaced), written into a folder the caller owns; publishing it is :mod:`geodata.versions`' job.
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd
import pyogrio

from geodata.dataset import Dataset, open_dataset
from geodata.errors import DataError
from geodata.export import write_gpkg
from geodata.io import geojson, gpkg, kml, shapefile, tables
from geodata.io.crs import OFFSET_DATUMS, to_wgs84
from geodata.io.raw import RawLayer
from geodata.io.safety import Limits, check_name
from geodata.placement import Area, check_offset
from geodata.report import Refused, Report
from geodata.schema import LAYERS, SCHEMA_VERSION, LayerSpec, fill_empty_cells
from geodata.store import DATA_FILE
from geodata.validate import (
    check_geometry,
    check_keys,
    check_ledger_totals,
    check_references,
    check_tiling,
    coerce,
    row_numbers,
)

Reader = Callable[[Path, str, Path, Limits], list[RawLayer]]
READERS: dict[str, Reader] = {
    ".gpkg": lambda path, name, work, limits: gpkg.read_upload(path, limits),
    ".geojson": geojson.read, ".json": geojson.read, ".zip": shapefile.read, ".kml": kml.read,
    ".csv": tables.read_csv, ".xlsx": tables.read_xlsx,
}
SOURCE_DIR = "source"
BOUNDS_MARGIN = 0.1  # degrees around the county outline that imported geometry may reach


@dataclass
class Options:
    """What the user said about the file: which layer it is, which CRS, and the size limits."""

    layer: str | None = None
    crs: str | None = None
    limits: Limits = field(default_factory=Limits)


def infer_layer(raw: RawLayer, wanted: str | None) -> str:
    """The schema layer ``raw`` is: ``wanted``, its own name, or the one layer its columns fit."""
    if wanted:
        if wanted not in LAYERS:
            raise Refused(f"未知图层 '{wanted}'", f"unknown layer '{wanted}'")
        return wanted
    if raw.name in LAYERS:
        return raw.name
    spatial = isinstance(raw.frame, gpd.GeoDataFrame)
    cols = set(raw.frame.columns) | ({"indicator", "value", "pillar"} if "year" in raw.frame else set())
    cols |= {c[:10] for c in cols}  # shapefile field names are cut at 10 characters

    def has(spec: LayerSpec) -> bool:
        needed = set(spec.columns) - {"synthetic", "pillar"}
        return set(spec.key) <= cols and all(c in cols or c[:10] in cols for c in needed)

    fits = [s.name for s in LAYERS.values() if bool(s.geometry) == spatial and has(s)]
    if len(fits) == 1:
        return fits[0]
    names = ", ".join(fits)
    hint_zh, hint_en = (f"(可能是 {names})", f" ({names})") if fits else ("", "")
    raise Refused(f"无法判断 '{raw.name}' 属于哪个图层{hint_zh}:请用 --layer 指定",
                  f"cannot tell which layer '{raw.name}' is{hint_en}: pass --layer", raw.name)


def _indicators_long(frame: pd.DataFrame, base: Dataset, report: Report) -> pd.DataFrame:
    """Wide indicators melted to long; a missing pillar filled from the indicator catalogue."""
    catalogue = base.indicator_catalogue().set_index("indicator").pillar
    if tables.is_wide(frame.columns, catalogue.index):
        frame = tables.melt_wide(frame, catalogue.index)
        report.repaired("indicators", "宽表已转换为长表(村、年、指标、值)", "wide table converted to long form "
                        "(village, year, indicator, value)")
    if "pillar" not in frame and "indicator" in frame:
        frame = frame.assign(pillar=frame.indicator.map(catalogue))
    if "indicator" in frame:
        unknown = ~frame.indicator.isin(catalogue.index)
        if unknown.any():
            report.rows_issue("error", "indicators", row_numbers(unknown),
                              "indicator", "指标不在指标目录中", "indicator not in the indicator catalogue")
    return frame


def prepare_layer(raw: RawLayer, spec: LayerSpec, opts: Options, base: Dataset,
                  report: Report, area: Area | None = None) -> pd.DataFrame | None:
    """``raw`` converted to EPSG:4326 and the schema's types, with its own checks done. ``area`` is where
    the data must lie (default: the base dataset's counties)."""
    area = area or Area.of(base.county())
    frame = raw.frame
    if spec.name == "indicators":
        frame = _indicators_long(frame, base, report)
    if spec.geometry:
        if not isinstance(frame, gpd.GeoDataFrame):
            raise Refused(f"图层 {spec.name} 需要几何(请用 GeoPackage、GeoJSON、Shapefile 或 KML)",
                          f"layer {spec.name} needs geometry (use GeoPackage, GeoJSON, Shapefile or KML)", spec.name)
        frame = to_wgs84(frame, opts.crs, spec.name)
    elif isinstance(frame, gpd.GeoDataFrame):
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    report.rows[spec.name] = len(frame)
    frame = coerce(frame, spec, report, frozenset(base.layer(spec.name).columns))
    if frame is None:
        return None
    if spec.geometry:
        frame = check_geometry(frame, spec, report, area.bounds(BOUNDS_MARGIN, spec.name))
        if frame is None:
            return None
        declared_offset = (opts.crs or "").lower() in OFFSET_DATUMS
        if not declared_offset and check_offset(frame, spec.name, list(spec.key), area, base.layer(spec.name),
                                                report):
            return None
    check_keys(frame, spec, report, area)
    report.add_preview(spec.name, frame)
    return frame


def _offered(name: str) -> tuple[str, str]:
    """The checked suffix and the stem of the offered file name ``name`` (a Windows path is read as one)."""
    return check_name(name), PurePosixPath(name.replace("\\", "/")).stem


def read_offer(path: Path, name: str, opts: Options, base: Dataset, report: Report,
               offered: tuple[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """The layers the file at ``path`` (offered as ``name``) would replace, converted and checked.

    ``offered`` is ``(suffix, stem)`` of ``name`` when the caller has already checked it.
    """
    suffix, stem = offered or _offered(name)
    raws = READERS[suffix](path, stem, path.parent, opts.limits)
    if opts.layer and len(raws) > 1:
        raise Refused("文件含多个图层,不能用 --layer 指定单一图层", "the file holds several layers; --layer names one")
    layers: dict[str, pd.DataFrame] = {}
    if len(raws) == 1 and raws[0].name not in LAYERS:  # one layer: the offered file's name may say which
        raws = [RawLayer(stem, raws[0].frame)]
    # The county layer first: an imported county layer says which counties the other layers belong to.
    raws = sorted(raws, key=lambda raw: (opts.layer or raw.name) != "county")
    area = Area.of(base.county())
    for raw in raws:
        if not opts.layer and raw.name not in LAYERS and len(raws) > 1:
            report.warning(raw.name, "未知图层,已忽略", "unknown layer, ignored")
            continue
        name_ = infer_layer(raw, opts.layer)
        if name_ in layers:
            raise Refused(f"图层 {name_} 出现两次", f"layer {name_} appears twice", name_)
        frame = prepare_layer(raw, LAYERS[name_], opts, base, report, area)
        if frame is not None:
            layers[name_] = frame
            if name_ == "county":
                area = Area.of(frame)
    return layers


def _provenance(base: Dataset, layers: dict[str, pd.DataFrame], source: str) -> pd.DataFrame:
    """Provenance rows of replaced layers now name the imported file (unless provenance itself is imported)."""
    prov = base.provenance().set_index("layer")
    for name, frame in layers.items():
        synthetic = bool(frame["synthetic"].all()) if "synthetic" in frame else False
        prov.loc[name, ["source", "version", "licence", "crs", "synthetic"]] = [
            f"import:{source}", "", "supplied by the user", "EPSG:4326", synthetic]
        if "rows" in prov:
            prov.loc[name, "rows"] = len(frame)
    return fill_empty_cells(prov.reset_index(), LAYERS["provenance"])


def upsert(base: pd.DataFrame, new: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """``base`` with the rows of ``new`` added, replacing rows of the same ``key``."""
    kept = base[~base.set_index(key).index.isin(new.set_index(key).index)]
    return pd.concat([kept, new[[c for c in base.columns if c in new]]], ignore_index=True)


# Layers merged by key rather than replaced: a yearly indicator table adds a year, it does not erase the others.
UPSERT_LAYERS = frozenset({"indicators"})


def write_candidate(base: Dataset, layers: dict[str, pd.DataFrame], source: str, out: Path) -> None:
    """A copy of ``base`` with ``layers`` replaced (or, for :data:`UPSERT_LAYERS`, merged), at ``out``."""
    layers = {name: upsert(base.layer(name), frame, list(LAYERS[name].key)) if name in UPSERT_LAYERS else frame
              for name, frame in layers.items()}
    if "provenance" not in layers:
        layers = {**layers, "provenance": _provenance(base, layers, source)}
    if base.migrated:  # an older base: the candidate is written in the current schema, every layer as migrated
        layers = {**{name: base.layer(name) for name in LAYERS if name in base.available}, **layers}
        meta = layers["meta"]
        layers["meta"] = pd.concat([meta[meta.key != "schema_version"], pd.DataFrame(
            {"key": ["schema_version"], "value": [str(SCHEMA_VERSION)]})], ignore_index=True)
    if isinstance(base.path, Path):
        shutil.copyfile(base.path, out)
    else:  # a version in the database: the candidate starts as a GeoPackage of every layer it holds
        write_gpkg(base, out, skip=frozenset(layers))
    for name, frame in layers.items():
        pyogrio.write_dataframe(frame, out, layer=name, driver="GPKG")


def check_candidate(path: Path, offered: dict[str, pd.DataFrame], report: Report) -> None:
    """Checks that need the whole candidate dataset: schema, references, tiling, ledger.

    References are checked in the layers as offered, so that rows are numbered as in the file.
    """
    try:
        ds = Dataset(path)
        all_layers = {name: ds.layer(name) for name in LAYERS}
    except DataError as exc:
        report.error(None, f"合并后的数据集不合格:{exc}", f"the merged dataset is not valid: {exc}")
        return
    changed = set(offered)
    check_references({**all_layers, **offered}, changed, report)
    if {"villages", "county"} & changed:
        check_tiling(all_layers["villages"], all_layers["county"], report)
    check_ledger_totals(ds, report)


def build(src: Path, name: str, base_path: Path | Dataset, dest: Path, opts: Options) -> Report:
    """Check the file at ``src`` (offered as ``name``) and, if it passes, write the candidate dataset
    ``dest/kaihua.gpkg`` from the base at ``base_path`` (a GeoPackage, or a dataset of any backend). The file
    is kept under ``dest/source``.

    Returns the report; nothing is written outside ``dest``.
    """
    report = Report(PurePosixPath(name.replace("\\", "/")).name)
    try:
        return _build(src, name, base_path, dest, opts, report)
    except OSError as exc:  # the disk filled up (or the folder went away) while the file was read or written
        shutil.rmtree(dest / SOURCE_DIR, ignore_errors=True)
        (dest / DATA_FILE).unlink(missing_ok=True)
        report.error(None, f"无法写出:{_write_problem(exc, 'zh')}", f"cannot write: {_write_problem(exc, 'en')}")
        return report


def _write_problem(exc: BaseException, lang: str) -> str:
    """What went wrong writing, in words (a full disk is named as such)."""
    full = getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc)
    if full:
        return "磁盘已满,请清理空间后重试" if lang == "zh" else "the disk is full (no space left on device); free " \
            "some space and try again"
    return str(exc)


def _build(src: Path, name: str, base_path: Path, dest: Path, opts: Options, report: Report) -> Report:
    try:
        suffix, stem = _offered(name)
        work = dest / SOURCE_DIR
        work.mkdir(parents=True, exist_ok=True)
        # GDAL only ever sees a name we chose: the offered name may be hostile.
        upload = work / f"upload{suffix}"
        shutil.copyfile(src, upload)
        # cached: the base is read once, not once per upload
        base = base_path if isinstance(base_path, Dataset) else open_dataset(base_path)
        layers = read_offer(upload, name, opts, base, report, (suffix, stem))
    except Refused as exc:
        report.refuse(exc)
        return report
    if not layers and report.ok:
        report.error(None, "文件中没有可导入的图层", "the file holds no layer that can be imported")
    if not report.ok:
        return report
    candidate = dest / DATA_FILE
    try:
        write_candidate(base, layers, report.file, candidate)
    except Exception as exc:  # GDAL refusing to write a column the checks let through: report, never crash
        candidate.unlink(missing_ok=True)
        report.error(None, f"无法写出合并后的数据集:{_write_problem(exc, 'zh')}",
                     f"cannot write the merged dataset: {_write_problem(exc, 'en')}")
        return report
    check_candidate(candidate, layers, report)
    shutil.rmtree(work / "unzipped", ignore_errors=True)  # keep the file as uploaded, not its unpacked copy
    return report
