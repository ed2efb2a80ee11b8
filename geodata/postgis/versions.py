"""Versions in the database: stage a checked candidate, publish it in one transaction, list, roll back.

A publish, under the store's advisory lock and in one transaction: creates the schema of the next version,
writes every layer of the candidate into it, reads each back to record its content hash, inserts the version's
row and only then switches the ``kaihua.current`` row. Until the commit no other session sees any of it; a
process killed at any moment (or a failed write) rolls all of it back, so readers keep the version they had.

Candidates are checked by the GeoPackage importer (:func:`geodata.importing.build` on the published version) and
kept in ``kaihua.staged`` (so the publish may come from another worker or server); candidates older than a day
are swept at the next import.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from geodata import db, importing
from geodata.dataset import Dataset
from geodata.errors import DatabaseUnavailable, DataError
from geodata.postgis import guard
from geodata.postgis import layers as pg_layers
from geodata.postgis import tables as t
from geodata.schema import LAYERS
from geodata.store import SHIPPED, STAGE_TOKEN, VERSION_ID
from geodata.versions import PAUSE_HOOK, STAGE_MAX_AGE_S, DataEdition, Staged, VersionInfo


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _unreachable(exc: sa.exc.SQLAlchemyError) -> DataError:
    """A clear error for a database that cannot be used (the URL is never echoed: it may hold a password);
    :class:`DatabaseUnavailable` when the server cannot be reached (the app answers 503 for it)."""
    if isinstance(exc, db.UNREACHABLE):
        return DatabaseUnavailable(db.unusable(db.reason(exc)))
    return DataError(f"the database cannot be used ({type(exc).__name__}: {str(exc.orig or exc).splitlines()[0]})"
                     if isinstance(exc, sa.exc.DBAPIError) else f"the database cannot be used ({exc})")


def current_id(url: str) -> str | None:
    """The id of the published version (None while the database holds none); read from the database now."""
    try:
        with db.guarded(url), db.engine(url).connect() as conn:
            return conn.execute(sa.select(t.current.c.version_id)).scalar_one_or_none()
    except sa.exc.ProgrammingError:
        return None  # the tables do not exist yet: nothing was ever published
    except sa.exc.SQLAlchemyError as exc:
        raise _unreachable(exc) from None


def version_row(url: str, version_id: str) -> sa.Row | None:
    """The row of ``version_id`` in ``kaihua.versions`` (without the uploaded file), or None."""
    if not VERSION_ID.match(version_id or ""):
        raise DataError(f"'{version_id}' is not a version id (expected v0001, v0002, ...)")
    cols = [c for c in t.versions.c if c.name != "upload"]
    try:
        with db.guarded(url), db.engine(url).connect() as conn:
            return conn.execute(sa.select(*cols).where(t.versions.c.id == version_id)).one_or_none()
    except sa.exc.ProgrammingError:
        return None
    except sa.exc.SQLAlchemyError as exc:
        raise _unreachable(exc) from None


def open_version(url: str, version_id: str) -> Dataset:
    """The dataset of ``version_id`` (layers read on first use, each checked against its recorded hash)."""
    row = version_row(url, version_id)
    if row is None:
        raise DataError(f"no version {version_id} in the database")
    return Dataset(pg_layers.PostgisLayers(url, version_id, row.layers, row.content))


def open_served(url: str, version_id: str, previous: Dataset | None = None) -> Dataset:
    """The dataset of ``version_id`` read in full and checked, to be served (see :mod:`geodata.postgis.guard`).

    A version still as its publish committed it (or already checked in full at its stamp by this process) is
    not hashed again, and its layers with the same content as those of ``previous`` (the version this process
    served until now) are taken from it instead of being read: a publish that changed one layer costs a server
    one read of that layer. A lasting problem found (a changed or missing table) is remembered for the version's
    stamp, so that while nothing else changes, asking again answers at once instead of reading the whole version
    every time."""
    row = version_row(url, version_id)
    if row is None:
        raise DataError(f"no version {version_id} in the database")
    at = guard.stamp(url, version_id, list(row.layers))  # taken before any layer is read
    known, problem = guard.finding(url, version_id, at)
    if known and problem:
        raise DataError(problem)
    source = pg_layers.PostgisLayers(url, version_id, row.layers, row.content, trusted=known,
                                     reuse=pg_layers.held_layers(previous))
    try:
        ds = Dataset(source).load_all()
    except pg_layers.Unreachable:
        raise  # the database did not answer: nothing learnt about the version
    except DataError as exc:
        guard.remember(url, version_id, at, str(exc))
        raise
    guard.remember(url, version_id, at, None)
    return ds


def _next_id(conn: sa.Connection) -> str:
    ids = [int(i[1:]) for i in conn.execute(sa.select(t.versions.c.id)).scalars() if VERSION_ID.match(i)]
    return f"v{max(ids, default=0) + 1:04d}"


def _write_version(conn: sa.Connection, candidate: Dataset, source: str, note: str, base: str | None,
                   upload: tuple[str | None, bytes | None]) -> str:
    """Write ``candidate`` as the next version and switch the current row to it, in ``conn``'s transaction."""
    vid = _next_id(conn)
    conn.execute(sa.schema.CreateSchema(vid))
    recorded = {}
    geometry_types = candidate.source.list_layers()
    for name in LAYERS:
        if name not in candidate.available:
            continue
        frame = candidate.layer(name)
        pg_layers.write_layer(conn, vid, name, frame)
        recorded[name] = pg_layers.describe(conn, vid, name, frame, geometry_types.get(name))
    guard.install(conn, vid, list(recorded))  # from now on every write to these tables moves the version's stamp
    conn.execute(sa.insert(t.versions).values(
        id=vid, created=_now(), source=source, note=note, base=base, layers=recorded,
        content=pg_layers.content_hash(recorded), upload_name=upload[0], upload=upload[1]))
    guard.record_published(conn, vid, list(recorded))  # last write to what the stamp covers: what readers find
    if marker := os.environ.get(PAUSE_HOOK):  # test hook: everything written, nothing switched or committed
        Path(marker).write_text(vid)
        time.sleep(3600)
    switch = insert(t.current).values(one=True, version_id=vid)
    conn.execute(switch.on_conflict_do_update(index_elements=[t.current.c.one], set_={"version_id": vid}))
    conn.execute(sa.select(sa.func.pg_notify("kaihua_version", vid)))  # listeners may act at once; polls catch up
    return vid


def ensure_initialised(url: str) -> None:
    """An empty database starts from the shipped dataset, published as the first version."""
    if current_id(url) is not None:
        return  # the usual case: no need to read the shipped file
    publish_file(url, SHIPPED, "geodata/data/kaihua.gpkg", "shipped dataset (illustrative)", only_if_empty=True)


def publish_file(url: str, gpkg: Path, source: str, note: str = "", only_if_empty: bool = False) -> str | None:
    """Publish the complete dataset file ``gpkg`` (checked against the schema as it is read, not merged with the
    published version: the shipped dataset, or a province built by ``geodata.build.province``) as the next
    version, in one transaction; its id (None if ``only_if_empty`` and a version was published already).

    Files offered by users go through :func:`stage` and :func:`publish`, which validate them fully."""
    candidate = Dataset(Path(gpkg)).load_all()
    eng = db.engine(url)
    try:
        t.ensure_tables(eng)
        with eng.begin() as conn:
            t.lock(conn)
            base = conn.execute(sa.select(t.current.c.version_id)).scalar_one_or_none()
            if only_if_empty and base is not None:
                return None
            return _write_version(conn, candidate, source, note, base, (None, None))
    except sa.exc.SQLAlchemyError as exc:
        raise _unreachable(exc) from None


def _sweep(conn: sa.Connection) -> None:
    """Forget candidates validated more than a day ago and never published."""
    conn.execute(sa.delete(t.staged).where(t.staged.c.created < time.time() - STAGE_MAX_AGE_S))


def stage(url: str, src: Path, name: str, opts: importing.Options) -> Staged:
    """Check the file at ``src`` (offered as ``name``) against the published version and keep the candidate in
    ``kaihua.staged``. Nothing published changes."""
    ensure_initialised(url)
    base = current_id(url)
    base_ds = open_served(url, base)  # checked: a damaged base would make a damaged candidate
    with tempfile.TemporaryDirectory(prefix="kaihua-stage-") as work:
        report = importing.build(src, name, base_ds, Path(work), opts)
        if not report.ok:
            return Staged(None, report)
        token = secrets.token_hex(16)
        upload = next(Path(work, importing.SOURCE_DIR).glob("upload.*"), None)
        try:
            with db.engine(url).begin() as conn:
                _sweep(conn)
                conn.execute(sa.insert(t.staged).values(
                    token=token, base=base, source=report.file, created=time.time(), report=report.to_dict(),
                    candidate=Path(work, "kaihua.gpkg").read_bytes(),
                    upload_name=upload.name if upload else None, upload=upload.read_bytes() if upload else None))
        except sa.exc.SQLAlchemyError as exc:
            raise _unreachable(exc) from None
    return Staged(token, report)


def _claim(url: str, token: str) -> sa.Row:
    """Take the staged candidate ``token`` out of ``kaihua.staged`` (committed at once: a publish that is then
    stopped leaves no candidate behind, as a stopped GeoPackage publish leaves no staging folder); refused,
    with the candidate kept, if another version was published since it was checked."""
    with db.engine(url).begin() as conn:
        t.lock(conn)
        row = conn.execute(sa.select(t.staged).where(t.staged.c.token == token)).one_or_none()
        if row is None:
            raise DataError("staged upload not found (expired or already published)")
        if row.base != conn.execute(sa.select(t.current.c.version_id)).scalar_one_or_none():
            raise DataError("the published data changed since this file was checked: check it again")
        conn.execute(sa.delete(t.staged).where(t.staged.c.token == token))
        return row


def publish(url: str, token: str, note: str = "") -> str:
    """Publish the staged candidate ``token`` as a new version, in one transaction; returns its id.

    Refused if another version was published since the candidate was checked."""
    if not STAGE_TOKEN.match(token or ""):
        raise DataError("unknown staged upload")
    try:
        t.ensure_tables(db.engine(url))
        row = _claim(url, token)
        with tempfile.TemporaryDirectory(prefix="kaihua-publish-") as work:
            path = Path(work, "kaihua.gpkg")
            path.write_bytes(row.candidate)
            candidate = Dataset(path).load_all()
            with db.engine(url).begin() as conn:
                t.lock(conn)
                if row.base != conn.execute(sa.select(t.current.c.version_id)).scalar_one_or_none():
                    raise DataError("the published data changed since this file was checked: check it again")
                return _write_version(conn, candidate, row.source, note, row.base, (row.upload_name, row.upload))
    except sa.exc.SQLAlchemyError as exc:
        raise _unreachable(exc) from None


def check_restorable(url: str, version_id: str) -> None:
    """Raise :class:`DataError` unless every layer of ``version_id`` reads back as it was published."""
    try:
        open_version(url, version_id).load_all()
    except DataError as exc:
        raise DataError(f"version {version_id} is damaged, so it is not published again ({exc})") from None


def rollback(url: str, version_id: str) -> None:
    """Publish the earlier version ``version_id`` again; refused (the current row unchanged) if it is missing or
    its tables changed since it was published."""
    if version_row(url, version_id) is None:
        raise DataError(f"no version {version_id} in the database")
    check_restorable(url, version_id)
    try:
        with db.engine(url).begin() as conn:
            t.lock(conn)
            conn.execute(sa.update(t.current).values(version_id=version_id))
            conn.execute(sa.select(sa.func.pg_notify("kaihua_version", version_id)))
    except sa.exc.SQLAlchemyError as exc:
        raise _unreachable(exc) from None


def list_versions(url: str) -> list[VersionInfo]:
    """Every published version, newest first."""
    cur = current_id(url)
    if cur is None:
        return []
    with db.engine(url).connect() as conn:
        rows = conn.execute(sa.select(t.versions.c.id, t.versions.c.created, t.versions.c.source,
                                      t.versions.c.note, t.versions.c.layers).order_by(t.versions.c.id.desc()))
        return [VersionInfo(r.id, r.created, r.source, r.note or "",
                            {name: int(info["rows"]) for name, info in r.layers.items()}, r.id == cur) for r in rows]


def edition(where: pg_layers.DatabaseVersion) -> DataEdition:
    """The edition of a version as a person reads it: its publish date and note."""
    row = version_row(where.url, where.version_id)
    if row is None:
        return DataEdition(where.version_id, "", "")
    return DataEdition(where.version_id, str(row.created)[:10], str(row.note or "")[:80])

