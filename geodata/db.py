"""The database connection, when ``DATABASE_URL`` names PostgreSQL + PostGIS (else nothing here is used).

One SQLAlchemy engine per URL and process (a pool; created on first use, never at import). psycopg 3 is the driver:
``postgresql://`` URLs are read as ``postgresql+psycopg://``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import sqlalchemy as sa

from geodata.errors import DatabaseUnavailable

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
_engines: dict[str, sa.Engine] = {}  # per process; an engine is a connection pool, not data
_engines_lock = threading.Lock()
# How long a process waits, after failing to reach a database, before it tries again: meanwhile every use fails
# at once (no connect timeout per request), and what can be served from memory is.
RETRY_S = 2.0
# Errors that mean "the server cannot be used now" (not "this statement is wrong"): refused, timed out, dropped.
UNREACHABLE = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError, DatabaseUnavailable)
log = logging.getLogger(__name__)


def is_database_url(value: object) -> bool:
    """True for a PostgreSQL URL (``postgresql://...``)."""
    return isinstance(value, str) and value.startswith(SCHEMES)


def driver_url(url: str) -> str:
    """``url`` with the psycopg 3 driver named, as SQLAlchemy wants it."""
    for scheme in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    raise ValueError("not a PostgreSQL URL")  # the URL itself is not echoed: it may hold a password


def engine(url: str) -> sa.Engine:
    """The pooled engine of ``url`` for this process."""
    with _engines_lock:
        eng = _engines.get(url)
        if eng is None:
            eng = _engines[url] = sa.create_engine(driver_url(url), pool_pre_ping=True, pool_size=5,
                                                   max_overflow=10, connect_args={"connect_timeout": 5})
        return eng


def dispose_all() -> None:
    """Close every pool (after a fork: a child must not share its parent's connections)."""
    with _engines_lock:
        for eng in _engines.values():
            eng.dispose(close=False)
        _engines.clear()


def mask(text: str, url: str | None) -> str:
    """``text`` with the password of ``url`` (and ``url`` itself) replaced by ``***``: safe for logs and answers."""
    if not url:
        return text
    text = text.replace(url, "<database>")
    with contextlib.suppress(ValueError):
        password = urlsplit(url).password
        if password:
            text = text.replace(password, "***")
    return text


def reason(exc: BaseException, url: str | None = None) -> str:
    """One masked line naming what went wrong (the driver's first line, never the URL or its password)."""
    if isinstance(exc, DatabaseUnavailable):
        return mask(str(exc), url)  # already one line, from an earlier guard
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [""])[0]
    return mask(f"{type(orig).__name__}: {first}" if first else type(orig).__name__, url)


class Reachability:
    """What this process knows of whether one database answers (not data: each process finds out for itself).

    The first failure logs ONE masked warning; later failures of the same outage are silent; the first success
    after it logs that the database is back. While down, :meth:`blocked` is true for :data:`RETRY_S` after each
    try, so requests fail at once instead of each waiting for a connect timeout.
    """

    def __init__(self, url: str) -> None:
        self._url = url
        self._lock = threading.Lock()
        self.down_since: float | None = None  # time.monotonic() of the outage's first failure
        self.problem: str | None = None
        self._tried = 0.0

    def blocked(self) -> bool:
        """True while the database is known down and was tried less than :data:`RETRY_S` ago."""
        return self.down_since is not None and time.monotonic() - self._tried < RETRY_S

    def retry_now(self) -> None:
        """Let the next use try the database at once (``/healthz`` asks now)."""
        self._tried = 0.0

    def failed(self, exc: BaseException) -> str:
        """Record a failure; the masked reason."""
        problem = reason(exc, self._url)
        with self._lock:
            first = self.down_since is None
            self._tried = time.monotonic()
            if first:
                self.down_since, self.problem = self._tried, problem
        if first:
            log.warning("database unavailable (%s): serving what this process holds, 503 for the rest; "
                        "retrying every %.0f s", problem, RETRY_S)
        return problem

    def succeeded(self) -> None:
        """Record a success (ends an outage)."""
        if self.down_since is None:
            return
        with self._lock:
            since, self.down_since, self.problem = self.down_since, None, None
        if since is not None:
            log.info("database reachable again after %.1f s", time.monotonic() - since)


_reachability: dict[str, Reachability] = {}  # per URL, made once; the state inside is the outage's


def reachability(url: str) -> Reachability:
    """The :class:`Reachability` of ``url`` in this process."""
    with _engines_lock:
        found = _reachability.get(url)
        if found is None:
            found = _reachability[url] = Reachability(url)
        return found


@contextlib.contextmanager
def guarded(url: str) -> Iterator[None]:
    """Use the database of ``url`` inside the block; a connection failure becomes :class:`DatabaseUnavailable`
    (recorded once per outage), and while the database is known down the block is not entered at all."""
    state = reachability(url)
    if state.blocked():
        raise DatabaseUnavailable(unusable(state.problem or "down"))
    try:
        yield
    except UNREACHABLE as exc:
        problem = state.failed(exc)
        raise DatabaseUnavailable(problem if isinstance(exc, DatabaseUnavailable) else unusable(problem)) from None
    state.succeeded()


def unusable(problem: str) -> str:
    """The message of a :class:`DatabaseUnavailable` (the words ``/healthz`` and the tests look for)."""
    return problem if problem.startswith("the database cannot be used") else f"the database cannot be used ({problem})"
