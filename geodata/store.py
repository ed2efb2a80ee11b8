"""The data store on disk: where each version lives and which one is published.

::

    <store>/
        CURRENT                  id of the published version, one line; replaced atomically
        versions/<id>/kaihua.gpkg    a complete dataset (never changed once published)
        versions/<id>/version.json   id, time, source file, note, row counts, sha256 of every file
        versions/<id>/source/        the file the version was imported from, kept as uploaded
                                     (a published version's files are read-only, mode 0444)
        staging/<token>/             candidates being validated (never read by the app)
        .lock                        held by whoever publishes or rolls back

This module only names paths and reads or swaps the pointer; it never imports the dataset code,
so that ``geodata.dataset`` can resolve a store cheaply (one small file read per call).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

from geodata.errors import DataError

SHIPPED = Path(__file__).resolve().parent / "data" / "kaihua.gpkg"
PROJECT = Path(__file__).resolve().parents[1]
POINTER = "CURRENT"
DATA_FILE = "kaihua.gpkg"
INFO_FILE = "version.json"
VERSIONS = "versions"
STAGING = "staging"
VERSION_ID = re.compile(r"^v\d{4,}$")
STAGE_TOKEN = re.compile(r"^[0-9a-f]{32}$")
CHECKSUMS = "sha256"  # key in version.json: relative file path -> sha256 hex digest
UNCHECKED = frozenset({INFO_FILE, "pending", "stage.json"})  # bookkeeping files, not the version's content
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def is_store(path: Path | str) -> bool:
    """A store is a directory (or a path not ending in ``.gpkg`` that does not exist yet)."""
    p = Path(path)
    return p.is_dir() or (not p.exists() and p.suffix.lower() != ".gpkg")


def current_id(store: Path) -> str | None:
    """The id of the published version, or None while the store is empty."""
    try:
        text = (Path(store) / POINTER).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    if not VERSION_ID.match(text):
        raise DataError(f"{store}: pointer file {POINTER} is damaged ({text[:20]!r})")
    return text


def version_dir(store: Path, version_id: str) -> Path:
    """The folder of ``version_id`` (checked: an id never names a path outside the store)."""
    if not VERSION_ID.match(version_id or ""):
        raise DataError(f"'{version_id}' is not a version id (expected v0001, v0002, ...)")
    return Path(store) / VERSIONS / version_id


def staging_dir(store: Path, token: str) -> Path:
    """The folder of a staged candidate (the token comes from a client: checked)."""
    if not STAGE_TOKEN.match(token or ""):
        raise DataError("unknown staged upload")
    return Path(store) / STAGING / token


def resolve(path: Path | str) -> Path:
    """The GeoPackage ``path`` names: a ``.gpkg`` file as it is, a store its published version
    (the shipped dataset while the store is empty)."""
    p = Path(path)
    if not is_store(p):
        return p
    vid = current_id(p)
    return SHIPPED if vid is None else version_dir(p, vid) / DATA_FILE


def file_sha256(path: Path) -> str:
    """The sha256 hex digest of the file at ``path``, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_files(folder: Path) -> list[str]:
    """The version's own files under ``folder`` (relative, POSIX), without the bookkeeping ones."""
    out = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            rel = Path(root, name).relative_to(folder).as_posix()
            if rel not in UNCHECKED:
                out.append(rel)
    return sorted(out)


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of every content file of the version folder ``folder`` (recorded in version.json)."""
    return {rel: file_sha256(folder / rel) for rel in content_files(folder)}


def make_read_only(folder: Path) -> None:
    """Published files are never changed: take away every write bit (folders stay writable for clean-up)."""
    for rel in content_files(folder) + [INFO_FILE]:
        if (folder / rel).is_file():
            os.chmod(folder / rel, READ_ONLY)


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


@lru_cache(maxsize=64)
def _verified(folder: str, files: tuple[str, ...], stamp: tuple) -> str | None:
    """The problem with ``files`` of the version folder, or None; cached per file version (``stamp``)."""
    root = Path(folder)
    try:
        info = json.loads((root / INFO_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"{root.name}: {INFO_FILE} is missing (not a complete version)"
    except ValueError as exc:
        return f"{root.name}: {INFO_FILE} is damaged ({exc})"
    recorded = info.get(CHECKSUMS)
    if recorded is None:
        return None  # published before checksums were recorded: nothing to check against
    for rel in files or tuple(recorded):
        if rel not in recorded:
            continue
        if not (root / rel).is_file():
            return f"{root.name}/{rel} is missing"
        if file_sha256(root / rel) != recorded[rel]:
            return f"{root.name}/{rel} changed on disk after it was published (sha256 differs from {INFO_FILE})"
    return None


def verify(folder: Path, files: Iterable[str] = ()) -> None:
    """Raise :class:`DataError` if a file of the version folder differs from its recorded checksum.

    ``files`` limits the check (default: every recorded file). Each file is hashed once per file version
    (size, mtime, inode): checking on every request costs a few ``stat`` calls.
    """
    folder = Path(folder)
    files = tuple(files)
    stamp = tuple(_stat_key(folder / rel) for rel in (INFO_FILE, *files))
    if not files:
        stamp += tuple(_stat_key(folder / rel) for rel in content_files(folder))
    problem = _verified(str(folder), files, stamp)
    if problem:
        raise DataError(problem)


def published(store: Path) -> Path:
    """The data file of the published version of ``store``, checked against its checksum (the shipped
    dataset while the store is empty); :class:`DataError` naming the problem if it is damaged."""
    vid = current_id(store)
    if vid is None:
        return SHIPPED
    folder = version_dir(store, vid)
    verify(folder, [DATA_FILE])
    return folder / DATA_FILE


def fsync_dir(path: Path) -> None:
    """Make a rename or a new entry in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, sync_dir: bool = True) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, never a part: a temporary
    file beside it, flushed, then renamed over it (and, with ``sync_dir``, the rename made durable)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync_dir:
        fsync_dir(path.parent)


def fsync_tree(path: Path) -> None:
    """Flush every file and folder below ``path`` to disk (before it is made visible)."""
    for root, _dirs, files in os.walk(path):
        for name in files:
            with open(os.path.join(root, name), "rb") as fh:
                os.fsync(fh.fileno())
        fsync_dir(Path(root))


def write_pointer(store: Path, version_id: str) -> None:
    """Publish ``version_id``: write the new pointer beside the old one, then swap it in.

    ``os.replace`` is atomic: a reader sees the old pointer or the new one, never a mix; a crash
    before it leaves the old pointer untouched.
    """
    version_dir(store, version_id)  # checks the id
    store = Path(store)
    tmp = store / f".{POINTER}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="ascii") as fh:
            fh.write(version_id + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, store / POINTER)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written pointer behind
        raise
    fsync_dir(store)


@contextlib.contextmanager
def locked(store: Path) -> Iterator[None]:
    """Hold the store's lock: one publish or rollback at a time, across processes."""
    store = Path(store)
    (store / VERSIONS).mkdir(parents=True, exist_ok=True)
    with open(store / ".lock", "a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def default_store(environ: Mapping[str, str]) -> Path:
    """The store named by the environment: ``KAIHUA_DATA`` if it names a store, else
    ``KAIHUA_DATA_STORE``, else ``var/data`` in the project folder (git-ignored)."""
    data = environ.get("KAIHUA_DATA")
    if data and is_store(data):
        return Path(data)
    return Path(environ.get("KAIHUA_DATA_STORE") or PROJECT / "var" / "data")
