"""Server side: callback requests timed through the whole Dash dispatch, and the production server process.

In process, every recorded ``/_dash-update-component`` body is POSTed through Flask's test client (routing,
JSON parsing, callback, serialisation and compression are all in the time), as the browser would send it
(``Accept-Encoding: gzip``). For the production figures, :class:`Gunicorn` starts ``make serve``'s command on
a free loopback port and stops it again.
"""

from __future__ import annotations

import gzip
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from benchmarks.baseline import naive_map_response
from benchmarks.dashclient import UPDATE
from benchmarks.interactions import MAP_CALLBACK, Interaction
from benchmarks.report import Stat
from dashboard.app import create_app
from dashboard.config import Settings
from geodata import open_dataset

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Sent:
    """One response as it crossed the wire: seconds, body bytes decoded and as sent."""

    seconds: float
    raw: int
    wire: int


class InProcess:
    """The app and a Flask test client: the real dispatch without a socket."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = create_app(settings)
        self.client = self.app.server.test_client()

    def get_json(self, path: str):
        return self.client.get(path).json

    def post(self, body: dict) -> tuple[int, dict | None]:
        resp = self.client.post(UPDATE, json=body)
        return resp.status_code, (resp.json if resp.status_code == 200 else None)

    def send(self, body: dict) -> Sent:
        start = time.perf_counter()
        resp = self.client.post(UPDATE, json=body, headers={"Accept-Encoding": "gzip"})
        seconds = time.perf_counter() - start
        if resp.status_code not in (200, 204):
            raise RuntimeError(f"{body['output']}: HTTP {resp.status_code}")
        wire = resp.get_data()
        raw = gzip.decompress(wire) if resp.headers.get("Content-Encoding") == "gzip" else wire
        return Sent(seconds, len(raw), len(wire))


@dataclass
class Timed:
    """An interaction timed ``n`` times: the whole chain and its map callback, and the naive equivalents."""

    name: str
    requests: int
    chain: Stat
    chain_raw: int
    chain_wire: int
    map: Stat | None = None
    map_raw: int = 0
    map_wire: int = 0
    naive_map: Stat | None = None
    naive_chain: Stat | None = None
    naive_raw: int = 0
    naive_wire: int = 0
    slowest: tuple[str, Stat] | None = None  # the chain's slowest callback, by p95


def time_interaction(server: InProcess, inter: Interaction, repeats: int, naive_repeats: int,
                     warmup: int = 3) -> Timed:
    """Replay ``inter``'s requests in order ``repeats`` times (after ``warmup`` rounds), plus the baseline."""
    for _ in range(warmup):
        for body in inter.bodies:
            server.send(body)
    chains, maps, others = [], [], []
    per_callback: list[list[float]] = [[] for _ in inter.bodies]
    last: list[Sent] = []
    is_map = [r.name == MAP_CALLBACK for r in inter.requests]
    for _ in range(repeats):
        last = [server.send(body) for body in inter.bodies]
        chains.append(sum(s.seconds for s in last))
        for times, sent in zip(per_callback, last):
            times.append(sent.seconds)
        maps += [s.seconds for s, m in zip(last, is_map) if m]
        others.append(sum(s.seconds for s, m in zip(last, is_map) if not m))
    out = Timed(inter.name, len(inter.bodies), Stat.of(chains), sum(s.raw for s in last), sum(s.wire for s in last))
    out.slowest = max(((r.name, Stat.of(t)) for r, t in zip(inter.requests, per_callback)), key=lambda x: x[1].p95)
    if inter.map_request() is None:
        return out
    m = [s for s, r in zip(last, inter.requests) if r.name == MAP_CALLBACK][0]
    out.map, out.map_raw, out.map_wire = Stat.of(maps), m.raw, m.wire
    state = inter.map_state
    ds = open_dataset(server.settings.data_path)
    naive, body = [], b""
    naive_map_response(state, server.settings, ds)  # warm caches, as for the app
    for _ in range(naive_repeats):
        start = time.perf_counter()
        body = naive_map_response(state, server.settings, ds)
        # Flask-Compress would gzip this body before sending it: part of the naive callback's cost too.
        wire = gzip.compress(body, 6)
        naive.append(time.perf_counter() - start)
    out.naive_map = Stat.of(naive)
    # The naive page fires the same other callbacks: charge it their measured times.
    out.naive_chain = Stat.of([n + o for n, o in zip(naive, others)])
    out.naive_raw = out.chain_raw - out.map_raw + len(body)
    out.naive_wire = out.chain_wire - out.map_wire + len(wire)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NaiveServer:
    """The naive baseline app (:mod:`benchmarks.naive_app`, Dash's own server) on 127.0.0.1:<free port>, with a
    map of ``size`` px, as a context manager giving its URL."""

    def __init__(self, data_path: Path | None, size: tuple[int, int]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [sys.executable, "-m", "benchmarks.naive_app", "--port", str(self.port),
                     "--width", str(size[0]), "--height", str(size[1])]
        if data_path is not None:
            self.args += ["--data", str(data_path)]
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> str:
        self.proc = subprocess.Popen(self.args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the naive app exited")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as resp:
                    if resp.status == 200:
                        return self.url + "/"
            except OSError:
                time.sleep(0.25)
        self.__exit__()
        raise RuntimeError("the naive app did not answer within 90 s")

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Gunicorn:
    """``make serve``'s server (dashboard/gunicorn.conf.py) on 127.0.0.1:<free port>, as a context manager."""

    def __init__(self, data_path: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "KAIHUA_HOST": "127.0.0.1", "KAIHUA_PORT": str(self.port),
               "KAIHUA_WORKERS": "2"}
        if data_path is not None:
            env["KAIHUA_DATA"] = str(data_path)
        self.env = env
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "dashboard/gunicorn.conf.py", "dashboard.wsgi:server"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.25)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer /healthz within 90 s")

    def worker_pids(self) -> list[int]:
        import psutil

        return [c.pid for c in psutil.Process(self.proc.pid).children()] if self.proc else []

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()


def time_unseen_belts(server: InProcess, layout: dict, dependencies: list[dict], ds, seen: str,
                      limit: int = 20) -> Stat | None:
    """The whole select-belt chain for view states the server has never seen: each other belt selected once
    on a fresh page (so no per-state cache of the panel, figures or map styling helps), timed through the
    Dash dispatch. None when the data has one belt."""
    from benchmarks.dashclient import DashClient
    from benchmarks.interactions import setup_for

    belts = [b for b in sorted(ds.belts().belt_id) if b != seen][:limit]
    totals = []
    for belt in belts:
        spent = [0.0]

        def post(body, spent=spent):
            start = time.perf_counter()
            out = server.post(body)
            spent[0] += time.perf_counter() - start
            return out

        client = DashClient(layout, dependencies, post)
        setup = setup_for(ds)
        if setup is not None:  # province data: drill into the county first (not timed)
            client.act(setup.ident, setup.prop, setup.value)
            spent[0] = 0.0
        client.act("map", "clickData", {"points": [{"curveNumber": 0, "pointNumber": 0, "pointIndex": 0,
                                                    "customdata": f"belt:{belt}"}]})
        totals.append(spent[0])
    return Stat.of(totals) if totals else None
