"""The backend seam: which store serves the data, and the versioning operations every store offers.

    >>> from geodata import backend_for
    >>> backend_for(settings)                  # Settings (its data_path), a URL, a store folder or a .gpkg
    >>> backend_for("postgresql://...").kind   # "postgis"; backend_for("var/data").kind == "gpkg"

Three backends implement :class:`Backend`: :class:`FolderBackend` (the GeoPackage store folder,
:mod:`geodata.store` and :mod:`geodata.versions`), :class:`FixedFileBackend` (one GeoPackage served as it is:
nothing can be published) and :class:`geodata.postgis.store.PostgisBackend` (PostgreSQL + PostGIS). What is
*served* always goes through :func:`geodata.open_dataset` with the same source, so last-good serving and
:func:`geodata.dataset.health` hold for each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from geodata import db, importing
from geodata import versions as folder_versions
from geodata.dataset import Dataset
from geodata.errors import DataError
from geodata.store import current_id as folder_current_id
from geodata.store import is_store, verify, version_dir
from geodata.versions import Staged, VersionInfo


@runtime_checkable
class Backend(Protocol):
    """A store of data versions.

    Attributes
    ----------
    kind : str
        ``"gpkg"`` (embedded GeoPackage files) or ``"postgis"``.
    publishable : bool
        False for a fixed GeoPackage file, which is served as it is.
    """

    kind: str
    publishable: bool

    def current_id(self) -> str | None:
        """The id of the published version (None: nothing published, the shipped dataset is served)."""
        ...

    def open_version(self, version_id: str) -> Dataset:
        """The dataset of one version, checked against its recorded checksums."""
        ...

    def list_versions(self) -> list[VersionInfo]:
        """Every published version, newest first."""
        ...

    def stage(self, src: Path, name: str, opts: importing.Options) -> Staged:
        """Check a file against the published version and keep the candidate; nothing published changes."""
        ...

    def publish(self, token: str, note: str = "") -> str:
        """Publish a staged candidate atomically; its new version id."""
        ...

    def rollback(self, version_id: str) -> None:
        """Publish an earlier, unchanged version again."""
        ...

    def ping(self) -> str | None:
        """``"ok"``/``"down"`` for a database, None when there is none."""
        ...


class FolderBackend:
    """The GeoPackage store folder (``versions/<id>/kaihua.gpkg`` and ``CURRENT``)."""

    kind = "gpkg"
    publishable = True

    def __init__(self, store: Path | str) -> None:
        self.store = Path(store)

    def __repr__(self) -> str:
        return f"FolderBackend({str(self.store)!r})"

    def current_id(self) -> str | None:
        return folder_current_id(self.store)

    def open_version(self, version_id: str) -> Dataset:
        folder = version_dir(self.store, version_id)
        verify(folder)
        return Dataset(folder / "kaihua.gpkg")

    def list_versions(self) -> list[VersionInfo]:
        return folder_versions.list_versions(self.store)

    def stage(self, src: Path, name: str, opts: importing.Options) -> Staged:
        return folder_versions.stage(self.store, src, name, opts)

    def publish(self, token: str, note: str = "") -> str:
        return folder_versions.publish(self.store, token, note)

    def rollback(self, version_id: str) -> None:
        folder_versions.rollback(self.store, version_id)

    def ping(self) -> None:
        return None


class FixedFileBackend:
    """One GeoPackage served as it is (``KAIHUA_DATA`` names a ``.gpkg``): readable, never published to."""

    kind = "gpkg"
    publishable = False

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"FixedFileBackend({str(self.path)!r})"

    def _refuse(self) -> DataError:
        return DataError(f"{self.path} is a fixed GeoPackage: it has no versions (use a store folder or a database)")

    def current_id(self) -> None:
        return None

    def open_version(self, version_id: str) -> Dataset:
        raise self._refuse()

    def list_versions(self) -> list[VersionInfo]:
        return []

    def stage(self, src: Path, name: str, opts: importing.Options) -> Staged:
        raise self._refuse()

    def publish(self, token: str, note: str = "") -> str:
        raise self._refuse()

    def rollback(self, version_id: str) -> None:
        raise self._refuse()

    def ping(self) -> None:
        return None


def data_source(source: object) -> Path | str:
    """What :func:`geodata.open_dataset` is given for ``source``: a Settings' ``data_path``, a URL or a path."""
    value = getattr(source, "data_path", source)
    return value if db.is_database_url(value) else Path(value)


def backend_for(source: object) -> Backend:
    """The backend serving ``source``: a :class:`dashboard.config.Settings` (by its ``data_path``, which is the
    database URL when ``DATABASE_URL`` is set), a ``postgresql://`` URL, a store folder or a GeoPackage file."""
    value = data_source(source)
    if isinstance(value, str):
        from geodata.postgis.store import PostgisBackend

        return PostgisBackend(value)
    return FolderBackend(value) if is_store(value) else FixedFileBackend(value)
