"""``python -m benchmarks --exports``: other users' callbacks while exports render, and export times, on the
production server (gunicorn, ``dashboard/gunicorn.conf.py``, on a fresh data store in a temporary folder).

1. Export times through the job route as the page uses it (``POST /export/jobs/...``, polled every 20 ms to time
   it closely):
   the first belt dossier (cold: the render worker process starts, imports the app and opens Chromium), then
   warm belt dossiers and 4K PNGs of other belts (each uncached), end to end and inside the worker.
2. Another user's select-belt callback chain (``/_dash-update-component`` posts, one after another) timed idle,
   then during 20 simultaneous export requests from 20 clients (each its own loopback address 127.0.0.x, so the
   per-person limit lets each one through), sent either as export jobs (the page's way: rendered in the worker
   process) or to the direct routes (``GET /export/map.png``: rendered in the web workers, a client retrying
   on 503/429 until served, as scripts do). The exports are 1080p PNGs of different belts and measures, so
   none is a cache hit; the job clients poll as the page does (every 0.4 s). Side by side in one run.
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import dataclass

from benchmarks.interactions import record
from benchmarks.report import Stat, machine
from benchmarks.server import Gunicorn, InProcess
from dashboard.config import Settings
from geodata import DEFAULT_PATH, open_dataset

HEADERS = {"X-Kaihua-Export": "1"}
MEASURES = ("none", "score", "pillar:组织", "pillar:生态", "pillar:产业", "pillar:人才", "pillar:文化")


@dataclass
class JobTime:
    total: float  # submit -> done, as the client saw it
    worker: float  # started -> finished, inside the render worker


def _client(base: str, address: str | None = None):
    import httpx

    transport = httpx.HTTPTransport(local_address=address) if address else None
    return httpx.Client(base_url=base, transport=transport, timeout=120.0)


PAGE_POLL_S = 0.4  # as assets/export-jobs.js polls


def run_job(client, path: str, deadline_s: float = 600, poll_s: float = 0.02) -> JobTime:
    """Submit ``path`` as an export job and wait for its file (status asked every ``poll_s``)."""
    start = time.perf_counter()
    resp = client.post(f"/export/jobs/{path}", headers=HEADERS)
    if resp.status_code != 202:
        raise RuntimeError(f"{path}: HTTP {resp.status_code} {resp.text[:200]}")
    status_url = resp.json()["status_url"]
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        status = client.get(status_url).json()
        if status["status"] == "done":
            body = client.get(status["file_url"]).content
            total = time.perf_counter() - start
            if not body:
                raise RuntimeError(f"{path}: empty file")
            return JobTime(total, status.get("render_s") or float("nan"))
        if status["status"] == "failed":
            raise RuntimeError(f"{path}: {status['error']}")
        time.sleep(poll_s)
    raise RuntimeError(f"{path}: not done in {deadline_s} s")


def run_direct(client, path: str, deadline_s: float = 600) -> float:
    """GET the direct route until it answers 200 (503/429 mean busy: wait half a second and try again)."""
    start = time.perf_counter()
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        resp = client.get(f"/export/{path}")
        if resp.status_code == 200:
            return time.perf_counter() - start
        if resp.status_code not in (429, 503):
            raise RuntimeError(f"{path}: HTTP {resp.status_code} {resp.text[:200]}")
        time.sleep(0.5)
    raise RuntimeError(f"{path}: not served in {deadline_s} s")


def time_callbacks(base: str, chain: list[dict], stop, limit: int) -> list[float]:
    """Another user's select-belt chain, request by request, until ``stop()`` or ``limit`` requests."""
    import httpx

    out: list[float] = []
    with httpx.Client(base_url=base, headers={"Accept-Encoding": "gzip"}, timeout=30.0) as client:
        while not stop() and len(out) < limit:
            for body in chain:
                start = time.perf_counter()
                resp = client.post("/_dash-update-component", json=body)
                if resp.status_code in (200, 204):
                    out.append(time.perf_counter() - start)
    return out


def export_paths(belts: list[str], n: int) -> list[str]:
    """``n`` different 1080p map exports (belt x measure), none a cache hit of another."""
    return [f"map.png?belt={belts[i % len(belts)]}&measure={MEASURES[i // len(belts) % len(MEASURES)]}"
            f"&size=1080p" for i in range(n)]


def during_exports(base: str, chain: list[dict], paths: list[str], mode: str, limit: int) -> tuple[list[float], float]:
    """Other-user latencies while ``paths`` are exported at once by as many clients (``mode`` = jobs | direct);
    and the seconds until the last export arrived."""
    done = threading.Event()
    errors: list[str] = []

    def one(i: int, path: str) -> None:
        with _client(base, f"127.0.0.{10 + i}") as client:
            try:
                run_job(client, path, poll_s=PAGE_POLL_S) if mode == "jobs" else run_direct(client, path)
            except RuntimeError as err:
                errors.append(str(err))

    threads = [threading.Thread(target=one, args=(i, p)) for i, p in enumerate(paths)]
    start = time.perf_counter()
    for th in threads:
        th.start()
    watcher = threading.Thread(target=lambda: ([th.join() for th in threads], done.set()))
    watcher.start()
    time.sleep(0.5)  # let the exports start before measuring others (the benchmark's own pacing)
    lat = time_callbacks(base, chain, done.is_set, limit)
    watcher.join()
    if errors:
        raise RuntimeError(f"{len(errors)} exports failed: {errors[:3]}")
    return lat, time.perf_counter() - start


def ms(stat: Stat) -> str:
    return f"{stat.p50 * 1000:.1f} / {stat.p95 * 1000:.1f} ms (n={stat.n})"


def run_exports(n_exports: int = 20, warm: int = 5, idle_requests: int = 300, log=print) -> str:
    facts = machine()
    settings = Settings(data_path=DEFAULT_PATH)
    ds = open_dataset(settings.data_path)
    inproc = InProcess(settings)
    inters = record(inproc.get_json("/_dash-layout"), inproc.get_json("/_dash-dependencies"), inproc.post, ds)
    chain = next(i for i in inters if i.name == "select belt").bodies
    belts = sorted(ds.belts().belt_id)
    lines = [f"load average at start {facts['load average at start']} (1 min), CPUs {facts['CPUs']}", ""]
    with tempfile.TemporaryDirectory(prefix="kaihua-bench-") as store:
        server = Gunicorn()
        server.env["KAIHUA_DATA_STORE"] = store
        with server, _client(server.url) as client:
            log("cold dossier (the render worker starts)")
            cold = run_job(client, f"belt/{belts[0]}.pdf")
            log(f"{warm} warm dossiers, {warm} 4K PNGs")
            dossiers = [run_job(client, f"belt/{b}.pdf") for b in belts[1:1 + warm]]
            pngs = [run_job(client, f"map.png?belt={b}&size=4k") for b in belts[1 + warm:1 + 2 * warm]]
            log("other users' callbacks, idle")
            idle = time_callbacks(server.url, chain, lambda: False, idle_requests)
            log(f"... during {n_exports} export jobs")
            paths = export_paths(belts, 2 * n_exports)
            jobs_lat, jobs_s = during_exports(server.url, chain, paths[:n_exports], "jobs", 100_000)
            log(f"... during {n_exports} direct export requests")
            direct_lat, direct_s = during_exports(server.url, chain, paths[n_exports:], "direct", 100_000)
    lines += [
        "| figure | p50 / p95 |",
        "|---|---|",
        f"| other users' select-belt callbacks, idle | {ms(Stat.of(idle))} |",
        f"| ... during {n_exports} export jobs (render worker process; all done in {jobs_s:.1f} s) "
        f"| {ms(Stat.of(jobs_lat))} |",
        f"| ... during {n_exports} direct export requests (rendered in the web workers; all served in "
        f"{direct_s:.1f} s) | {ms(Stat.of(direct_lat))} |",
        f"| belt dossier PDF, cold (first job: worker starts) | {cold.total:.2f} s end to end, "
        f"{cold.worker:.2f} s in the worker |",
        f"| belt dossier PDF, warm, uncached (n={len(dossiers)}) | {Stat.of([d.total for d in dossiers]).p50:.2f}"
        f" s end to end, {Stat.of([d.worker for d in dossiers]).p50:.2f} s in the worker (p50) |",
        f"| 4K PNG, warm, uncached (n={len(pngs)}) | {Stat.of([p.total for p in pngs]).p50:.2f} s end to end, "
        f"{Stat.of([p.worker for p in pngs]).p50:.2f} s in the worker (p50) |",
    ]
    return "\n".join(lines)
