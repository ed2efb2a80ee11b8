"""App servers and data backends for the scale benchmark: gunicorn processes, their health, and publishing.

:class:`AppServer` starts ``make serve``'s command (``dashboard/gunicorn.conf.py``, 2 workers) with the
environment it is given (``DATABASE_URL``, ``REDIS_URL``, a shared ``KAIHUA_SECRET_KEY``, the data store), logs
to a file (a pipe nobody reads would block a busy server) and stops it again. :func:`publish_and_wait` makes a
real ``python -m geodata import`` of a small change on the same backend and measures how long until every
server's ``/healthz`` reports the new ``data_version``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.server import free_port

ROOT = Path(__file__).resolve().parents[1]
CHANGED_ROWS = 20  # indicator values changed by the publish: a department's small correction
# Settings of the environment the benchmark sets itself for each configuration, never inherited.
OWN_SETTINGS = ("KAIHUA_DATA", "KAIHUA_DATA_STORE", "DATABASE_URL", "REDIS_URL", "KAIHUA_SECRET_KEY",
                "KAIHUA_HOST", "KAIHUA_PORT", "KAIHUA_WORKERS")


def base_env(settings: dict[str, str]) -> dict[str, str]:
    """This process's environment without the app's data settings, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if k not in OWN_SETTINGS}
    return {**env, **settings}


def healthz(url: str, timeout: float = 10.0) -> dict:
    """``GET /healthz`` on a new connection (so a server's workers are all asked over several calls)."""
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=timeout) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as exc:  # 503 "down" still answers JSON
        return json.loads(exc.read() or b"{}")


def settled_healthz(url: str, patience: float = 120.0) -> dict:
    """``/healthz`` of a server that may still be busy (draining a load level): asked again until it answers."""
    deadline = time.monotonic() + patience
    while True:
        try:
            return healthz(url, timeout=30.0)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


class AppServer:
    """One gunicorn (2 workers) on 127.0.0.1:<free port> with ``env``; a context manager."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "KAIHUA_HOST": "127.0.0.1", "KAIHUA_PORT": str(self.port), "KAIHUA_WORKERS": str(workers)}
        self.log = log
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> AppServer:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "dashboard/gunicorn.conf.py", "dashboard.wsgi:server"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 180  # province data: the master loads and warms ~20,000 villages first
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.25)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer /healthz within 180 s (log: {self.log})")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def geodata_cli(args: list[str], env: dict[str, str], timeout: float = 1800) -> float:
    """Run ``python -m geodata ARGS`` with ``env``; seconds taken. A failure raises with the command's output."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "geodata", *args, "--lang", "en"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"python -m geodata {' '.join(args)}: exit {done.returncode}\n"
                           f"{(done.stdout + done.stderr)[-2000:]}")
    return time.perf_counter() - start


def change_file(indicators, round_no: int, work: Path) -> Path:
    """A small change of the data: ``CHANGED_ROWS`` indicator values moved by ``round_no`` (long-form CSV)."""
    rows = indicators.head(CHANGED_ROWS).drop(columns="synthetic", errors="ignore")
    rows = rows.assign(value=rows.value + round_no * 0.1)
    path = work / f"indicators-change-{round_no:03d}.csv"
    path.write_bytes(rows.to_csv(index=False).encode("utf-8"))
    return path


@dataclass
class PublishResult:
    """A publish: how long the import command took, then until every server served the new version."""

    import_seconds: float
    served_seconds: float | None  # after the publish, until the last server; None: not within timeout
    before: dict[str, str | None] = field(default_factory=dict)
    after: dict[str, str | None] = field(default_factory=dict)
    # what served_seconds counts from: "commit" (the database's notification of the publish, PostGIS) or
    # "command" (the import command's end: a folder store's publish is its last step)
    since: str = "command"

    @property
    def agreed(self) -> bool:
        """Every server ended on the same, new version."""
        return len(set(self.after.values())) == 1 and not set(self.after.values()) & set(self.before.values())


def wait_for_version(url: str, old: str | None, since: float, timeout: float, stable: int = 3,
                     interval: float = 0.05, cancel: threading.Event | None = None) -> tuple[float | None, str | None]:
    """Seconds after ``since`` (monotonic) from which ``url`` answered a version other than ``old`` ``stable``
    times in a row (new connections, so both workers are asked), counted to the first of those answers' arrival
    (a request asked before the publish may be answered with the new version only after the server read it);
    (None, last version) after ``timeout`` or once ``cancel`` is set."""
    run_start, streak, version = None, 0, old
    while time.monotonic() - since < timeout and not (cancel is not None and cancel.is_set()):
        try:
            version = healthz(url).get("data_version")
        except OSError:
            version = None
        answered = time.monotonic()
        if version is not None and version != old:
            run_start = answered if streak == 0 else run_start
            streak += 1
            if streak >= stable:
                return max(0.0, run_start - since), version
        else:
            streak = 0
        time.sleep(interval)
    return None, version


class CommitWatch:
    """The moment a publish commits in the database at ``url``: its ``NOTIFY kaihua_version`` (sent in the
    publish's transaction, so delivered at its commit), heard on a connection of its own."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.at: float | None = None
        self._conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
        self._conn.execute("LISTEN kaihua_version")
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._stop = threading.Event()
        self._thread.start()

    def _listen(self) -> None:
        while not self._stop.is_set() and self.at is None:
            for _ in self._conn.notifies(timeout=0.5, stop_after=1):
                self.at = time.monotonic()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._conn.close()


def publish_and_wait(urls: list[str], cli_args: list[str], env: dict[str, str], timeout: float = 60) -> PublishResult:
    """Import with ``cli_args`` (``import FILE ...``) while every server in ``urls`` is asked for its version;
    until each served the new one, counted from the publish's commit (PostGIS: its notification; the import
    command may still be ending then) or else from the command's end."""
    before = {u: settled_healthz(u).get("data_version") for u in urls}
    watch = CommitWatch(env["DATABASE_URL"]) if env.get("DATABASE_URL") else None
    start, cancel = time.monotonic(), threading.Event()
    try:
        with ThreadPoolExecutor(max_workers=len(urls)) as pool:
            # asked from the start: a server may serve the new version before the command has ended
            waits = [pool.submit(wait_for_version, u, before[u], start, 1e9, cancel=cancel) for u in urls]
            try:
                seconds = geodata_cli(cli_args, env)
            except BaseException:
                cancel.set()
                raise
            ended = time.monotonic()
            timer = threading.Timer(timeout, cancel.set)  # no longer than ``timeout`` after the command
            timer.start()
            seen = [w.result() for w in waits]
            timer.cancel()
    finally:
        if watch is not None:
            watch.close()
    origin, since = (watch.at, "commit") if watch is not None and watch.at is not None else (ended, "command")
    times = [None if s is None else max(0.0, start + s - origin) for s, _ in seen]
    served = None if any(t is None for t in times) else max(times)
    return PublishResult(seconds, served, before, {u: v for u, (_, v) in zip(urls, seen)}, since)
