"""``python -m benchmarks.province_server``: the server's side of province data, in process.

What a viewer of the province waits for on the server, through Flask's test client (routing, callbacks,
serialisation and compression all in the time; no socket, no browser):

- the page: ``/_dash-layout`` bytes (raw and gzip) and seconds, first and warm;
- a first drill-in into a county never seen by this process: the chain of callbacks a click on the county
  fires, plus the county's village GeoJSON the browser then fetches;
- the first select-belt chain in that county (a belt never clicked), and the warm chain (two belts of the
  county clicked in turn, as a viewer going back and forth).

Each county is a fresh page (a new :class:`~benchmarks.dashclient.DashClient`), as leaving a county reloads
the page. The very first drill-in of the process (the dataset's own caches cold) is reported on its own.
Numbers depend on the machine's load: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

from benchmarks.dashclient import DashClient
from benchmarks.report import Stat
from benchmarks.scale_viewers import click
from benchmarks.server import InProcess
from dashboard import ids
from dashboard.config import Settings
from geodata import open_dataset

ROOT = Path(__file__).resolve().parents[1]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Timer:
    """A ``post`` for :class:`DashClient` that sums the seconds of every callback request it sends."""

    def __init__(self, server: InProcess) -> None:
        self.server = server
        self.seconds = 0.0
        self.requests = 0

    def __call__(self, body: dict) -> tuple[int, dict | None]:
        start = time.perf_counter()
        out = self.server.post(body)
        self.seconds += time.perf_counter() - start
        self.requests += 1
        if out[0] not in (200, 204):
            raise RuntimeError(f"{body['output']}: HTTP {out[0]}")
        return out


def timed_act(page: DashClient, server: InProcess, customdata: str) -> tuple[float, int]:
    """(seconds, requests) of the callback chain one click on ``customdata`` fires."""
    timer = Timer(server)
    page.post = timer
    page.act(ids.MAP, "clickData", click(customdata))
    return timer.seconds, timer.requests


def get_bytes(server: InProcess, path: str) -> tuple[float, int, int]:
    """(seconds, raw bytes, gzip bytes) of a GET as a browser sends it (gzip accepted)."""
    start = time.perf_counter()
    resp = server.client.get(path, headers={"Accept-Encoding": "gzip"})
    seconds = time.perf_counter() - start
    if resp.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {resp.status_code}")
    wire = resp.get_data()
    raw = gzip.decompress(wire) if resp.headers.get("Content-Encoding") == "gzip" else wire
    return seconds, len(raw), len(wire)


def ms(stat: Stat) -> str:
    return f"{stat.p50 * 1000:,.1f} / {stat.p95 * 1000:,.1f} ms (n={stat.n})"


def run(data: Path, counties: int, warm: int, log=print, preload: bool = False) -> list[str]:
    lines = [f"data: {data}", f"load average at start: {loadavg()}"]
    start = time.perf_counter()
    ds = open_dataset(data)
    ds.villages()
    lines.append(f"open dataset: {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    server = InProcess(Settings.from_env({**os.environ, "KAIHUA_DATA": str(data)}))
    lines.append(f"create app: {time.perf_counter() - start:.2f} s")
    if preload:  # what dashboard/wsgi.py does in gunicorn's master before the workers fork
        from dashboard.serving import warm as warm_app

        start = time.perf_counter()
        warm_app(server.app)
        lines.append(f"warm (gunicorn's master, before the fork): {time.perf_counter() - start:.2f} s")
    first_layout = get_bytes(server, "/_dash-layout")
    warm_layouts = [get_bytes(server, "/_dash-layout") for _ in range(5)]
    lines.append(f"/_dash-layout: {first_layout[1]:,} B raw, {first_layout[2]:,} B gzip; first "
                 f"{first_layout[0] * 1000:,.0f} ms, warm median "
                 f"{statistics.median(s for s, _, _ in warm_layouts) * 1000:,.1f} ms (n=5)")
    layout, deps = server.get_json("/_dash-layout"), server.get_json("/_dash-dependencies")
    belts = ds.belts()
    by_county: dict[str, list[str]] = {}
    for belt, towns in zip(belts.belt_id, belts.township_codes):
        by_county.setdefault(str(towns)[:6], []).append(belt)
    order = [c for c in sorted(by_county) if len(by_county[c]) >= 2][: counties + 1]
    drills, geo, geo_raw, geo_wire, firsts, warms = [], [], [], [], [], []
    for i, county in enumerate(order):
        page = DashClient(layout, deps, server.post)
        seconds, n = timed_act(page, server, f"county:{county}")
        # what the browser fetches next: the county's villages (the map's patch names this URL)
        gsec, graw, gwire = get_bytes(server, f"/geo/{ds.version}/villages-{county}.geojson")
        first, _ = timed_act(page, server, f"belt:{by_county[county][0]}")
        pair = by_county[county][:2]
        timed_act(page, server, f"belt:{pair[1]}")  # the second belt's first click: not warm yet
        rounds = [timed_act(page, server, f"belt:{pair[k % 2]}")[0] for k in range(warm)]
        label = "first in process" if i == 0 else f"county {i}"
        log(f"{label} {county}: drill {seconds * 1000:,.0f} ms ({n} requests), geojson {gsec * 1000:,.0f} ms "
            f"{graw:,} B raw {gwire:,} B gzip, first belt {first * 1000:,.1f} ms, warm median "
            f"{statistics.median(rounds) * 1000:,.1f} ms")
        if i == 0:
            lines.append(f"first drill-in of the process ({county}): {seconds * 1000:,.0f} ms chain + "
                         f"{gsec * 1000:,.0f} ms GeoJSON; its first belt {first * 1000:,.1f} ms")
            continue
        drills.append(seconds)
        geo.append(gsec)
        geo_raw.append(graw)
        geo_wire.append(gwire)
        firsts.append(first)
        warms += rounds
    lines += [f"first drill-in into a county never seen (chain): {ms(Stat.of(drills))}",
              f"  + its villages' GeoJSON: {ms(Stat.of(geo))}, median {statistics.median(geo_raw):,.0f} B raw, "
              f"{statistics.median(geo_wire):,.0f} B gzip",
              f"first select-belt chain in that county: {ms(Stat.of(firsts))}",
              f"warm select-belt chain: {ms(Stat.of(warms))}",
              f"load average at end: {loadavg()}"]
    return lines


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.province_server", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", type=Path, default=ROOT / "var" / "province.gpkg")
    p.add_argument("--counties", type=int, default=5, help="counties never seen to drill into (default 5)")
    p.add_argument("--warm", type=int, default=20, help="warm select-belt chains per county (default 20)")
    p.add_argument("--preload", action="store_true",
                   help="warm the app first as gunicorn's master does (dashboard.serving.warm), then measure")
    a = p.parse_args(argv)
    for line in run(a.data, a.counties, a.warm, log=lambda m: print(m, file=sys.stderr, flush=True),
                    preload=a.preload):
        print(line)


if __name__ == "__main__":
    main()
