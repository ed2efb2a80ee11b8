"""Versions of the dataset: stage a checked candidate, publish it atomically, list, roll back.

Publishing never changes a published file. A candidate is built complete in ``staging/<token>``,
flushed to disk, renamed into ``versions/<id>`` (a new folder beside the old ones), and only then is
the pointer ``CURRENT`` swapped (see :func:`geodata.store.write_pointer`). A process killed at any
moment leaves the pointer and every published file as they were.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyogrio

from geodata import importing
from geodata.errors import DataError
from geodata.report import Report
from geodata.store import (
    DATA_FILE,
    INFO_FILE,
    SHIPPED,
    STAGING,
    VERSION_ID,
    VERSIONS,
    current_id,
    fsync_dir,
    fsync_tree,
    locked,
    staging_dir,
    version_dir,
    write_pointer,
)

STAGE_FILE = "stage.json"
PENDING_FILE = "pending"  # in a version folder until CURRENT has named it once
STAGE_MAX_AGE_S = 24 * 3600
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


def _commit(store: Path, folder: Path, source: str, note: str, base: str | None) -> str:
    """Move the complete ``folder`` in as the next version and publish it. Caller holds the lock.

    The folder arrives marked pending and the mark goes only after the switch, so a publish stopped in
    between leaves a version that is neither listed nor restorable (its files stay on disk)."""
    _settle(store)
    vid = _next_id(store)
    _write_json(folder / INFO_FILE, {"id": vid, "created": _now(), "source": source, "note": note, "base": base,
                                     "counts": _counts(folder / DATA_FILE)})
    (folder / STAGE_FILE).unlink(missing_ok=True)
    (folder / PENDING_FILE).write_text("published once CURRENT names this version\n", encoding="ascii")
    fsync_tree(folder)
    final = version_dir(store, vid)
    os.rename(folder, final)  # same file system: atomic; the folder appears complete or not at all
    fsync_dir(final.parent)
    if marker := os.environ.get(PAUSE_HOOK):
        Path(marker).write_text(vid)
        time.sleep(3600)
    write_pointer(store, vid)
    _settle(store)
    return vid


def ensure_initialised(store: Path) -> None:
    """An empty store starts from the shipped dataset, published as the first version."""
    store = Path(store)
    with locked(store):
        if current_id(store) is not None:
            return
        folder = store / STAGING / secrets.token_hex(16)
        folder.mkdir(parents=True)
        shutil.copyfile(SHIPPED, folder / DATA_FILE)
        _commit(store, folder, "geodata/data/kaihua.gpkg", "shipped dataset (illustrative)", None)


def _sweep_staging(store: Path) -> None:
    """Forget candidates older than a day (validated but never published, or left by a crash)."""
    root = store / STAGING
    if not root.is_dir():
        return
    for entry in root.iterdir():
        if time.time() - entry.stat().st_mtime > STAGE_MAX_AGE_S:
            shutil.rmtree(entry, ignore_errors=True)


def stage(store: Path, src: Path, name: str, opts: importing.Options) -> Staged:
    """Check the file at ``src`` (offered as ``name``) against the published version and keep the
    candidate in the store's staging area. Nothing published changes."""
    store = Path(store)
    ensure_initialised(store)
    _sweep_staging(store)
    token = secrets.token_hex(16)
    folder = staging_dir(store, token)
    folder.mkdir(parents=True)
    base = current_id(store)  # read once: the candidate is built on exactly the version publish will check
    report = importing.build(src, name, version_dir(store, base) / DATA_FILE, folder, opts)
    if not report.ok:
        shutil.rmtree(folder, ignore_errors=True)
        return Staged(None, report)
    _write_json(folder / STAGE_FILE, {"base": base, "source": report.file, "report": report.to_dict()})
    return Staged(token, report)


def publish(store: Path, token: str, note: str = "") -> str:
    """Publish the staged candidate ``token`` as a new version; returns its id.

    Refused if another version was published since the candidate was checked (it was built on
    the old one and would silently undo the newer change).
    """
    store = Path(store)
    folder = staging_dir(store, token)
    with locked(store):
        try:
            stage_info = json.loads((folder / STAGE_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise DataError("staged upload not found (expired or already published)") from None
        if stage_info["base"] != current_id(store):
            raise DataError("the published data changed since this file was checked: check it again")
        return _commit(store, folder, stage_info["source"], note, stage_info["base"])


def rollback(store: Path, version_id: str) -> None:
    """Publish the earlier version ``version_id`` again (its files are unchanged)."""
    store = Path(store)
    with locked(store):
        if not (version_dir(store, version_id) / DATA_FILE).is_file():
            raise DataError(f"no version {version_id} in {store}")
        _settle(store)
        if _interrupted(store, version_id):
            raise DataError(f"version {version_id} was never published (its import stopped before the switch), "
                            "so it cannot be restored; import its source file again")
        write_pointer(store, version_id)


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


def data_edition(gpkg: Path | str) -> DataEdition:
    """The edition of the GeoPackage ``gpkg`` (a :attr:`Dataset.path`): a store version's publish date and note
    from its ``version.json``; otherwise the date the file was built (its modification date)."""
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
