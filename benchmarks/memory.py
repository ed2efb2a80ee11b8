"""Memory against publishing: the app's RSS after N publishes against its RSS after one.

In this process: a fresh data store in a temporary folder, one app (``create_app``) serving it. Each round
publishes a small change of the indicators (through :mod:`geodata.versions`, as ``python -m geodata import``
does), then uses the app as a viewer would on the new version: the page and its layout, the map's GeoJSON,
and every recorded interaction (select a belt, a village, change measure and year, search) through the
Flask test client, so the map, panel and chart callbacks all fill their caches for that version. RSS is
read after the first round and after the last. If caches kept old versions, RSS would grow with each one.
"""

from __future__ import annotations

import gc
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psutil

from benchmarks.dashclient import UPDATE
from benchmarks.interactions import record
from dashboard.app import create_app
from dashboard.config import Settings
from geodata import open_dataset
from geodata.importing import Options
from geodata.versions import publish, stage

CHANGED_ROWS = 20  # indicator rows changed per publish: a small edit, as a department's correction would be


@dataclass(frozen=True)
class MemoryResult:
    """RSS in bytes after the first and the last of ``publishes`` publishes."""

    publishes: int
    rss_first: int
    rss_last: int

    @property
    def ratio(self) -> float:
        return self.rss_last / self.rss_first


def _rss() -> int:
    gc.collect()  # what is still referenced, not what the collector has not reached yet
    return psutil.Process().memory_info().rss


def publish_change(store: Path, round_no: int, work: Path) -> str:
    """Publish the current indicators with ``CHANGED_ROWS`` values moved by ``round_no``; the new version id."""
    rows = open_dataset(store).indicators().head(CHANGED_ROWS).drop(columns="synthetic")
    rows = rows.assign(value=rows.value + round_no * 0.1)
    path = work / f"indicators-{round_no:03d}.csv"
    path.write_bytes(rows.to_csv(index=False).encode("utf-8"))
    staged = stage(store, path, path.name, Options())
    if staged.token is None:
        raise RuntimeError(f"publish {round_no} failed validation: {staged.report.lines('en')[:5]}")
    path.unlink()
    return publish(store, staged.token, note=f"benchmark round {round_no}")


def exercise(client, store: Path) -> None:
    """Use the app on the published version as a viewer does (every request must succeed)."""
    ds = open_dataset(store)
    for path in ("/", "/_dash-layout", f"/geo/{ds.version}/villages.geojson"):
        resp = client.get(path)
        if resp.status_code != 200:
            raise RuntimeError(f"GET {path}: HTTP {resp.status_code}")
    layout, deps = client.get("/_dash-layout").json, client.get("/_dash-dependencies").json

    def post(body: dict):
        resp = client.post(UPDATE, json=body)
        return resp.status_code, (resp.json if resp.status_code == 200 else None)

    record(layout, deps, post, ds)  # raises if any callback of any interaction failed
    del ds


def measure(publishes: int, log=print) -> MemoryResult:
    """RSS after publish 1 and after publish ``publishes`` (at least 2), the app used after each."""
    publishes = max(2, publishes)
    with tempfile.TemporaryDirectory(prefix="kaihua-memory-") as tmp:
        store, work = Path(tmp) / "store", Path(tmp) / "work"
        work.mkdir()
        app = create_app(Settings(data_path=store))
        client = app.server.test_client()
        rss_first = 0
        for round_no in range(1, publishes + 1):
            vid = publish_change(store, round_no, work)
            exercise(client, store)
            if round_no == 1:
                rss_first = _rss()
            if round_no % 5 == 0 or round_no == publishes:
                log(f"memory: publish {round_no}/{publishes} ({vid}), RSS {_rss() / 2**20:,.0f} MB")
        rss_last = _rss()
        del app, client
    return MemoryResult(publishes, rss_first, rss_last)
