"""Is a published PostGIS version still as it was published? A cheap stamp decides when to look again.

Hashing every layer of a version (what :class:`geodata.postgis.layers.PostgisLayers` does as it reads them) costs
as much as reading the whole version, about a second on the county data and far more on a province. The app
must still notice a table changed behind its back while it serves (a stray ``UPDATE``, a failed restore), so a
served version is checked again every :data:`geodata.postgis.store.POLL_S` seconds; that check is the stamp
below, one catalog query, and the full hash check runs only when the stamp differs from the one last checked.

The stamp of version ``v0003`` is a digest of:

- the ``xmin`` (id of the transaction that last wrote the row) of the ``kaihua.changes`` row of ``v0003``: the
  trigger :data:`TRIGGER`, installed ``ENABLE ALWAYS`` on every layer table at publish, counts every
  ``INSERT``/``UPDATE``/``DELETE``/``TRUNCATE`` statement there (so even ``session_replication_role = replica``
  does not silence it); a new transaction always has a new xid, so a reset count is seen too;
- the catalog rows of the schema's relations (``pg_class``: oid, kind, file node, ``xmin``), their columns
  (``pg_attribute``), triggers (``pg_trigger``: dropping or disabling the trigger is itself a change), row
  security policies (``pg_policy``) and rules (``pg_rewrite``): ``ALTER``, ``DROP``, ``TRUNCATE`` or
  ``VACUUM FULL`` all rewrite some of these (a plain ``VACUUM``/``ANALYZE`` updates ``pg_class`` in place and
  keeps its ``xmin``, so it costs nothing);
- the ``xmin`` of the version's row in ``kaihua.versions`` (the recorded hashes themselves).

A stamp that changed for a harmless reason (a ``VACUUM FULL``, a ``GRANT``) only costs one full check. What the
stamp cannot see is a byte changed beneath PostgreSQL in its own files: that is what PostgreSQL's data checksums
(``initdb --data-checksums``) are for; a rollback always runs the full check.

A publish records the stamp its version will have once committed (``kaihua.published``), taken after it read
back and hashed every table it wrote. A process that finds a version at that stamp needs no full check: nothing
has been written to its tables since their hashes were taken. So a new version is served after one read of its
tables (and none of the tables a process already holds with the same content, see
:func:`geodata.postgis.versions.open_served`), not a read and a hash of every one.

A version published before the trigger existed is guarded at its first check (the trigger installed, then
checked in full); if this role may not install it, every check is a full one (logged once).
"""

from __future__ import annotations

import logging
import threading

import sqlalchemy as sa

from geodata import db
from geodata.errors import DataError
from geodata.postgis import layers as pg_layers
from geodata.postgis import tables as t

log = logging.getLogger(__name__)

TRIGGER = "kaihua_changed"

# One round trip: a digest of the catalog rows of the version's schema (columns, triggers, policies and rules
# of its tables; every relation, indexes too), of its row in kaihua.versions and of its kaihua.changes row
# (labelled, so a missing row reads differently from any present one); plus the names of the tables whose
# trigger is installed and enabled always ('A'). md5 is only a digest of catalog text here, not a content hash.
STAMP_SQL = sa.text("""
WITH rel AS (
    SELECT c.oid, c.relname, c.relkind, c.relfilenode, c.xmin::text AS x
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :vid),
tab AS (SELECT oid, relname FROM rel WHERE relkind <> 'i')
SELECT
    md5(concat_ws(';',
        (SELECT string_agg(relname || '/' || relkind::text || '/' || oid || '/' || relfilenode || '/' || x, ','
                           ORDER BY relname) FROM rel),
        (SELECT string_agg(a.attrelid || '.' || a.attnum || '/' || a.xmin::text, ',' ORDER BY a.attrelid, a.attnum)
         FROM pg_attribute a JOIN tab ON a.attrelid = tab.oid WHERE a.attnum > 0),
        (SELECT string_agg(g.tgrelid || '/' || g.tgname || '/' || g.tgenabled::text || '/' || g.xmin::text, ','
                           ORDER BY g.tgrelid, g.tgname) FROM pg_trigger g JOIN tab ON g.tgrelid = tab.oid),
        (SELECT string_agg(p.oid || '/' || p.xmin::text, ',' ORDER BY p.oid)
         FROM pg_policy p JOIN tab ON p.polrelid = tab.oid),
        (SELECT string_agg(r.oid || '/' || r.xmin::text, ',' ORDER BY r.oid)
         FROM pg_rewrite r JOIN tab ON r.ev_class = tab.oid),
        (SELECT 'record/' || v.xmin::text FROM kaihua.versions v WHERE v.id = :vid),
        (SELECT 'changes/' || ch.xmin::text || '/' || ch.n FROM kaihua.changes ch WHERE ch.version_id = :vid)
    )) AS catalog,
    (SELECT array_agg(tab.relname::text) FROM tab JOIN pg_trigger g ON g.tgrelid = tab.oid
     WHERE g.tgname = :trigger AND g.tgenabled = 'A') AS guarded
""")

# (url, version id) -> (stamp, problem or None): what the last full check found at that stamp, in this process.
_checked: dict[tuple[str, str], tuple[str, str | None]] = {}
_checked_lock = threading.Lock()
_unguardable: set[tuple[str, str]] = set()  # versions this role could not guard (warned once)


def install(conn: sa.Connection, version_id: str, names: list[str]) -> None:
    """Install :data:`TRIGGER` on the layer tables ``names`` of ``version_id``, inside ``conn``'s transaction
    (at publish: after the rows are written, so writing them counts nothing)."""
    quote = conn.dialect.identifier_preparer.quote
    for name in names:
        table = f"{quote(version_id)}.{quote(name)}"
        conn.execute(sa.DDL(f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                            "FOR EACH STATEMENT EXECUTE FUNCTION kaihua.note_change()"))
        conn.execute(sa.DDL(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {TRIGGER}"))


def stamp_in(conn: sa.Connection, version_id: str, names: list[str]) -> str | None:
    """The stamp of ``version_id`` as ``conn`` sees it (inside a publish: what it is about to commit), or None
    while one of its layer tables lacks the enabled trigger."""
    row = conn.execute(STAMP_SQL, {"vid": version_id, "trigger": TRIGGER}).one()
    if not set(names) <= set(row.guarded or ()):
        return None
    return row.catalog


def _read_stamp(url: str, version_id: str, names: list[str]) -> str | None:
    """The stamp of ``version_id`` now, or None while one of its layer tables lacks the enabled trigger."""
    with db.engine(url).connect() as conn:
        return stamp_in(conn, version_id, names)


def record_published(conn: sa.Connection, version_id: str, names: list[str]) -> None:
    """Record, inside the publish's transaction and after every table of ``version_id`` was written, read back,
    hashed and guarded, the stamp the version will have once committed (see :func:`as_published`)."""
    found = stamp_in(conn, version_id, names)
    if found is not None:
        conn.execute(sa.insert(t.published).values(version_id=version_id, stamp=found))


def as_published(url: str, version_id: str, at: str | None) -> bool:
    """Whether ``version_id`` is at stamp ``at`` still as its publish committed it: nothing was written to its
    tables and no catalog row of them changed since they were hashed, so their recorded hashes hold without
    reading them. False for a version published before the stamp was recorded (and for ``at`` None)."""
    if at is None:
        return False
    try:
        with db.engine(url).connect() as conn:
            recorded = conn.execute(sa.select(t.published.c.stamp)
                                    .where(t.published.c.version_id == version_id)).scalar_one_or_none()
    except sa.exc.ProgrammingError:
        return False  # a database whose tables predate kaihua.published
    except sa.exc.SQLAlchemyError as exc:
        raise pg_layers.Unreachable(f"postgis:{version_id}: cannot be checked ({type(exc).__name__})") from None
    return recorded == at


def _guard_old_version(url: str, version_id: str, names: list[str]) -> None:
    """Install the trigger on a version published before it existed (under the store's lock; tables that have
    it already are left alone). A role that may not is logged once; its checks stay full ones."""
    try:
        t.ensure_tables(db.engine(url))
        with db.engine(url).begin() as conn:
            t.lock(conn)
            have = conn.execute(STAMP_SQL, {"vid": version_id, "trigger": TRIGGER}).one().guarded or ()
            missing = [n for n in names if n not in have]
            # a trigger present but disabled: replace it (dropping it is a catalog change the stamp records)
            quote = conn.dialect.identifier_preparer.quote
            for name in missing:
                conn.execute(sa.DDL(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(version_id)}.{quote(name)}"))
            install(conn, version_id, missing)
    except sa.exc.SQLAlchemyError as exc:
        if (url, version_id) not in _unguardable:
            _unguardable.add((url, version_id))
            log.warning("version %s cannot be guarded (%s): every check of it reads it in full",
                        version_id, type(exc).__name__)


def stamp(url: str, version_id: str, names: list[str]) -> str | None:
    """The stamp of ``version_id`` (whose layer tables are ``names``), guarding it first if it is not; None if
    it cannot be guarded. :class:`DataError` if the database cannot be read."""
    try:
        found = _read_stamp(url, version_id, names)
        if found is None and (url, version_id) not in _unguardable:
            _guard_old_version(url, version_id, names)
            found = _read_stamp(url, version_id, names)
    except sa.exc.SQLAlchemyError as exc:
        raise pg_layers.Unreachable(f"postgis:{version_id}: cannot be checked ({type(exc).__name__})") from None
    return found


def full_check(url: str, version_id: str, layers: dict[str, dict]) -> str | None:
    """Read every layer of ``version_id`` and compare its hash with the recorded one: the problem, or None;
    :class:`~geodata.postgis.layers.Unreachable` if the database does not answer."""
    where = pg_layers.DatabaseVersion(url, version_id)
    for name, info in layers.items():
        try:
            with db.engine(url).connect() as conn:
                frame = pg_layers.read_raw(conn, version_id, name, info)
        except sa.exc.SQLAlchemyError as exc:
            error = pg_layers.read_error(where, name, exc)
            if isinstance(error, pg_layers.Unreachable):
                raise error from None  # the database did not answer: nothing learnt about the version
            return str(error)
        if pg_layers.frame_sha256(frame) != info["sha256"]:
            return pg_layers.changed_message(where, name)
    return None


def remembered(url: str, version_id: str, at: str | None) -> tuple[bool, str | None]:
    """``(known, problem)``: whether a full check of ``version_id`` already ran at stamp ``at``, and what it
    found. Never known for ``at`` None (an unguarded version is checked in full every time)."""
    with _checked_lock:
        held = _checked.get((url, version_id))
    if at is None or held is None or held[0] != at:
        return False, None
    return True, held[1]


def remember(url: str, version_id: str, at: str | None, problem: str | None) -> None:
    """Keep what a full check of ``version_id`` found at stamp ``at`` (taken before the check read anything)."""
    if at is None:
        return
    with _checked_lock:
        _checked[(url, version_id)] = (at, problem)


def finding(url: str, version_id: str, at: str | None) -> tuple[bool, str | None]:
    """``(known, problem)`` for ``version_id`` at stamp ``at`` without reading its tables: what a full check of
    this process found at that stamp, or, at the stamp its publish recorded, that it is as published (kept as
    this process's finding from then on). Not known: a full check must read it."""
    known, problem = remembered(url, version_id, at)
    if not known and as_published(url, version_id, at):
        remember(url, version_id, at, None)
        return True, None
    return known, problem


def check(url: str, version_id: str, layers: dict[str, dict]) -> None:
    """Raise :class:`DataError` unless ``version_id`` is as published: one catalog query when its stamp is the
    one last checked in this process, else a full check (whose finding is kept for that stamp)."""
    at = stamp(url, version_id, list(layers))  # before reading: a later change moves the stamp again
    known, problem = finding(url, version_id, at)
    if not known:
        problem = full_check(url, version_id, layers)
        remember(url, version_id, at, problem)
    if problem:
        raise DataError(problem)


def forget_checks() -> None:
    """Forget every finding (tests; a process that must read everything again)."""
    with _checked_lock:
        _checked.clear()
    _unguardable.clear()
