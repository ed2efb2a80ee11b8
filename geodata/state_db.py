"""The app's own state in PostgreSQL, when ``DATABASE_URL`` is set: users, the audit log, the briefing's versions
and the wall settings (the datasets' tables are :mod:`geodata.db`'s other users, not these).

The modules that own each kind of state (``dashboard.users``, :mod:`geodata.audit`, :mod:`geodata.briefing_store`,
:mod:`geodata.wall_settings`) keep their checks and their file implementation; they call the functions here when
the *location* they are given is a database URL instead of a folder (:func:`is_database_url`). Tables are created
on first use in a process (``CREATE TABLE IF NOT EXISTS`` under an advisory lock, so two servers starting at once
do not race). Every statement is SQLAlchemy Core with bound parameters: nothing is built from input.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from psycopg.errors import UndefinedTable
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError, ProgrammingError, SQLAlchemyError

from geodata.db import engine, guarded, is_database_url
from geodata.errors import DatabaseUnavailable

__all__ = ["Location", "StateUnavailable", "is_database_url"]

Location = Path | str  # a folder (the file implementation) or a ``postgresql://`` URL

METADATA = sa.MetaData()
USERS = sa.Table(
    "kb_users", METADATA,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("hash", sa.Text, nullable=False),
)
AUDIT = sa.Table(
    "kb_audit", METADATA,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),  # the order entries were written in
    sa.Column("time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("who", sa.String(64), nullable=False),
    sa.Column("address", sa.String(64), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
)
BRIEFING_VERSIONS = sa.Table(
    "kb_briefing_versions", METADATA,
    sa.Column("name", sa.String(32), primary_key=True),  # v0001.yaml, as the file store names them
    sa.Column("number", sa.Integer, nullable=False, unique=True),
    sa.Column("content", sa.LargeBinary, nullable=False),  # the file as uploaded
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    sa.Column("meta", sa.Text, nullable=True),  # JSON: who, note, source (the file store's vNNNN.yaml.meta.json)
)
BRIEFING_CURRENT = sa.Table(  # one row: the published version (the file store's CURRENT)
    "kb_briefing_current", METADATA,
    sa.Column("slot", sa.SmallInteger, primary_key=True),
    sa.Column("name", sa.String(32), sa.ForeignKey(BRIEFING_VERSIONS.c.name), nullable=False),
)
WALL_SETTINGS = sa.Table(  # one row: the JSON text of wall.json
    "kb_wall_settings", METADATA,
    sa.Column("slot", sa.SmallInteger, primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("updated", sa.DateTime(timezone=True), nullable=False),
)
SECRETS = sa.Table(  # generated once and shared by every server: the session cookies' signing key
    "kb_secrets", METADATA,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
SLOT = 1
T = TypeVar("T")
# pg_advisory_xact_lock keys: one for creating the tables, one for numbering briefing versions
_CREATE_LOCK = zlib.crc32(b"kaihua-state-tables")
_BRIEFING_LOCK = zlib.crc32(b"kaihua-briefing-publish")
_ready: set[str] = set()  # URLs whose tables this process has made sure of (a fact, not data)
_ready_lock = threading.Lock()


class StateUnavailable(OSError):
    """The database could not be reached or refused a write (an OSError, as a full disk would be for files)."""

    def __init__(self, what: str, exc: Exception) -> None:
        super().__init__(f"{what}: the database answered {type(exc).__name__}")
        self.strerror = f"database unavailable ({type(exc).__name__})"


def _engine(url: str) -> sa.Engine:
    """The engine of ``url``, with the state tables created if this process has not yet made sure of them."""
    eng = engine(str(url))
    if url not in _ready:
        with _ready_lock:
            if url not in _ready:
                with eng.begin() as conn:
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_CREATE_LOCK)))
                    METADATA.create_all(conn, checkfirst=True)
                _ready.add(url)
    return eng


def _tables(fn: Callable[..., T]) -> Callable[..., T]:
    """Run ``fn(url, ...)`` (:class:`~geodata.errors.DatabaseUnavailable` if the server cannot be reached); if
    its tables have gone since this process made them (a database dropped and made
    again under the same URL), make them again and run it once more."""

    @functools.wraps(fn)
    def wrapper(url: str, *args, **kwargs):
        # guarded: a database that cannot be reached is DatabaseUnavailable (503 in the app), logged once
        with guarded(url):
            try:
                return fn(url, *args, **kwargs)
            except ProgrammingError as exc:
                if not isinstance(getattr(exc, "orig", None), UndefinedTable):
                    raise
                with _ready_lock:
                    _ready.discard(url)
                return fn(url, *args, **kwargs)

    return wrapper


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- users ---------------------------------------------------------------------------------------------------


@_tables
def user_entries(url: str) -> dict[str, dict[str, str]]:
    """Every user as ``{name: {"role": ..., "hash": ...}}`` (the shape of users.json)."""
    with _engine(url).connect() as conn:
        rows = conn.execute(sa.select(USERS.c.name, USERS.c.role, USERS.c.hash)).all()
    return {row.name: {"role": row.role, "hash": row.hash} for row in rows}


@_tables
def user_entry(url: str, name: str) -> dict[str, str] | None:
    with _engine(url).connect() as conn:
        row = conn.execute(sa.select(USERS.c.role, USERS.c.hash).where(USERS.c.name == name)).first()
    return {"role": row.role, "hash": row.hash} if row else None


@_tables
def insert_user(url: str, name: str, role: str, password_hash: str) -> bool:
    """Add a user; False if the name is taken (nothing changes)."""
    try:
        with _engine(url).begin() as conn:
            conn.execute(sa.insert(USERS).values(name=name, role=role, hash=password_hash))
    except IntegrityError:
        return False
    return True


@_tables
def update_user_hash(url: str, name: str, password_hash: str) -> bool:
    """Replace a user's password hash; False if there is no such user."""
    with _engine(url).begin() as conn:
        done = conn.execute(sa.update(USERS).where(USERS.c.name == name).values(hash=password_hash))
    return done.rowcount == 1


@_tables
def delete_user(url: str, name: str) -> bool:
    with _engine(url).begin() as conn:
        done = conn.execute(sa.delete(USERS).where(USERS.c.name == name))
    return done.rowcount == 1


# --- audit log -------------------------------------------------------------------------------------------


@_tables
def _insert_audit(url: str, entry: dict) -> None:
    with _engine(url).begin() as conn:
        conn.execute(sa.insert(AUDIT).values(
            time=dt.datetime.fromisoformat(entry["time"]), action=entry["action"][:32], who=entry["who"],
            address=entry["from"], detail=entry["detail"]))


def append_audit(url: str, entry: dict) -> None:
    """Write one audit entry (the dict :func:`geodata.audit.record` made); :class:`StateUnavailable` if it fails."""
    try:
        _insert_audit(url, entry)
    except (SQLAlchemyError, DatabaseUnavailable) as exc:
        raise StateUnavailable("audit entry not written", exc) from None


@_tables
def read_audit(url: str, last: int = 200) -> list[dict]:
    """The last ``last`` entries, oldest first, in the shape of audit.jsonl's lines."""
    query = sa.select(AUDIT).order_by(AUDIT.c.id.desc()).limit(max(int(last), 0))
    with _engine(url).connect() as conn:
        rows = conn.execute(query).all()
    return [{"time": row.time.astimezone(dt.UTC).isoformat(timespec="seconds"), "action": row.action,
             "who": row.who, "from": row.address, "detail": row.detail} for row in reversed(rows)]


# --- briefing versions -------------------------------------------------------------------------------------


@_tables
def briefing_versions(url: str) -> list[str]:
    with _engine(url).connect() as conn:
        return list(conn.scalars(sa.select(BRIEFING_VERSIONS.c.name).order_by(BRIEFING_VERSIONS.c.number)))


@_tables
def published_briefing(url: str) -> str | None:
    with _engine(url).connect() as conn:
        return conn.scalar(sa.select(BRIEFING_CURRENT.c.name).where(BRIEFING_CURRENT.c.slot == SLOT))


@_tables
def briefing_content(url: str, name: str) -> bytes | None:
    with _engine(url).connect() as conn:
        return conn.scalar(sa.select(BRIEFING_VERSIONS.c.content).where(BRIEFING_VERSIONS.c.name == name))


def _point_at(conn: sa.Connection, name: str) -> None:
    stmt = pg_insert(BRIEFING_CURRENT).values(slot=SLOT, name=name)
    conn.execute(stmt.on_conflict_do_update(index_elements=[BRIEFING_CURRENT.c.slot], set_={"name": name}))


@_tables
def publish_briefing(url: str, raw: bytes, suffix: str, meta: dict | None = None) -> str:
    """Keep ``raw`` as the next version (with ``meta``: who, note, source) and publish it, in one transaction;
    the version's name."""
    with _engine(url).begin() as conn:
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_BRIEFING_LOCK)))  # one numbering at a time
        number = (conn.scalar(sa.select(sa.func.max(BRIEFING_VERSIONS.c.number))) or 0) + 1
        name = f"v{number:04d}.{suffix}"
        conn.execute(sa.insert(BRIEFING_VERSIONS).values(
            name=name, number=number, content=raw, created=_now(),
            meta=json.dumps(meta or {}, ensure_ascii=False)))
        _point_at(conn, name)
    return name


@_tables
def briefing_meta(url: str) -> dict[str, dict]:
    """Each version's metadata (``created`` and what was kept with it), by version name."""
    with _engine(url).connect() as conn:
        rows = conn.execute(sa.select(BRIEFING_VERSIONS.c.name, BRIEFING_VERSIONS.c.created, BRIEFING_VERSIONS.c.meta))
        out = {}
        for name, created, meta in rows:
            try:
                kept = json.loads(meta) if meta else {}
            except ValueError:
                kept = {}
            out[name] = {**(kept if isinstance(kept, dict) else {}),
                         "created": created.isoformat(timespec="seconds")}
        return out


@_tables
def set_published_briefing(url: str, name: str) -> None:
    """Publish the existing version ``name`` again (a rollback)."""
    with _engine(url).begin() as conn:
        _point_at(conn, name)


# --- wall settings ---------------------------------------------------------------------------------------


@_tables
def wall_settings_text(url: str) -> str | None:
    """The wall settings' JSON text, None when none were saved."""
    with _engine(url).connect() as conn:
        return conn.scalar(sa.select(WALL_SETTINGS.c.body).where(WALL_SETTINGS.c.slot == SLOT))


@_tables
def save_wall_settings_text(url: str, text: str) -> None:
    stmt = pg_insert(WALL_SETTINGS).values(slot=SLOT, body=text, updated=_now())
    with _engine(url).begin() as conn:
        conn.execute(stmt.on_conflict_do_update(index_elements=[WALL_SETTINGS.c.slot],
                                                set_={"body": text, "updated": _now()}))


# --- shared secrets --------------------------------------------------------------------------------------


@_tables
def shared_secret(url: str, name: str, make: Callable[[], str]) -> str:
    """The secret ``name``, made with ``make()`` by the first server that asks and read by every other one."""
    with _engine(url).begin() as conn:
        conn.execute(pg_insert(SECRETS).values(name=name, value=make()).on_conflict_do_nothing())
        return conn.scalar(sa.select(SECRETS.c.value).where(SECRETS.c.name == name))
