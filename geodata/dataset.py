"""The dataset: typed, cached, read-only access to every layer of one GeoPackage."""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata.errors import DataError
from geodata.io import gpkg
from geodata.schema import LAYERS
from geodata.store import SHIPPED as DEFAULT_PATH
from geodata.store import resolve


class Dataset:
    """All layers of one dataset file. Layers are read once, on first use, and checked.

    Every accessor returns a shallow copy: with pandas copy-on-write a caller that changes the
    result changes only its own copy, never the cached layer.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._layers: dict[str, pd.DataFrame] = {}
        self._lock = threading.Lock()
        self._available = available = gpkg.list_layers(self.path)
        missing = [name for name in LAYERS if name not in available]
        if missing:
            raise DataError(f"{self.path}: missing layer(s) {', '.join(missing)}")

    @cached_property
    def version(self) -> str:
        """A short content hash: changes whenever the data does (used in cacheable URLs)."""
        digest = hashlib.sha256()
        with self.path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()[:12]

    def __repr__(self) -> str:
        return f"Dataset({str(self.path)!r})"

    def layer(self, name: str) -> pd.DataFrame:
        """The layer ``name`` (a GeoDataFrame for spatial layers)."""
        with self._lock:
            if name not in self._layers:
                self._layers[name] = gpkg.read_layer(self.path, name, self._available)
        return self._layers[name].copy(deep=False)

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
        frame = self.layer("meta")
        return dict(zip(frame.key, frame.value))


# What each requested path (a GeoPackage or a store) opened last: (file, mtime, dataset). Only the current
# version of each is held here, so a version replaced by a publish is freed once no request still uses it
# (its per-dataset caches go with it, see geodata.cache). A few paths at most: the app opens one.
_OPENED: OrderedDict[str, tuple[str, int, Dataset]] = OrderedDict()
_OPENED_LOCK = threading.Lock()
MAX_OPENED = 8


def _open(requested: str, file: str, mtime_ns: int) -> Dataset:
    with _OPENED_LOCK:
        same = [ds for f, m, ds in _OPENED.values() if (f, m) == (file, mtime_ns)]
        if (held := _OPENED.get(requested)) is not None and held[:2] == (file, mtime_ns):
            _OPENED.move_to_end(requested)
            return held[2]
    ds = same[0] if same else Dataset(Path(file))  # (opened outside the lock: it reads the file's layer list)
    with _OPENED_LOCK:
        held = _OPENED.get(requested)
        if held is not None and held[:2] == (file, mtime_ns):
            return held[2]  # another thread opened it meanwhile: share that one
        if held is not None:
            # A store moved to a new version: forget its other versions under every name (an import's base).
            inside = requested + os.sep
            for name in [n for n, (f, m, _) in _OPENED.items() if f.startswith(inside) and (f, m) != (file, mtime_ns)]:
                del _OPENED[name]
        _OPENED[requested] = (file, mtime_ns, ds)
        _OPENED.move_to_end(requested)
        while len(_OPENED) > MAX_OPENED:
            _OPENED.popitem(last=False)
    return ds


def open_dataset(path: Path | str | None = None) -> Dataset:
    """The dataset at ``path`` (default: the shipped one), cached while the file is unchanged.

    ``path`` may be a GeoPackage or a data store (see :mod:`geodata.store`): a store resolves to its
    published version by reading one small pointer file, so a running app sees a new version on
    its next call, without a restart. Only the current version of each path is kept: an earlier one is
    freed, with its caches, when the last caller holding it lets it go.
    """
    p = resolve(path) if path else DEFAULT_PATH
    try:
        mtime = p.stat().st_mtime_ns
    except FileNotFoundError:
        raise DataError(f"{p}: no such dataset file") from None
    requested = str(Path(path).resolve()) if path else str(DEFAULT_PATH.resolve())
    return _open(requested, str(p.resolve()), mtime)
