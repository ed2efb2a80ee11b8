"""Throw-away PostgreSQL (with PostGIS) and Redis servers on free loopback ports, for the tests that need them.

Each server lives in a temporary folder for one test session and is stopped at its end; nothing is left running.
``make test`` installs the Debian packages (``postgresql``, ``postgresql-15-postgis-3``, ``redis-server``) first.

Set ``KAIHUA_TEST_DATABASE_URL`` / ``KAIHUA_TEST_REDIS_URL`` to use servers of your own instead (the tests create
and drop their own databases and key prefixes on them). Missing binaries are an error, not a skip: a suite that
silently skips its database tests passes for the wrong reason.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("KAIHUA_PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = os.environ.get("KAIHUA_REDIS_SERVER", "redis-server")
INSTALL_HINT = "install Debian's postgresql postgresql-15-postgis-3 redis-server (make test does)"


class ServiceError(RuntimeError):
    """A test server could not be started; the message says why and what to install."""


@dataclass(frozen=True)
class Server:
    """A running throw-away server: its URL and its folder."""

    url: str
    folder: Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServiceError(f"{what} exited with status {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise ServiceError(f"{what} did not listen on port {port} within {timeout:.0f} s")


def _as_postgres_user() -> list[str]:
    """PostgreSQL refuses to run as root: run it as the ``postgres`` account the Debian package creates."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ServiceError(f"running as root and there is no 'postgres' user: {INSTALL_HINT}") from None
    return ["runuser", "-u", "postgres", "--"]


class PostgresCluster:
    """A throw-away PostgreSQL cluster that can be stopped and started again on the same port (an outage).

    ``PostgresCluster()`` runs ``initdb`` in a temporary folder; :meth:`start` serves it on a free loopback port
    (the first time also creating database ``kaihua`` with PostGIS), :meth:`stop` shuts it down (fast mode:
    open connections are cut, as a crash or a restart would), :meth:`remove` stops it and deletes the folder.
    """

    def __init__(self) -> None:
        initdb, postgres_bin = PG_BIN / "initdb", PG_BIN / "postgres"
        if not initdb.exists() or not postgres_bin.exists():
            raise ServiceError(f"no PostgreSQL in {PG_BIN}: {INSTALL_HINT}")
        if not Path("/usr/share/postgresql/15/extension/postgis.control").exists():
            raise ServiceError(f"PostGIS is not installed: {INSTALL_HINT}")
        self.folder = Path(tempfile.mkdtemp(prefix="kaihua-pg-"))
        self._prefix = _as_postgres_user()
        if self._prefix:
            shutil.chown(self.folder, "postgres", "postgres")
        self._data = self.folder / "data"
        self.port = free_port()
        self._proc: subprocess.Popen | None = None
        self._created = False
        subprocess.run([*self._prefix, str(initdb), "-D", str(self._data), "-A", "trust", "-U", "kaihua", "-E",
                        "UTF8", "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True)

    @property
    def base(self) -> str:
        """``postgresql://kaihua@127.0.0.1:<port>`` (add ``/<database>``)."""
        return f"postgresql://kaihua@127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The URL of database ``kaihua``."""
        return self.base + "/kaihua"

    def start(self) -> None:
        """Serve the cluster (again) on :attr:`port`; returns once it accepts logins."""
        if self._proc is not None and self._proc.poll() is None:
            return
        self._proc = subprocess.Popen(
            [*self._prefix, str(PG_BIN / "postgres"), "-D", str(self._data), "-p", str(self.port), "-k",
             str(self.folder), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
             "-c", "full_page_writes=off", "-c", "max_connections=200"],
            stdout=subprocess.DEVNULL, stderr=(self.folder / "server.log").open("ab"))
        _wait_for_port(self.port, self._proc, "postgres")
        if not self._created:
            _psql(self.base + "/postgres", "CREATE DATABASE kaihua")
            _psql(self.url, "CREATE EXTENSION postgis")
            self._created = True
        else:
            _psql(self.base + "/postgres", "SELECT 1")  # wait until it accepts logins, not only TCP

    def stop(self) -> None:
        """Shut the server down (SIGINT: PostgreSQL's fast shutdown) and wait until it has exited."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        # To the postmaster itself (its pid file), not to runuser, which does not pass SIGINT on; SIGINT, not
        # SIGTERM: a "smart" shutdown would wait for the app's pooled connections to close.
        pid_file = self._data / "postmaster.pid"
        pid = int(pid_file.read_text().split()[0]) if pid_file.exists() else proc.pid
        os.kill(pid, signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def remove(self) -> None:
        """Stop the server and delete its folder."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def postgres() -> Iterator[Server]:
    """A PostgreSQL cluster with the PostGIS extension in database ``kaihua``; stopped and removed on exit."""
    cluster = PostgresCluster()
    try:
        cluster.start()
        yield Server(cluster.url, cluster.folder)
    finally:
        cluster.remove()


def _psql(url: str, sql: str) -> None:
    """Run one statement (autocommit: CREATE DATABASE cannot run in a transaction)."""
    import psycopg

    for attempt in range(50):  # the server accepts TCP a moment before it accepts logins
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
                conn.execute(sql)
            return
        except psycopg.OperationalError:
            if attempt == 49:
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def redis() -> Iterator[Server]:
    """A Redis server that keeps nothing on disk; stopped on exit."""
    binary = shutil.which(REDIS_SERVER)
    if binary is None:
        raise ServiceError(f"no {REDIS_SERVER}: {INSTALL_HINT}")
    folder = Path(tempfile.mkdtemp(prefix="kaihua-redis-"))
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(folder)], stdout=(folder / "server.log").open("wb"), stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, proc, "redis-server")
        yield Server(f"redis://127.0.0.1:{port}/0", folder)
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        if proc.poll() is None:
            proc.kill()
        shutil.rmtree(folder, ignore_errors=True)


def new_database(url: str, name: str) -> str:
    """A fresh, empty PostGIS database ``name`` on the server of ``url`` (dropped first if it exists)."""
    base, _, _ = url.rpartition("/")
    _psql(base + "/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(base + "/postgres", f'CREATE DATABASE "{name}"')
    _psql(f"{base}/{name}", "CREATE EXTENSION IF NOT EXISTS postgis")
    return f"{base}/{name}"


def copy_database(url: str, name: str) -> str:
    """A fresh database ``name`` on the server of ``url`` that is a copy of ``url``'s database (dropped first if it
    exists). ``CREATE DATABASE ... TEMPLATE`` copies files, far faster than publishing again, and needs the
    original to have no open session: dispose of its engine first."""
    base, _, original = url.rpartition("/")
    _psql(base + "/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _psql(base + "/postgres", f'CREATE DATABASE "{name}" TEMPLATE "{original}"')
    return f"{base}/{name}"
