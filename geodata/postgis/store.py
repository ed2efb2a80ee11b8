"""The PostGIS backend of the data door, and the cheap polls that let every process notice a publish or damage.

Each process asks the database for the current version id at most once every :data:`POLL_S` seconds per URL
(one indexed one-row read); in between it serves the version it knows. A publish made on any server, or by the
CLI, is therefore served everywhere within about :data:`POLL_S` seconds, without a restart.

As often, the version served is checked again (:func:`polled_check`): one catalog query, and a full read of the
version only when its stamp moved (see :mod:`geodata.postgis.guard`). A table changed behind the store's back
is so noticed within about :data:`POLL_S` seconds, and the last good version read by the process is served.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import sqlalchemy as sa

from geodata import db, importing
from geodata.dataset import Dataset
from geodata.errors import DataError
from geodata.postgis import guard, versions
from geodata.versions import Staged, VersionInfo

POLL_S = 1.0  # how stale a process's idea of the current version may be

_polled: dict[str, tuple[float, str | None]] = {}  # url -> (monotonic time of the read, version id)
_polled_lock = threading.Lock()
# (url, version id) -> (monotonic time of the check, its problem or None)
_checks: dict[tuple[str, str], tuple[float, str | None]] = {}
_checking: set[tuple[str, str]] = set()  # checks running now


def polled_current_id(url: str, max_age: float = POLL_S) -> str | None:
    """The current version id of ``url``, read from the database when what this process knows is older than
    ``max_age`` seconds; :class:`DataError` if the database cannot be reached."""
    now = time.monotonic()
    with _polled_lock:
        held = _polled.get(url)
    if held is not None and now - held[0] < max_age:
        return held[1]
    vid = versions.current_id(url)
    with _polled_lock:
        _polled[url] = (time.monotonic(), vid)
    return vid


def polled_check(url: str, ds: Dataset, max_age: float = POLL_S) -> None:
    """Raise :class:`DataError` unless the version ``ds`` serves is still as published, checked at most once
    every ``max_age`` seconds (a problem found, or a database that did not answer, is repeated meanwhile)."""
    key = (url, ds.path.version_id)
    with _polled_lock:
        held = _checks.get(key)
        due = held is None or time.monotonic() - held[0] >= max_age
        # one thread checks; the others answer from the last finding meanwhile (a full read may take seconds)
        mine = due and (held is None or key not in _checking)
        if mine:
            _checking.add(key)
    if mine:
        try:
            guard.check(url, key[1], ds.source.recorded)
            problem = None
        except DataError as exc:
            problem = str(exc)
        finally:
            with _polled_lock:
                _checking.discard(key)
        held = (time.monotonic(), problem)
        with _polled_lock:
            _checks[key] = held
    if held[1]:
        raise DataError(held[1])


def forget_poll(url: str | None = None) -> None:
    """Read the current version from the database, and check it, at the next call (after this process published
    or rolled back; before a health check)."""
    with _polled_lock:
        urls = list(_polled) if url is None else [url]
        if url is None:
            _polled.clear()
            _checks.clear()
        else:
            _polled.pop(url, None)
            for key in [k for k in _checks if k[0] == url]:
                del _checks[key]
    for each in urls:  # and ask now even during an outage (``/healthz`` reports the database as it is)
        db.reachability(each).retry_now()


class PostgisBackend:
    """PostgreSQL + PostGIS at ``url``: versions, the current-version row and staged candidates in the database
    (see :mod:`geodata.postgis.versions`). Implements :class:`geodata.backend.Backend`."""

    kind = "postgis"
    publishable = True

    def __init__(self, url: str) -> None:
        if not db.is_database_url(url):
            raise ValueError("not a PostgreSQL URL")
        self.url = url

    def __repr__(self) -> str:
        return "PostgisBackend(<url>)"  # never the URL: it may hold a password

    @property
    def engine(self) -> sa.Engine:
        """The pooled SQLAlchemy engine (psycopg 3) of this database, for other state kept there."""
        return db.engine(self.url)

    def current_id(self) -> str | None:
        return polled_current_id(self.url)

    def open_version(self, version_id: str) -> Dataset:
        return versions.open_version(self.url, version_id)

    def list_versions(self) -> list[VersionInfo]:
        return versions.list_versions(self.url)

    def stage(self, src: Path, name: str, opts: importing.Options) -> Staged:
        return versions.stage(self.url, src, name, opts)

    def publish(self, token: str, note: str = "") -> str:
        vid = versions.publish(self.url, token, note)
        forget_poll(self.url)
        return vid

    def rollback(self, version_id: str) -> None:
        versions.rollback(self.url, version_id)
        forget_poll(self.url)

    def ping(self) -> str:
        """``"ok"`` if the database answers a trivial query now, else ``"down"``."""
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.select(sa.literal(1)))
        except sa.exc.SQLAlchemyError:
            return "down"
        return "ok"
