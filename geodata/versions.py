"""Versions of the dataset: stage a checked candidate, publish it atomically, list, roll back.

Publishing never changes a published file. A candidate is built complete in ``staging/<token>``,
flushed to disk, renamed into ``versions/<id>`` (a new folder beside the old ones), and only then is
the pointer ``CURRENT`` swapped (see :func:`geodata.store.write_pointer`). A process killed at any
moment leaves the pointer and every published file as they were.

Every version records the sha256 of its files in ``version.json`` and its files are made read-only;
a rollback to a version whose files changed is refused. A full disk stops a publish with a
:class:`DataError` saying so, and leaves no partial folder or temporary file behind. Folders a
stopped import left (never-published versions, candidates nobody is building any more) are removed
the next time the store is opened for an import or a publish.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyogrio

from geodata import importing
from geodata.dataset import Dataset
from geodata.errors import DataError
from geodata.report import Report
from geodata.store import (
    CHECKSUMS,
    DATA_FILE,
    INFO_FILE,
    SHIPPED,
    STAGING,
    VERSION_ID,
    VERSIONS,
    checksums,
    current_id,
    fsync_dir,
    fsync_tree,
    locked,
    make_read_only,
    staging_dir,
    verify,
    version_dir,
    write_pointer,
)

STAGE_FILE = "stage.json"
BUILDING_FILE = ".building"  # in a staging folder, locked (flock) by the process building the candidate
PENDING_FILE = "pending"  # in a version folder until CURRENT has named it once
STAGE_MAX_AGE_S = 24 * 3600
YOUNG_S = 60  # a staging folder this young without its lock file may be starting: left alone
# Test hook: when set, publish writes this marker file and waits before switching the pointer, so that a
# test can kill the process at the worst moment. Never set in production.
PAUSE_HOOK = "KAIHUA_TEST_PAUSE_BEFORE_SWITCH"


@dataclass(frozen=True)
class VersionInfo:
    """One published version, as listed to the user."""

    id: str
    created: str
    source: str
    note: str
    counts: dict[str, int]
    current: bool = False


@dataclass(frozen=True)
class Staged:
    """A checked upload waiting to be published (``token`` is None when it failed)."""

    token: str | None
    report: Report


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _counts(gpkg: Path) -> dict[str, int]:
    return {name: int(pyogrio.read_info(gpkg, layer=name)["features"]) for name, _ in pyogrio.list_layers(gpkg)}


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _next_id(store: Path) -> str:
    ids = [int(p.name[1:]) for p in (store / VERSIONS).iterdir() if VERSION_ID.match(p.name)]
    return f"v{max(ids, default=0) + 1:04d}"


def _settle(store: Path) -> None:
    """Clear the pending mark of the published version (left if a publish stopped just after its switch).
    Caller holds the lock."""
    if (cur := current_id(store)) is not None:
        (version_dir(store, cur) / PENDING_FILE).unlink(missing_ok=True)


def _interrupted(store: Path, version_id: str) -> bool:
    """A version folder that arrived but was never published (its publish stopped before the switch)."""
    return (version_dir(store, version_id) / PENDING_FILE).exists() and version_id != current_id(store)


def disk_error(exc: OSError, what: str) -> DataError:
    """A clear :class:`DataError` for a failed write (a full disk above all), never a traceback."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DataError(f"{what}: the disk is full (no space left on device); nothing was published and no "
                         "partial files were left. Free some space and try again")
    return DataError(f"{what}: cannot write to the data store ({exc.strerror or exc}); nothing was published")


def _commit(store: Path, folder: Path, source: str, note: str, base: str | None) -> str:
    """Move the complete ``folder`` in as the next version and publish it. Caller holds the lock.

    The folder arrives marked pending and the mark goes only after the switch, so a publish stopped in
    between leaves a version that is neither listed nor restorable (and removed by the next publish).
    A failed write (full disk) removes the folder and leaves ``CURRENT`` as it was."""
    _settle(store)
    vid = _next_id(store)
    final = version_dir(store, vid)
    try:
        (folder / STAGE_FILE).unlink(missing_ok=True)
        (folder / BUILDING_FILE).unlink(missing_ok=True)
        _write_json(folder / INFO_FILE, {"id": vid, "created": _now(), "source": source, "note": note,
                                         "base": base, "counts": _counts(folder / DATA_FILE),
                                         CHECKSUMS: checksums(folder)})
        (folder / PENDING_FILE).write_text("published once CURRENT names this version\n", encoding="ascii")
        make_read_only(folder)
        fsync_tree(folder)
        os.rename(folder, final)  # same file system: atomic; the folder appears complete or not at all
        fsync_dir(final.parent)
        if marker := os.environ.get(PAUSE_HOOK):
            Path(marker).write_text(vid)
            time.sleep(3600)
        write_pointer(store, vid)
    except OSError as exc:
        if current_id(store) != vid:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(final, ignore_errors=True)
        raise disk_error(exc, f"publishing {vid}") from None
    _settle(store)
    return vid


def _heal(store: Path) -> None:
    """Remove what stopped imports left: version folders never published, and staging folders no process
    is building that hold no checked candidate. Caller holds the lock."""
    root = store / VERSIONS
    if root.is_dir():
        for folder in root.iterdir():
            if VERSION_ID.match(folder.name) and _interrupted(store, folder.name):
                shutil.rmtree(folder, ignore_errors=True)
    _sweep_staging(store)


@contextlib.contextmanager
def _building(folder: Path) -> Iterator[None]:
    """Mark ``folder`` as being built by this process (a lock the sweep tests; it goes when the process does)."""
    with open(folder / BUILDING_FILE, "a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        yield


def _abandoned(folder: Path) -> bool:
    """A staging folder whose builder is gone (killed, or never finished) and that holds no candidate."""
    if (folder / STAGE_FILE).exists():
        return False
    if not (folder / BUILDING_FILE).exists():  # just made, its builder not yet started (or an old crash)
        return time.time() - folder.stat().st_mtime > YOUNG_S
    try:
        with open(folder / BUILDING_FILE, "a") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a live process holds it
    except OSError:
        return True  # not even the lock file can be made: nothing usable in there
    return True


def ensure_initialised(store: Path) -> None:
    """An empty store starts from the shipped dataset, published as the first version."""
    store = Path(store)
    with locked(store):
        if current_id(store) is not None:
            return
        _heal(store)
        folder = store / STAGING / secrets.token_hex(16)
        try:
            folder.mkdir(parents=True)
            shutil.copyfile(SHIPPED, folder / DATA_FILE)
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise disk_error(exc, "starting the data store") from None
        _commit(store, folder, "geodata/data/kaihua.gpkg", "shipped dataset (illustrative)", None)


def _sweep_staging(store: Path) -> None:
    """Forget candidates older than a day (validated but never published) and folders left by a stopped build."""
    root = store / STAGING
    if not root.is_dir():
        return
    for entry in root.iterdir():
        if not entry.is_dir() or time.time() - entry.stat().st_mtime > STAGE_MAX_AGE_S or _abandoned(entry):
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)


def stage(store: Path, src: Path, name: str, opts: importing.Options) -> Staged:
    """Check the file at ``src`` (offered as ``name``) against the published version and keep the
    candidate in the store's staging area. Nothing published changes."""
    store = Path(store)
    ensure_initialised(store)  # also removes what stopped imports left
    token = secrets.token_hex(16)
    folder = staging_dir(store, token)
    base = current_id(store)  # read once: the candidate is built on exactly the version publish will check
    try:
        base_path = version_dir(store, base) / DATA_FILE
        verify(base_path.parent, [DATA_FILE])  # a damaged base would make a damaged candidate
        folder.mkdir(parents=True)
        with _building(folder):
            report = importing.build(src, name, base_path, folder, opts)
            if report.ok:
                _write_json(folder / STAGE_FILE, {"base": base, "source": report.file, "report": report.to_dict()})
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise disk_error(exc, "checking the file") from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not report.ok:
        shutil.rmtree(folder, ignore_errors=True)
        return Staged(None, report)
    return Staged(token, report)


def publish(store: Path, token: str, note: str = "") -> str:
    """Publish the staged candidate ``token`` as a new version; returns its id.

    Refused if another version was published since the candidate was checked (it was built on
    the old one and would silently undo the newer change).
    """
    store = Path(store)
    folder = staging_dir(store, token)
    with locked(store):
        _heal(store)
        try:
            stage_info = json.loads((folder / STAGE_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DataError("staged upload not found (expired or already published)") from None
        if stage_info["base"] != current_id(store):
            raise DataError("the published data changed since this file was checked: check it again")
        return _commit(store, folder, stage_info["source"], note, stage_info["base"])


def check_restorable(store: Path, version_id: str) -> None:
    """Raise :class:`DataError` unless every file of ``version_id`` is as published and its dataset opens."""
    folder = version_dir(store, version_id)
    try:
        verify(folder)
        Dataset(folder / DATA_FILE)
    except DataError as exc:
        raise DataError(f"version {version_id} is damaged, so it is not published again ({exc})") from None


def rollback(store: Path, version_id: str) -> None:
    """Publish the earlier version ``version_id`` again (its files are unchanged).

    Refused, with ``CURRENT`` left as it is, if the version was never published or its files changed."""
    store = Path(store)
    with locked(store):
        if not (version_dir(store, version_id) / DATA_FILE).is_file():
            raise DataError(f"no version {version_id} in {store}")
        _settle(store)
        if _interrupted(store, version_id):
            raise DataError(f"version {version_id} was never published (its import stopped before the switch), "
                            "so it cannot be restored; import its source file again")
        check_restorable(store, version_id)
        try:
            write_pointer(store, version_id)
        except OSError as exc:
            raise disk_error(exc, f"restoring {version_id}") from None


def list_versions(store: Path) -> list[VersionInfo]:
    """Every published version, newest first."""
    store = Path(store)
    root = store / VERSIONS
    if not root.is_dir():
        return []
    current = current_id(store)
    out = []
    for folder in sorted((p for p in root.iterdir() if VERSION_ID.match(p.name)), reverse=True):
        if _interrupted(store, folder.name):
            continue  # never published
        try:
            info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            continue  # not a complete version
        out.append(VersionInfo(info["id"], info["created"], info["source"], info.get("note", ""),
                               info.get("counts", {}), info["id"] == current))
    return out


@dataclass(frozen=True)
class DataEdition:
    """The data version as a person reads it on a printed map: when it was published and why."""

    version_id: str | None  # None: the shipped dataset, not a store version
    published: str  # YYYY-MM-DD
    note: str


def data_edition(gpkg: Path | str | object) -> DataEdition:
    """The edition of the GeoPackage ``gpkg`` (a :attr:`Dataset.path`): a store version's publish date and note
    from its ``version.json``; otherwise the date the file was built (its modification date). A database version
    (:class:`geodata.postgis.layers.DatabaseVersion`) gives its publish date and note from the database."""
    if not isinstance(gpkg, (str, Path)):
        from geodata.postgis.versions import edition

        return edition(gpkg)
    path = Path(gpkg)
    info_path = path.parent / INFO_FILE
    if path.name == DATA_FILE and info_path.is_file() and VERSION_ID.match(path.parent.name):
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            info = {}
        return DataEdition(path.parent.name, str(info.get("created", ""))[:10], str(info.get("note", ""))[:80])
    built = datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()
    return DataEdition(None, built, "")
