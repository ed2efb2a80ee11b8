"""The scale benchmark's pure parts (percentiles, viewer scripts, tables, the publish wait) and one small run.

No timing is asserted: figures depend on the machine. The smoke run starts two real gunicorns on the shipped
county data sharing one temporary store, drives three viewers for two seconds and publishes one change.
"""

from __future__ import annotations

import math
import threading
import time

import pytest

from benchmarks import scale_servers
from benchmarks.__main__ import main
from benchmarks.scale_report import ConfigResult, Percentiles, load_table, load_verdict, publish_table, publish_verdict
from benchmarks.scale_servers import PublishResult, change_file, wait_for_version
from benchmarks.scale_viewers import (
    BELT,
    DRILL,
    MEASURE,
    OPEN,
    Catalogue,
    LevelResult,
    catalogue_for,
    measures_in,
    viewer_address,
    viewer_script,
)
from dashboard import ids
from geodata import DEFAULT_PATH, open_dataset

PROVINCE = Catalogue({"330824": ("B01", "B02", "B03"), "338801": ("C01B01", "C01B02")},
                     ("none", "score", "pillar:ecology"))
COUNTY = Catalogue({"": ("B01", "B02")}, ("none", "score"))


def test_percentiles_are_nearest_rank_observed_values():
    p = Percentiles.of([i / 1000 for i in range(100, 0, -1)])  # 1..100 ms, unordered
    assert (p.p50, p.p95, p.p99, p.n) == (0.05, 0.095, 0.099, 100)
    assert Percentiles.of([0.007]).p99 == 0.007
    empty = Percentiles.of([])
    assert math.isnan(empty.p95) and empty.ms() == "—"
    assert Percentiles.of([0.001, 0.002]).ms() == "1.0 / 2.0 / 2.0 ms"


def test_catalogue_groups_belts_by_county_and_reads_measures_from_the_layout():
    cat = catalogue_for([("C01B02", "338801101"), ("B01", "330824100"), ("C01B01", "338801102")], 2, ["score"])
    assert cat.belts_by_county == {"330824": ("B01",), "338801": ("C01B01", "C01B02")} and cat.drill
    assert not catalogue_for([("B01", "330824100")], 1, []).drill
    layout = {"props": {"children": [{"props": {"id": "x", "children": {"props": {
        "id": ids.MEASURE, "options": [{"label": "得分", "value": "score"}, {"label": "无", "value": "none"}]}}}}]}}
    assert measures_in(layout) == ["score", "none"]
    assert measures_in({"props": {"children": []}}) == []


def _sessions(script):
    out = []
    for step in script:
        if step.action == OPEN:
            out.append([])
        else:
            out[-1].append(step)
    return out


def test_viewer_scripts_are_reproducible_and_differ_between_viewers():
    assert viewer_script(PROVINCE, 3) == viewer_script(PROVINCE, 3)
    assert viewer_script(PROVINCE, 3) != viewer_script(PROVINCE, 4)


def test_a_province_viewer_drills_in_then_clicks_only_that_countys_belts():
    script = viewer_script(PROVINCE, 11, sessions=30, clicks=(2, 5))
    assert script[0].action == OPEN
    sessions = _sessions(script)
    assert len(sessions) == 30
    counties = set()
    for steps in sessions:
        drill, *clicks = steps
        assert drill.action == DRILL and drill.ident == ids.MAP
        county = drill.value["points"][0]["customdata"].removeprefix("county:")
        counties.add(county)
        assert 2 <= len(clicks) <= 5
        measure = None
        for step in clicks:
            assert step.action in (BELT, MEASURE)
            if step.action == BELT:
                assert step.value["points"][0]["customdata"].removeprefix("belt:") in PROVINCE.belts_by_county[county]
            else:
                assert step.ident == ids.MEASURE and step.value in PROVINCE.measures and step.value != measure
                measure = step.value
    assert counties == set(PROVINCE.belts_by_county)  # over 30 visits, both counties are visited
    kinds = {s.action for s in script}
    assert {BELT, MEASURE} <= kinds


def test_a_county_viewer_never_drills_in():
    script = viewer_script(COUNTY, 5, sessions=10)
    assert DRILL not in {s.action for s in script}
    assert sum(s.action == OPEN for s in script) == 10


def _level(viewers: int, latencies_ms: list[float], errors: dict[str, int] | None = None) -> LevelResult:
    lv = LevelResult(viewers, 2, seconds=10.0)
    for v in latencies_ms:
        lv.ok(BELT, v / 1000)
    for kind, n in (errors or {}).items():
        for _ in range(n):
            lv.fail(kind)
    return lv


def test_every_viewer_connects_from_an_address_of_its_own_on_loopback():
    import ipaddress

    addresses = [viewer_address(i) for i in range(600)]
    assert len(set(addresses)) == 600  # per-address limits count people, not the benchmark
    assert all(ipaddress.ip_address(a).is_loopback and not a.endswith((".0", ".1", ".255")) for a in addresses)


def test_load_verdict_applies_the_target_at_200_viewers_only():
    assert load_verdict(_level(200, [10] * 99 + [500])) == "pass"  # p95 10 ms
    assert load_verdict(_level(200, [150] * 100)) == "**miss**"
    assert load_verdict(_level(200, [10] * 100, {"HTTP 503": 1})) == "**miss**"  # one error misses it
    assert load_verdict(_level(50, [150] * 100)) == "—"
    assert load_verdict(_level(200, [])) == "not measured"
    assert load_verdict(_level(200, [], {"ReadTimeout": 400})) == "**miss**"  # nothing answered: a miss


def test_load_table_has_a_row_per_level_with_throughput_errors_and_the_not_run_reason():
    ok = ConfigResult("2 servers · PostGIS + Redis", 2, "postgis", levels=[_level(50, [5] * 20),
                                                                        _level(200, [8] * 30, {"ReadTimeout": 2})])
    missing = ConfigResult("2 servers · PostGIS", 2, "—", problem="PostGIS backend not in this build")
    text = load_table([ok, missing])
    rows = [line for line in text.splitlines() if line.startswith("| 2 servers")]
    assert len(rows) == 3
    assert "| 50 | 20 | 2 | 5.0 / 5.0 / 5.0 ms | 0 | — | — |" in rows[0]
    assert "| 200 | 30 | 3 |" in rows[1] and "2 {'ReadTimeout': 2}" in rows[1] and "**miss**" in rows[1]
    assert "not run" in rows[2] and "PostGIS backend not in this build" in rows[2]


def test_publish_verdict_needs_every_server_on_one_new_version_within_5_s():
    urls = ["http://127.0.0.1:1", "http://127.0.0.1:2"]
    before = dict.fromkeys(urls, "v1")
    assert publish_verdict(PublishResult(9.0, 0.4, before, dict.fromkeys(urls, "v2"))) == "pass"
    assert publish_verdict(PublishResult(9.0, 6.0, before, dict.fromkeys(urls, "v2"))) == "**miss**"
    assert publish_verdict(PublishResult(9.0, None, before, dict.fromkeys(urls, "v2"))) == "**miss**"
    assert publish_verdict(PublishResult(9.0, 0.4, before, {urls[0]: "v2", urls[1]: "v1"})) == "**miss**"
    assert publish_verdict(None) == "not run"
    text = publish_table([ConfigResult("1 server · GeoPackage", 1, "gpkg",
                                       publish=PublishResult(9.0, 0.4, before, dict.fromkeys(urls, "v2")))])
    assert "| 1 server · GeoPackage | 9.0 s | 0.40 s (from the command's end) | v1 → v2 | ≤ 5 s | pass |" in text


def test_waiting_for_a_version_needs_it_three_times_in_a_row(monkeypatch):
    answers = iter(["v1", "v2", "v1", "v2", "v2", "v2", "v2"])
    calls = []

    def fake(url):
        calls.append(url)
        return {"data_version": next(answers)}

    monkeypatch.setattr(scale_servers, "healthz", fake)
    seconds, version = wait_for_version("http://127.0.0.1:9", "v1", since=0.0, timeout=1e12, interval=0)
    assert version == "v2" and len(calls) == 6 and seconds >= 0
    monkeypatch.setattr(scale_servers, "healthz", lambda url: {"data_version": "v1"})
    import time

    assert wait_for_version("http://127.0.0.1:9", "v1", since=time.monotonic(), timeout=0.05, interval=0.01) \
        == (None, "v1")


def test_the_published_change_moves_twenty_indicator_values(tmp_path):
    indicators = open_dataset(DEFAULT_PATH).indicators()
    path = change_file(indicators, 3, tmp_path)
    import pandas as pd

    rows = pd.read_csv(path, dtype={"village_code": str})
    assert len(rows) == 20 and "synthetic" not in rows
    assert (rows.value - indicators.head(20).value.to_numpy()).round(6).eq(0.3).all()


@pytest.fixture(scope="module")
def smoke(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("scale") / "scale.md"
    text = main(["--scale", "--data", str(DEFAULT_PATH), "--servers", "2", "--no-baseline", "--viewers", "3",
                 "--seconds", "2", "--server-repeats", "2", "--out", str(out)])
    assert out.read_text(encoding="utf-8").strip() == text.strip()
    return text


def test_smoke_run_drives_two_servers_and_publishes_to_both(smoke):
    rows = {line.split("|")[1].strip(): line for line in smoke.splitlines() if line.startswith("| 2 servers")}
    load = next(line for line in smoke.splitlines() if line.startswith("| 2 servers") and "| 3 |" in line)
    cells = [c.strip() for c in load.split("|")]
    assert int(cells[4].replace(",", "")) > 0 and cells[7] == "0"  # requests answered, none failed
    assert "select belt p95" in load and "open page p95" in load
    publish = next(line for line in smoke.splitlines() if line.startswith("| 2 servers") and " → " in line)
    before, after = publish.split("|")[4].strip().split(" → ")
    assert before != after  # both servers moved to the same new version (one "before → after" pair)
    assert rows and "load average at end" in smoke and "1 process · GeoPackage store" in smoke


def test_a_publish_is_timed_from_the_command_end_for_a_folder_store(monkeypatch):
    from benchmarks import scale_servers

    ended = threading.Event()
    asked_after: list[int] = []

    def fake_health(url):
        if ended.is_set():
            asked_after.append(1)
        # a server that switches a few answers after the command ended
        return {"data_version": "v2" if len(asked_after) > 4 else "v1"}

    def fake_cli(args, env):
        ended.set()
        return 1.5

    monkeypatch.setattr(scale_servers, "healthz", fake_health)
    monkeypatch.setattr(scale_servers, "settled_healthz", lambda url: {"data_version": "v1"})
    monkeypatch.setattr(scale_servers, "geodata_cli", fake_cli)
    result = scale_servers.publish_and_wait(["http://a", "http://b"], ["import", "x"], {}, timeout=30)
    assert result.since == "command" and result.import_seconds == 1.5
    assert result.served_seconds is not None and result.served_seconds >= 0 and result.agreed


def test_a_failed_import_stops_the_servers_being_asked(monkeypatch):
    from benchmarks import scale_servers

    monkeypatch.setattr(scale_servers, "healthz", lambda url: {"data_version": "v1"})
    monkeypatch.setattr(scale_servers, "settled_healthz", lambda url: {"data_version": "v1"})

    def failing(args, env):
        raise RuntimeError("python -m geodata import x: exit 1")

    monkeypatch.setattr(scale_servers, "geodata_cli", failing)
    with pytest.raises(RuntimeError, match="exit 1"):
        scale_servers.publish_and_wait(["http://a"], ["import", "x"], {}, timeout=30)


def test_the_commit_of_a_postgis_publish_is_heard(database_url):
    import sqlalchemy as sa

    from benchmarks.scale_servers import CommitWatch
    from geodata import db

    watch = CommitWatch(database_url)
    try:
        with db.engine(database_url).begin() as conn:
            conn.execute(sa.select(sa.func.pg_notify("kaihua_version", "v0002")))
            assert watch.at is None  # not before the commit
        deadline = time.monotonic() + 30
        while watch.at is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert watch.at is not None
    finally:
        watch.close()
