"""The dataset: typed, cached, read-only access to every layer of one data version.

A :class:`Dataset` reads its layers through a :class:`LayerSource`: a GeoPackage file (:class:`GpkgLayers`,
the embedded default) or one version in PostgreSQL + PostGIS (:class:`geodata.postgis.layers.PostgisLayers`).
Everything above it (caches keyed on the dataset, queries, figures) does not know which.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

import geopandas as gpd
import pandas as pd

from geodata.db import is_database_url
from geodata.errors import DatabaseUnavailable, DataError
from geodata.io import gpkg
from geodata.schema import LAYERS, META_DEFAULTS, SCHEMA_VERSION, check_version
from geodata.store import SHIPPED as DEFAULT_PATH
from geodata.store import is_store, published

log = logging.getLogger(__name__)


class LayerSource(Protocol):
    """Where a dataset's layers come from (one backend's view of one data version).

    Attributes
    ----------
    path : object
        What :attr:`Dataset.path` reports: a GeoPackage's :class:`~pathlib.Path`, or a
        :class:`~geodata.postgis.layers.DatabaseVersion`; its ``str`` names the data in messages.
    backend : str
        ``"gpkg"`` or ``"postgis"``.
    """

    path: object
    backend: str

    def list_layers(self) -> dict[str, str | None]:
        """Layer names with their geometry types (None for a table); :class:`DataError` if unreadable."""
        ...

    def read_layer(self, name: str, available: dict[str, str | None], version: int) -> pd.DataFrame:
        """Layer ``name`` migrated from schema ``version``, checked and filled (see ``gpkg.finish_layer``)."""
        ...

    def content_version(self) -> str:
        """A short content hash of the whole version."""
        ...


class GpkgLayers:
    """The layers of one GeoPackage file."""

    backend = "gpkg"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def list_layers(self) -> dict[str, str | None]:
        return gpkg.list_layers(self.path)

    def read_layer(self, name: str, available: dict[str, str | None], version: int) -> pd.DataFrame:
        return gpkg.read_layer(self.path, name, available, version)

    def content_version(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()[:12]


class Dataset:
    """All layers of one data version. Layers are read once, on first use, and checked.

    ``source`` is a GeoPackage path or any :class:`LayerSource`. Every accessor returns a shallow copy: with
    pandas copy-on-write a caller that changes the result changes only its own copy, never the cached layer.
    """

    def __init__(self, source: Path | str | LayerSource) -> None:
        self.source: LayerSource = GpkgLayers(Path(source)) if isinstance(source, (str, Path)) else source
        self.path = self.source.path
        self._layers: dict[str, pd.DataFrame] = {}
        self._lock = threading.Lock()
        self._available = available = self.source.list_layers()
        missing = [name for name, spec in LAYERS.items() if spec.required and name not in available]
        if missing:
            raise DataError(f"{self.path}: missing layer(s) {', '.join(missing)}")
        meta = self.source.read_layer("meta", available, SCHEMA_VERSION)
        self._meta = {**META_DEFAULTS, **dict(zip(meta.key, meta.value))}
        try:
            self.schema_version = check_version(self._meta["schema_version"])
        except ValueError as exc:
            raise DataError(f"{self.path}: cannot be read: {exc}") from None
        self._layers["meta"] = meta

    @property
    def backend(self) -> str:
        """Which backend serves this dataset: ``"gpkg"`` or ``"postgis"``."""
        return self.source.backend

    @property
    def available(self) -> frozenset[str]:
        """The layers the file holds (optional layers it lacks read as empty)."""
        return frozenset(self._available)

    @property
    def migrated(self) -> bool:
        """True when the file was written for an older schema and is migrated in memory as it is read."""
        return self.schema_version < SCHEMA_VERSION

    @cached_property
    def version(self) -> str:
        """A short content hash: changes whenever the data does (used in cacheable URLs)."""
        return self.source.content_version()

    def __repr__(self) -> str:
        return f"Dataset({str(self.path)!r})"

    def layer(self, name: str) -> pd.DataFrame:
        """The layer ``name`` (a GeoDataFrame for spatial layers)."""
        with self._lock:
            if name not in self._layers:
                self._layers[name] = self.source.read_layer(name, self._available, self.schema_version)
        return self._layers[name].copy(deep=False)

    def held(self) -> dict[str, pd.DataFrame]:
        """The layers read so far, as held (read-only by convention: for a newer version that shares them)."""
        with self._lock:
            return dict(self._layers)

    def load_all(self) -> Dataset:
        """Read every layer now, so that the dataset can still be served if its file is damaged later."""
        for name in LAYERS:
            self.layer(name)
        return self

    # Typed accessors for the layers the app uses most.
    def county(self) -> gpd.GeoDataFrame:
        return self.layer("county")

    def townships(self) -> gpd.GeoDataFrame:
        return self.layer("townships")

    def villages(self) -> gpd.GeoDataFrame:
        return self.layer("villages")

    def belts(self) -> gpd.GeoDataFrame:
        return self.layer("belts")

    def belt_villages(self) -> pd.DataFrame:
        return self.layer("belt_villages")

    def rivers(self) -> gpd.GeoDataFrame:
        return self.layer("rivers")

    def indicators(self) -> pd.DataFrame:
        return self.layer("indicators")

    def indicator_catalogue(self) -> pd.DataFrame:
        return self.layer("indicator_catalogue")

    def ledger(self) -> pd.DataFrame:
        return self.layer("ledger")

    def provenance(self) -> pd.DataFrame:
        return self.layer("provenance")

    def meta(self) -> dict[str, str]:
        """The file's meta keys, with :data:`~geodata.schema.META_DEFAULTS` for those it lacks."""
        return dict(self._meta)


# What each requested path (a GeoPackage or a store) opened last: (file, stamp, dataset). Only the current
# version of each is held here, so a version replaced by a publish is freed once no request still uses it
# (its per-dataset caches go with it, see geodata.cache). A few paths at most: the app opens one.
_OPENED: OrderedDict[str, tuple[str, tuple[int, int], Dataset]] = OrderedDict()
_OPENED_LOCK = threading.Lock()
MAX_OPENED = 8


def _open(requested: str, file: str, stamp: tuple[int, int], make: Callable[[], Dataset] | None = None) -> Dataset:
    """The dataset of ``file`` as of ``stamp`` (mtime, size), shared by every path that names it. ``make`` builds
    it when it is not a GeoPackage file (a database version: ``file`` is then its key, ``stamp`` constant)."""
    with _OPENED_LOCK:
        same = [ds for f, s, ds in _OPENED.values() if (f, s) == (file, stamp)]
        if (held := _OPENED.get(requested)) is not None and held[:2] == (file, stamp):
            _OPENED.move_to_end(requested)
            return held[2]
    # (opened outside the lock: it reads the file's layer list)
    ds = same[0] if same else (make() if make is not None else Dataset(Path(file)))
    with _OPENED_LOCK:
        held = _OPENED.get(requested)
        if held is not None and held[:2] == (file, stamp):
            return held[2]  # another thread opened it meanwhile: share that one
        if held is not None and make is None:
            # A store moved to a new version: forget its other versions under every name (an import's base).
            inside = requested + os.sep
            for name in [n for n, (f, s, _) in _OPENED.items() if f.startswith(inside) and (f, s) != (file, stamp)]:
                del _OPENED[name]
        _OPENED[requested] = (file, stamp, ds)
        _OPENED.move_to_end(requested)
        while len(_OPENED) > MAX_OPENED:
            _OPENED.popitem(last=False)
    return ds


@dataclass(frozen=True)
class Health:
    """What :func:`open_dataset` serves for a path: ``ok``; ``degraded`` (the published data cannot be read,
    the last good version read in this process is served; ``problem`` says why); ``down`` (nothing to serve)."""

    status: str
    problem: str | None
    data_version: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {"status": self.status, "problem": self.problem, "data_version": self.data_version}


# The last dataset each path was served from in this process, fully read: what is served while the
# published file is damaged. One per path, replaced by the next good one (so old versions are not kept).
_last_good: dict[str, Dataset] = {}
_last_good_lock = threading.Lock()


def _open_database(url: str) -> Dataset:
    """The published version of the database ``url`` (polled, see :mod:`geodata.postgis.store`); the shipped
    dataset while the database holds no version."""
    from geodata.postgis import store as pg_store
    from geodata.postgis import versions as pg_versions

    vid = pg_store.polled_current_id(url)
    if vid is None:
        st = DEFAULT_PATH.stat()
        return _open(url, str(DEFAULT_PATH.resolve()), (st.st_mtime_ns, st.st_size))
    # Opened read in full and checked; then checked again at most once per poll, cheaply unless it changed.
    # (the version served until now lends the new one every layer whose content did not change)
    ds = _open(url, f"{url}#{vid}", (0, 0), lambda: pg_versions.open_served(url, vid, _last_good.get(url)))
    pg_store.polled_check(url, ds)
    return ds


def _open_checked(path: Path | str | None) -> Dataset:
    """The dataset ``path`` names, checked (a store's published version against its checksum); no fallback."""
    if is_database_url(path):
        return _open_database(str(path))
    if not path:
        p = DEFAULT_PATH
    elif is_store(path):
        p = published(Path(path))
    else:
        p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise DataError(f"{p}: no such dataset file") from None
    requested = str(Path(path).resolve()) if path else str(DEFAULT_PATH.resolve())
    return _open(requested, str(p.resolve()), (st.st_mtime_ns, st.st_size))


def open_dataset(path: Path | str | None = None) -> Dataset:
    """The dataset at ``path`` (default: the shipped one), cached while the file is unchanged.

    ``path`` may also be a database URL (``postgresql://...``): its published version, polled at most about once
    a second per process (see :mod:`geodata.postgis.store`), so a publish made anywhere is served here within
    a few seconds.

    ``path`` may be a GeoPackage or a data store (see :mod:`geodata.store`): a store resolves to its
    published version by reading one small pointer file, so a running app sees a new version on
    its next call, without a restart. A store's version is checked against its recorded checksum
    (once per file version). Only the current version of each path is kept: an earlier one is freed, with
    its caches, when the last caller holding it lets it go.

    If the data can no longer be read (damaged on disk) and this process has served ``path`` before,
    the last good dataset is served instead (see :func:`health`); otherwise :class:`DataError`.
    """
    key = str(path or DEFAULT_PATH)
    try:
        ds = _open_checked(path)
        if _last_good.get(key) is not ds:
            ds.load_all()  # fully in memory before it becomes what is served when the file goes bad
            with _last_good_lock:
                _last_good[key] = ds
                if is_database_url(key):
                    return ds
                # versions of a store opened by their own path (an import's base) go when the store moves on
                inside = str(Path(key).resolve()) + os.sep
                for name in [n for n in _last_good if str(Path(n).resolve()).startswith(inside)]:
                    del _last_good[name]
        return ds
    except DataError as exc:
        last = _last_good.get(key)
        if last is None:
            raise
        if not isinstance(exc, DatabaseUnavailable):  # an outage is logged once, by geodata.db.Reachability
            log.warning("serving the last good data %s: %s", last.version, exc)
        return last


def health(path: Path | str | None = None) -> Health:
    """Whether the data at ``path`` is served as published (see :class:`Health`). For a database the current
    version is read from it now (not the poll's), so a database that went away shows at once."""
    if is_database_url(path):
        from geodata.postgis.store import forget_poll

        forget_poll(str(path))
    try:
        ds = _open_checked(path).load_all()
        open_dataset(path)  # what is served from now on (and held as the last good one)
    except DataError as exc:
        last = _last_good.get(str(path or DEFAULT_PATH))
        if last is None:
            return Health("down", str(exc), None)
        return Health("degraded", str(exc), last.version)
    return Health("ok", None, ds.version)


def forget(path: Path | str | None = None) -> None:
    """Drop the last good dataset held for ``path`` (used when a process must not serve stale data). For a
    database, also what this process holds of its current version: the next call reads it from the database."""
    with _last_good_lock:
        _last_good.pop(str(path or DEFAULT_PATH), None)
    if is_database_url(path):
        from geodata.postgis.store import forget_poll

        forget_poll(str(path))
        with _OPENED_LOCK:
            _OPENED.pop(str(path), None)
