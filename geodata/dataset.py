"""The dataset: typed, cached, read-only access to every layer of one GeoPackage."""

from __future__ import annotations

import hashlib
import threading
from functools import cached_property, lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata.errors import DataError
from geodata.io import gpkg
from geodata.schema import LAYERS, META_DEFAULTS, SCHEMA_VERSION, check_version
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
        missing = [name for name, spec in LAYERS.items() if spec.required and name not in available]
        if missing:
            raise DataError(f"{self.path}: missing layer(s) {', '.join(missing)}")
        meta = gpkg.read_layer(self.path, "meta", available)
        self._meta = {**META_DEFAULTS, **dict(zip(meta.key, meta.value))}
        try:
            self.schema_version = check_version(self._meta["schema_version"])
        except ValueError as exc:
            raise DataError(f"{self.path}: cannot be read: {exc}") from None
        self._layers["meta"] = meta

    @property
    def migrated(self) -> bool:
        """True when the file was written for an older schema and is migrated in memory as it is read."""
        return self.schema_version < SCHEMA_VERSION

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
                self._layers[name] = gpkg.read_layer(self.path, name, self._available, self.schema_version)
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
        """The file's meta keys, with :data:`~geodata.schema.META_DEFAULTS` for those it lacks."""
        return dict(self._meta)


@lru_cache(maxsize=4)
def _open(path: str, mtime_ns: int) -> Dataset:
    return Dataset(Path(path))


def open_dataset(path: Path | str | None = None) -> Dataset:
    """The dataset at ``path`` (default: the shipped one), cached while the file is unchanged.

    ``path`` may be a GeoPackage or a data store (see :mod:`geodata.store`): a store resolves to its
    published version by reading one small pointer file, so a running app sees a new version on
    its next call, without a restart.
    """
    p = resolve(path) if path else DEFAULT_PATH
    try:
        mtime = p.stat().st_mtime_ns
    except FileNotFoundError:
        raise DataError(f"{p}: no such dataset file") from None
    return _open(str(p.resolve()), mtime)
