"""``python -m benchmarks --scale``: many viewers on several app servers, and how fast a publish reaches them all.

Two configurations side by side, in one run:

1. **one server on the GeoPackage store** (the embedded default): one gunicorn, 2 workers, serving a data store
   folder with the province data published in it;
2. **N servers on the configured backend** (``--servers``, default 2): with ``--database-url`` (or
   ``--with-services``: a throw-away PostgreSQL + PostGIS and Redis from ``tests/services.py``) the province is
   imported into the database with ``DATABASE_URL=... python -m geodata import`` and every server gets
   ``DATABASE_URL``/``REDIS_URL``; without them, the N servers share one store folder (as two processes on one
   machine can today). A database the app does not use yet (``/healthz`` reports no ``"backend": "postgis"``)
   is reported as not available and that configuration falls back to the shared store.

For each, V simulated viewers (``--levels``, default 50, 100, 200; see :mod:`benchmarks.scale_viewers`) are
spread round-robin over the servers for ``--seconds`` each; then a small change is published with a real
``python -m geodata import`` on the same backend and every server's ``/healthz`` is polled until it serves the
new ``data_version``. Before that, the select-belt chain is timed in process on the same data (server time).
Everything runs on 127.0.0.1; the client shares the machine's cores with the servers.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks import report as machine_report
from benchmarks.dashclient import DashClient
from benchmarks.load import run_in_own_loop
from benchmarks.scale_report import ConfigResult, Percentiles, ServerTime, report
from benchmarks.scale_servers import (
    ROOT,
    AppServer,
    base_env,
    change_file,
    geodata_cli,
    publish_and_wait,
    settled_healthz,
)
from benchmarks.scale_viewers import Catalogue, catalogue_for, click, measures_in, run_level
from benchmarks.server import InProcess
from dashboard import ids
from dashboard.config import Settings
from geodata import DEFAULT_PATH, open_dataset
from geodata.store import current_id

PROVINCE = ROOT / "var" / "province.gpkg"
CACHE = ROOT / "var" / "scale"
IMPORT_MB = "1024"  # the province file is ~160 MB: over the upload limit meant for people's files


@dataclass(frozen=True)
class ScaleConfig:
    data: Path
    servers: int
    levels: tuple[int, ...]
    seconds: float
    think: tuple[float, float]
    database_url: str | None
    redis_url: str | None
    with_services: bool
    baseline: bool  # also run one server on the GeoPackage store
    publish: bool
    server_repeats: int
    out: Path | None


def parse(argv: list[str] | None = None) -> ScaleConfig:
    p = argparse.ArgumentParser(prog="python -m benchmarks --scale", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, help="GeoPackage to serve (default: var/province.gpkg, built if missing)")
    p.add_argument("--servers", type=int, default=2, help="app servers of the scaled configuration (default 2)")
    p.add_argument("--levels", default="50,100,200", help="viewer counts to run, comma-separated")
    p.add_argument("--viewers", type=int, help="run only this many viewers (instead of --levels)")
    p.add_argument("--seconds", type=float, default=60.0, help="seconds per load level (default 60)")
    p.add_argument("--think", default="0.5,2", help="a viewer's pause between clicks, min,max seconds")
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="PostGIS (default: DATABASE_URL)")
    p.add_argument("--redis-url", default=os.environ.get("REDIS_URL"), help="Redis (default: REDIS_URL)")
    p.add_argument("--with-services", action="store_true",
                   help="start a throw-away PostgreSQL + PostGIS and Redis (tests/services.py) for this run")
    p.add_argument("--no-baseline", action="store_true", help="skip one server on the GeoPackage store")
    p.add_argument("--no-publish", action="store_true", help="skip the publish measurement")
    p.add_argument("--server-repeats", type=int, default=60, help="in-process select-belt repeats (0: skip)")
    p.add_argument("--out", type=Path, help="also write the report to this file")
    a = p.parse_args(argv)
    levels = (a.viewers,) if a.viewers else tuple(int(x) for x in a.levels.split(",") if x.strip())
    lo, hi = (float(x) for x in a.think.split(","))
    if a.servers < 1 or not levels or min(levels) < 1 or not 0 <= lo <= hi:
        p.error("--servers, --levels/--viewers must be positive and --think min,max ordered")
    return ScaleConfig(a.data or PROVINCE, a.servers, levels, a.seconds, (lo, hi), a.database_url, a.redis_url,
                       a.with_services, not a.no_baseline, not a.no_publish, a.server_repeats, a.out)


def ensure_province(path: Path, log) -> None:
    """Build the province GeoPackage once (~20 s, ~160 MB, git-ignored) and reuse it afterwards."""
    if path.exists():
        return
    log(f"building province data into {path} (once)")
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "geodata.build.province", "--out", str(path)], cwd=ROOT, check=True)


def _key(path: Path) -> str:
    st = path.stat()
    return hashlib.sha256(f"{path.resolve()}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:12]


def store_with(data: Path, work: Path, log) -> Path:
    """A data store folder (in ``work``) serving ``data``: the shipped file needs none published; any other is
    imported once into a cached store (``var/scale/store-<key>``, ~80 s for the province), then copied."""
    store = work / "store"
    if data.resolve() == Path(DEFAULT_PATH).resolve():
        store.mkdir()
        return store
    cached = CACHE / f"store-{_key(data)}"
    if current_id(cached) is None or not (cached / "READY").exists():
        shutil.rmtree(cached, ignore_errors=True)
        log(f"importing {data.name} into a store (once, cached in {cached})")
        geodata_cli(["import", str(data), "--store", str(cached), "--note", "scale benchmark data"],
                    base_env({"KAIHUA_MAX_UPLOAD_MB": IMPORT_MB}))
        (cached / "READY").write_text("ok\n")
    shutil.copytree(cached, store, symlinks=True)
    return store


def catalogue(ds, layout: dict) -> Catalogue:
    belts = [(b, str(t).split(",")[0]) for b, t in zip(ds.belts().belt_id, ds.belts().township_codes)]
    return catalogue_for(belts, len(ds.county()), measures_in(layout))


def time_select_belt(settings: Settings, ds, repeats: int, label: str) -> ServerTime:
    """The select-belt chain through Flask's test client (all its callbacks summed), after a drill-in on
    province data: two belts of one county clicked in turn ``repeats`` times after a warm-up (per-state caches
    warm, as a viewer going back and forth), and the first click on each of ``repeats`` belts over the counties."""
    server = InProcess(settings)
    layout, deps = server.get_json("/_dash-layout"), server.get_json("/_dash-dependencies")
    cat = catalogue(ds, layout)
    counties = list(cat.belts_by_county)
    firsts = [(counties[i % len(counties)], i // len(counties)) for i in range(repeats)]
    firsts = [(c, cat.belts_by_county[c][j % len(cat.belts_by_county[c])]) for c, j in firsts]

    def clicks(county: str, belts: list[str]) -> list[float]:
        page = DashClient(layout, deps, server.post)
        if cat.drill:
            page.act(ids.MAP, "clickData", click(f"county:{county}"))  # not timed
        times = []
        for belt in belts:
            spent = [0.0]

            def post(body, spent=spent):
                start = time.perf_counter()
                out = server.post(body)
                spent[0] += time.perf_counter() - start
                if out[0] not in (200, 204):
                    raise RuntimeError(f"{body['output']}: HTTP {out[0]}")
                return out

            page.post = post
            page.act(ids.MAP, "clickData", click(f"belt:{belt}"))
            times.append(spent[0])
        return times

    county = max(counties, key=lambda c: len(cat.belts_by_county[c]))
    pair = list(cat.belts_by_county[county][:2])
    warm = clicks(county, (pair * (repeats // 2 + 3))[: repeats + 4])[4:]  # the first four fill the caches
    first = [clicks(c, [b])[0] for c, b in firsts]
    return ServerTime(label, Percentiles.of(warm), Percentiles.of(first))


@contextlib.contextmanager
def services(cfg: ScaleConfig, log) -> Iterator[tuple[str | None, str | None, str | None]]:
    """(database URL, Redis URL, why not) for the scaled configuration: given, started, or none."""
    if not cfg.with_services:
        yield cfg.database_url, cfg.redis_url, None
        return
    from tests.services import ServiceError, postgres, redis

    try:
        with postgres() as pg, redis() as rd:
            log(f"throw-away PostgreSQL + PostGIS and Redis started ({pg.folder}, {rd.folder})")
            yield pg.url, rd.url, None
    except ServiceError as exc:
        yield cfg.database_url, cfg.redis_url, f"--with-services: {exc}"


def _backend(health: dict) -> str:
    return str(health.get("backend") or "gpkg (not reported)")


def run_config(label: str, env: dict[str, str], n: int, cfg: ScaleConfig, ds, work: Path, log,
               import_args: list[str], expect: str | None = None) -> ConfigResult:
    """Start ``n`` servers with ``env``, run every load level over them, publish, stop them. A server that
    does not start is reported in the table (the other configuration's figures are kept)."""
    try:
        return _run_config(label, env, n, cfg, ds, work, log, import_args, expect)
    except RuntimeError as exc:
        log(f"{label}: {exc}")
        return ConfigResult(label, n, "—", problem=str(exc).splitlines()[0][:200])


def _run_config(label: str, env: dict[str, str], n: int, cfg: ScaleConfig, ds, work: Path, log,
                import_args: list[str], expect: str | None) -> ConfigResult:
    with contextlib.ExitStack() as stack:
        log(f"{label}: starting {n} gunicorn(s), 2 workers each")
        servers = [stack.enter_context(AppServer(env, work / f"{label.replace(' ', '-')}-{i}.log"))
                   for i in range(n)]
        urls = [s.url for s in servers]
        backends = sorted({_backend(settled_healthz(u)) for u in urls})
        result = ConfigResult(label, n, ", ".join(backends))
        if expect and backends != [expect]:
            result.problem = f"the servers report backend {backends}, not {expect!r}: not available in this build"
            return result
        with httpx.Client(base_url=urls[0], timeout=60) as http:
            layout, deps = http.get("/_dash-layout").json(), http.get("/_dash-dependencies").json()
        cat = catalogue(ds, layout)
        for viewers in cfg.levels:
            log(f"{label}: {viewers} viewers for {cfg.seconds:g} s over {n} server(s)")
            level = run_in_own_loop(run_level, urls, layout, deps, cat, viewers, cfg.seconds, cfg.think)
            result.levels.append(level)
            s = Percentiles.of(level.all_latencies)
            log(f"{label}: {viewers} viewers: {level.requests} requests, {level.throughput:,.0f} req/s, "
                f"p50/p95/p99 {s.ms()}, {level.errors} errors {level.error_kinds or ''}")
            time.sleep(2)  # let the servers drain before the next level
        if cfg.publish:
            change = change_file(ds.indicators(), len(list(work.glob("indicators-change-*"))) + 1, work)
            log(f"{label}: publishing a small change ({change.name}) with python -m geodata import")
            try:
                result.publish = publish_and_wait(urls, ["import", str(change), *import_args,
                                                         "--note", "scale benchmark change"], env)
                log(f"{label}: publish: import {result.publish.import_seconds:,.1f} s, served everywhere after "
                    f"{result.publish.served_seconds} s, {result.publish.after}")
            except (OSError, RuntimeError) as exc:  # report it with the load figures, never lose them
                result.publish_problem = f"publish failed: {str(exc).splitlines()[0][:200]}"
                log(f"{label}: {result.publish_problem}")
    return result


def run(cfg: ScaleConfig, log=print) -> str:
    facts = machine_report.machine()  # before anything runs: the load average is the machine's, not ours
    ensure_province(cfg.data, log)
    ds = open_dataset(cfg.data)
    secret = secrets.token_hex(32)  # one signing key for every server: a session works on any of them
    configs: list[ConfigResult] = []
    server_rows: list[ServerTime] = []
    notes = [f"viewers: page loads (`/`, `/_dash-layout`), {'county drill-in, ' if len(ds.county()) > 1 else ''}"
             f"belt clicks and measure changes, think {cfg.think[0]:g}-{cfg.think[1]:g} s; viewer i on server "
             "i mod N; one httpx connection each; all on this machine, the client included"]
    with tempfile.TemporaryDirectory(prefix="kaihua-scale-") as tmp, services(cfg, log) as (db, rd, why):
        work = Path(tmp)
        store = store_with(cfg.data, work, log)
        store_env = base_env({"KAIHUA_DATA_STORE": str(store), "KAIHUA_SECRET_KEY": secret})
        if why:
            notes.append(why + "; the scaled configuration falls back to a shared store")
        if cfg.server_repeats:
            log("select belt, in process, on the store")
            server_rows.append(time_select_belt(Settings.from_env(store_env), ds, cfg.server_repeats,
                                                "1 process · GeoPackage store"))
        if cfg.baseline:
            configs.append(run_config("1 server · GeoPackage", store_env, 1, cfg, ds, work, log,
                                      ["--store", str(store)]))
        plural = "server" if cfg.servers == 1 else "servers"
        label = f"{cfg.servers} {plural} · " + ("PostGIS" if db else "shared GeoPackage store") \
            + (" + Redis" if rd else "")
        if db:
            guard = work / "no-store"  # where a build that ignores DATABASE_URL would write: never published
            guard.mkdir()
            db_env = base_env({"DATABASE_URL": db, "KAIHUA_DATA_STORE": str(guard), "KAIHUA_SECRET_KEY": secret,
                               **({"REDIS_URL": rd} if rd else {})})
            log(f"importing {cfg.data.name} into the database (DATABASE_URL=... python -m geodata import)")
            geodata_cli(["import", str(cfg.data), "--note", "scale benchmark data"],
                        {**db_env, "KAIHUA_MAX_UPLOAD_MB": IMPORT_MB})
            if current_id(guard) is not None:
                notes.append("DATABASE_URL was ignored by `python -m geodata import` (it wrote a store): the "
                             "PostGIS backend is not in this build")
                configs.append(ConfigResult(label, cfg.servers, "—", problem="PostGIS backend not in this build"))
                db = None
            else:
                res = run_config(label, db_env, cfg.servers, cfg, ds, work, log, [], expect="postgis")
                configs.append(res)
                if res.problem:
                    db = None
                    notes.append(res.problem)
                elif cfg.server_repeats:
                    server_rows.append(time_select_belt(Settings.from_env(db_env), ds, cfg.server_repeats,
                                                        "1 process · PostGIS"))
        if not db and (cfg.servers > 1 or not cfg.baseline):
            shared = f"{cfg.servers} {plural} · shared GeoPackage store" + (" + Redis" if rd else "")
            env = {**store_env, **({"REDIS_URL": rd} if rd else {})}
            configs.append(run_config(shared, env, cfg.servers, cfg, ds, work, log, ["--store", str(store)]))
    header = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "run": "scale",
              "data": f"{cfg.data.name} ({len(ds.villages()):,} villages, {len(ds.belts()):,} belts, "
                      f"{len(ds.county())} {'county' if len(ds.county()) == 1 else 'counties'})",
              **facts, "load average at end": f"{os.getloadavg()[0]:.2f}"}
    return report(header, configs, server_rows, notes)


def main(argv: list[str] | None = None) -> str:
    cfg = parse(argv)
    text = run(cfg, log=lambda msg: print(msg, file=sys.stderr, flush=True))
    print(text)
    if cfg.out:
        cfg.out.write_text(text + "\n", encoding="utf-8")
    return text
