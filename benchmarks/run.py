"""One benchmark run: measure everything in a fixed order and turn it into the table's rows.

Order matters on a two-core machine: in-process timings first (nothing else running), then PNG export, then
the production server for the browser figures, and the load run last, since it heats the workers.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from benchmarks import report
from benchmarks.interactions import Interaction, _county, record
from benchmarks.report import Row, Stat, kb, ms, ratio
from benchmarks.server import Gunicorn, InProcess, Timed, time_interaction, time_unseen_belts
from callbacks.context import parse_state
from dashboard.config import Settings
from geodata import DEFAULT_PATH, open_dataset

KB10 = 10 * 1024
MB15 = 1.5 * 1024 * 1024


@dataclass(frozen=True)
class Config:
    """How much to measure. ``full`` is the reported run; ``quick`` a smoke run; ``tiny`` is for tests."""

    name: str
    repeats: int  # timed replays of each interaction in process
    naive_repeats: int
    viewers: int
    seconds: float
    browser_repeats: int
    png_repeats: int
    publishes: int = 20  # memory: publishes of the store the app serves (RSS after the last vs after the first)
    browser: bool = True
    png: bool = True
    load: bool = True
    memory: bool = True
    data: Path | None = None
    wall_minutes: float = 30.0  # the wall's tour at dwell 2 s, heap sampled along it
    wall: bool = True


PRESETS = {
    "full": Config("full", repeats=200, naive_repeats=20, viewers=50, seconds=120, browser_repeats=10, png_repeats=5,
                   wall_minutes=30),
    "quick": Config("quick", repeats=30, naive_repeats=5, viewers=10, seconds=15, browser_repeats=3, png_repeats=2,
                    wall_minutes=1),
    "tiny": Config("tiny", repeats=3, naive_repeats=1, viewers=2, seconds=2, browser_repeats=1, png_repeats=1,
                   publishes=2, wall_minutes=0.2),
}


def _server_rows(timed: list[Timed]) -> list[Row]:
    rows: list[Row] = []
    for t in timed:
        selection = t.name in ("select belt", "select village")
        if t.map is not None and t.naive_map is not None:
            r = t.naive_map.p95 / t.map.p95 if t.map.p95 else math.nan
            rows.append(Row(f"{t.name}: map callback, server", ms(t.map), ms(t.naive_map),
                            ratio(t.naive_map.p95, t.map.p95),
                            "p95 ≤ 10 ms, ≥ 10x" if t.name == "select belt" else "—", t.map.p95 * 1000,
                            (lambda v, r=r: v <= 10 and r >= 10) if t.name == "select belt" else None,
                            "POST through the Dash dispatch; ratio of p95"))
        naive = t.naive_chain
        calls = f"{t.requests} callback" + ("s" if t.requests != 1 else "")
        rows.append(Row(f"{t.name}: all {calls}, server", ms(t.chain),
                        ms(naive) if naive else "—", ratio(naive.p95, t.chain.p95) if naive else "—",
                        "p95 ≤ 10 ms, ≥ 10x" if t.name == "select belt" else "—", t.chain.p95 * 1000,
                        (lambda v, n=naive, c=t.chain: v <= 10 and n.p95 / c.p95 >= 10)
                        if t.name == "select belt" and naive else None,
                        "sum of the chain dash-renderer sends" + ("" if naive else "; no map redraw, no baseline")
                        + (f"; slowest: {t.slowest[0]} {ms(t.slowest[1])}" if t.slowest and t.requests > 1 else "")))
        rows.append(Row(f"{t.name}: bytes sent (gzip · raw)", f"{kb(t.chain_wire)} · {kb(t.chain_raw)}",
                        f"{kb(t.naive_wire)} · {kb(t.naive_raw)}" if naive else "—",
                        ratio(t.naive_wire, t.chain_wire) if naive else "—",
                        "≤ 10 KB" if selection else "—", t.chain_wire if selection else None,
                        (lambda v: v <= KB10) if selection else None,
                        f"map patch {kb(t.map_wire)} · {kb(t.map_raw)}" if t.map else ""))
    return rows


def _unseen_rows(unseen: Stat | None) -> list[Row]:
    label = "select belt, a view state never seen: whole chain, server"
    if unseen is None:
        return [Row(label, "not run", target="p95 ≤ 40 ms", check=lambda v: v <= 40)]
    return [Row(label, ms(unseen), target="p95 ≤ 40 ms", value=unseen.p95 * 1000, check=lambda v: v <= 40,
                note=f"{unseen.n} other belts, each selected once on a fresh page: no per-state cache helps; "
                     "POST through the Dash dispatch")]


CLICK_TARGET = "p95 ≤ 100 ms, ≥ 2x"
PROVINCE_CLICK_TARGET = "p95 ≤ 150 ms"


def _click_row(label: str, app: list[float], naive: list[float], note: str, target: str = CLICK_TARGET) -> Row:
    """A click row: the app against the naive app clicked in the same browser (ratio of p50; p95 in the note).
    Without a naive app (province data) the target is the province's."""
    a = Stat.of([m / 1000 for m in app])
    if not naive:
        check = (lambda v: v <= 150) if target != "—" else None
        return Row(label, ms(a), target=PROVINCE_CLICK_TARGET if check else "—", value=a.p95 * 1000, check=check,
                   note=note + "; province data, the page drilled into the belt's county (its link), no naive app")
    n = Stat.of([m / 1000 for m in naive])
    fold = min(n.p50 / a.p50, n.p95 / a.p95) if a.p50 and a.p95 else math.nan
    return Row(label, ms(a), ms(n), ratio(n.p50, a.p50), target, a.p95 * 1000,
               lambda v, f=fold: v <= 100 and f >= 2,
               f"{note}; naive = benchmarks/naive_app.py in the same browser, clicked in turn "
               f"({a.n} + {n.n} clicks); ratio of p95 {ratio(n.p95, a.p95)}")


def _browser_rows(b) -> list[Row]:
    if b is None:
        return [Row("first page load, all resources (gzip)", "not run", target="≤ 1.5 MB", check=lambda v: v <= MB15),
                Row("first full map render, warm", "not run", target="p50 ≤ 1.0 s", check=lambda v: v <= 1.0),
                Row("click belt on the map → selection highlighted", "not run", target=CLICK_TARGET,
                    check=lambda v: v <= 100)]
    render = Stat.of([m / 1000 for m in b.render_ms])
    top = ", ".join(f"{u.rsplit('/', 1)[-1]} {kb(n)}" for u, n in b.largest[:3])
    size = f"map {b.map_size[0]}×{b.map_size[1]} px"
    return [
        Row("first page load, all resources (gzip)", f"{kb(b.first_load_bytes)} (raw {kb(b.first_load_raw)})",
            target="≤ 1.5 MB", value=b.first_load_bytes, check=lambda v: v <= MB15,
            note=f"cold cache, Accept-Encoding gzip; largest: {top}"),
        Row("first full map render, warm", ms(render), target="p50 ≤ 1.0 s", value=render.p50,
            check=lambda v: v <= 1.0, note="navigation start → every village polygon drawn"),
        _click_row("click belt on the map → selection highlighted", b.click_ms, b.naive_click_ms,
                   f"pointer press → the belt's route drawn wider in the SVG; {size}"),
        _click_row("click belt on the map → framed and labelled", b.framed_ms, b.naive_framed_ms,
                   "pointer press → plotly drew the server's patch (framed on the belt, villages dimmed, labels)",
                   target="—"),
        _click_row("click belt in the list → selection highlighted", b.list_ms, b.naive_click_ms,
                   "pointer press on the belt list's entry → its route drawn wider (the naive app has no list: "
                   "its map click)"),
        _click_row("click belt in the list → framed and labelled", b.list_framed_ms, b.naive_framed_ms,
                   "pointer press on the list's entry → plotly drew the server's patch", target="—"),
    ]


def _png_rows(exports: dict | None) -> list[Row]:
    from benchmarks.export import EXPORTS

    rows = []
    for label, (note, target) in EXPORTS.items():
        check = (lambda v, lim=target: v <= lim) if target else None
        goal = f"≤ {target:g} s" if target else "—"
        if exports is None or label not in exports:
            rows.append(Row(label, "not run", target=goal, check=check))
            continue
        times, size = exports[label]
        s = Stat.of(times)
        rows.append(Row(label, f"{s.p50:,.2f} / {s.p95:,.2f} s", target=goal, value=s.p95, check=check,
                        note=f"{kb(size)}, {note}"))
    return rows


def _load_rows(load, rss: int | None, cfg: Config) -> list[Row]:
    label = f"{cfg.viewers} viewers × {cfg.seconds:g} s, per request"
    if load is None:
        return [Row(label, "not run", target="p95 ≤ 100 ms, 0 errors", check=lambda v: v <= 100)]
    s = load.stat
    return [
        Row(label, ms(s), target="p95 ≤ 100 ms, 0 errors", value=s.p95 * 1000,
            check=lambda v, e=load.errors: v <= 100 and e == 0,
            note=f"gunicorn 2 workers; {len(load.latencies)} requests, {load.throughput:,.0f} req/s, "
                 f"{load.errors} errors {load.error_kinds or ''}; think time 0.5-2 s"),
        Row("peak RSS of one worker after the load run", kb(rss) if rss else "—",
            note="max VmHWM over the workers"),
    ]


def _memory_rows(mem, cfg: Config) -> list[Row]:
    label = f"memory: RSS after {cfg.publishes} publishes vs 1"
    target, check = "≤ 1.10x", (lambda v: v <= 1.10)
    if mem is None:
        return [Row(label, "not run", target=target, check=check)]
    return [Row(label, f"{kb(mem.rss_last)} vs {kb(mem.rss_first)}", ratio=f"{mem.ratio:,.3f}x", target=target,
                value=mem.ratio, check=check,
                note="one process: a temp store, create_app once; each publish changes 20 indicator values, then "
                     "the page, layout, GeoJSON and every recorded interaction run on the new version")]


WALL_TRANSITION = "wall step → map redrawn"
BRIEF_TRANSITION = "brief step → panel and map redrawn"


def brief_rows(times: list[float] | None) -> list[Row]:
    if not times:
        return [Row(BRIEF_TRANSITION, "not run", target="p95 ≤ 300 ms", check=lambda v: v <= 300)]
    s = Stat.of([m / 1000 for m in times])
    return [Row(BRIEF_TRANSITION, ms(s), target="p95 ≤ 300 ms", value=s.p95 * 1000, check=lambda v: v <= 300,
                note=f"Chromium 1920×1080, {s.n} steps (→ key): key press → the step's panel shown and plotly has "
                     "drawn its map (server callbacks and transfer included)")]


def wall_rows(w, cfg: Config) -> list[Row]:
    heap_label = f"wall JS heap over a {cfg.wall_minutes:g}-minute tour (dwell 2 s)"
    if w is None:
        return [Row(WALL_TRANSITION, "not run", target="p95 ≤ 300 ms", check=lambda v: v <= 300),
                Row(heap_label, "not run", target="growth ≤ 10 %", check=lambda v: v <= 10)]
    s = Stat.of([m / 1000 for m in w.transition_ms])
    first, last = w.heap[0][1], w.heap[-1][1]
    peak = max(b for _, b in w.heap)
    return [
        Row(WALL_TRANSITION, ms(s), target="p95 ≤ 300 ms", value=s.p95 * 1000, check=lambda v: v <= 300,
            note=f"Chromium 1920×1080, {s.n} steps: the tour asks for a step → plotly has drawn the map with "
                 "its belt selected (server callbacks and transfer included)"),
        Row(heap_label, f"{kb(first)} → {kb(last)} ({w.growth:+.1f} %)", target="growth ≤ 10 %", value=w.growth,
            check=lambda v: v <= 10,
            note=f"after a forced GC, {len(w.heap)} samples, peak {kb(peak)}; {w.steps} steps asked for; "
                 "first sample after one whole tour"),
        *_heap_kind_rows(w, cfg),
    ]


def _heap_kind_rows(w, cfg: Config) -> list[Row]:
    """The heap split by kind (two heap snapshots): a leak is page objects growing; compiled code growing is V8
    optimising hot functions, which levels off."""
    from benchmarks.heap import growth

    if len(w.kinds) < 2:
        return []
    first, last = w.kinds[0], w.kinds[-1]
    grown = growth(first, last)
    parts = " · ".join(f"{k} {kb(first[k])} → {kb(last[k])} ({grown[k]:+.1f} %)" for k in first)
    return [Row(f"wall heap by kind over the {cfg.wall_minutes:g}-minute tour", f"{grown['page objects']:+.1f} %",
                target="page objects ≤ 10 %", value=grown["page objects"], check=lambda v: v <= 10,
                note=f"heap snapshots after a forced GC at the first and last sample: {parts}")]


def _peak_rss(pids: list[int]) -> int | None:
    peaks = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
                peaks += [int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM")]
        except OSError:
            continue
    return max(peaks) if peaks else None


def _wall(url: str, cfg: Config, log):
    from benchmarks.wall import measure_wall

    log(f"wall: a {cfg.wall_minutes:g}-minute tour at dwell 2 s")
    result = measure_wall(url + "/wall", cfg.wall_minutes, log=log)
    if result.refused:
        raise RuntimeError(f"the wall tried to fetch from elsewhere: {result.refused[:3]}")
    return result


def run_wall_only(cfg: Config, log=print) -> str:
    """Only the wall's rows (against the production server): ``python -m benchmarks --wall-only``."""
    facts = report.machine()
    settings = Settings(data_path=cfg.data or DEFAULT_PATH)
    ds = open_dataset(settings.data_path)
    brief = None
    with Gunicorn(cfg.data) as prod:
        wall = _wall(prod.url, cfg, log)
        if len(ds.county()) == 1:
            from benchmarks.wall import measure_brief

            brief, _ = measure_brief(prod.url + "/brief", 1, log)
    header = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "run": f"{cfg.name}, wall only",
              "data": f"{Path(settings.data_path).name} ({len(ds.villages())} villages, {len(ds.belts())} belts)",
              **facts}
    return report.table([*wall_rows(wall, cfg), *brief_rows(brief)], header)


def run(cfg: Config, log=print) -> str:
    """Measure, and return the markdown report."""
    facts = report.machine()  # before anything runs, so the load average is the machine's, not ours
    settings = Settings(data_path=cfg.data or DEFAULT_PATH)
    ds = open_dataset(settings.data_path)
    log(f"benchmark ({cfg.name}) on {settings.data_path}: recording interactions")
    server = InProcess(settings)
    inters: list[Interaction] = record(server.get_json("/_dash-layout"), server.get_json("/_dash-dependencies"),
                                       server.post, ds)
    log("timing callbacks in process")
    timed = [time_interaction(server, i, cfg.repeats, cfg.naive_repeats) for i in inters]
    first_belt = next(i for i in inters if i.name == "select belt").map_state["belt"]
    unseen = time_unseen_belts(server, server.get_json("/_dash-layout"), server.get_json("/_dash-dependencies"),
                               ds, first_belt)
    mem = None
    if cfg.memory:
        log(f"memory: {cfg.publishes} publishes, the app used after each")
        from benchmarks.memory import measure as measure_memory

        mem = measure_memory(cfg.publishes, log)
    belt = next(i for i in inters if i.name == "select belt")
    belt_state = belt.map_state
    exports = None
    if cfg.png:
        log("exports: map sheets, dossiers, HTML map, data files")
        from benchmarks.export import time_exports

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # kaleido warns that kopts are ignored by its warm server
            exports = time_exports(parse_state(belt_state, ds), settings, ds, cfg.png_repeats)
    b = load = rss = wall = brief = None
    if cfg.browser or cfg.load:
        with Gunicorn(cfg.data) as prod:
            if cfg.browser:
                log(f"browser at {prod.url}")
                from benchmarks.browser import measure
                from benchmarks.server import NaiveServer

                belt_uid = f"belt-{belt_state['belt']}"
                county = _county(ds, belt_state["belt"])
                if county is None:
                    b = measure(prod.url + "/", len(ds.villages()), belt_uid,
                                lambda size: NaiveServer(cfg.data, size), cfg.browser_repeats)
                else:  # province data: the page drilled into the belt's county (its link), no naive app
                    shown = int(ds.villages().code.str.startswith(county).sum())
                    b = measure(f"{prod.url}/?county={county}", shown, belt_uid, None, cfg.browser_repeats)
                if b.refused:
                    raise RuntimeError(f"the page tried to fetch from elsewhere: {b.refused[:3]}")
            if cfg.browser and cfg.wall:
                wall = _wall(prod.url, cfg, log)
                if len(ds.county()) == 1:
                    from benchmarks.wall import measure_brief

                    brief, refused = measure_brief(prod.url + "/brief", 2 if cfg.name == "full" else 1, log)
                    if refused:
                        raise RuntimeError(f"the briefing tried to fetch from elsewhere: {refused[:3]}")
            if cfg.load:
                log(f"load: {cfg.viewers} viewers for {cfg.seconds:g} s")
                from benchmarks.load import load as run_load

                load = run_load(prod.url, [i.bodies for i in inters], cfg.viewers, cfg.seconds)
                rss = _peak_rss(prod.worker_pids())
    from benchmarks.room import measure as measure_room  # starts its own gunicorn: after the one above
    from benchmarks.room import room_rows

    room = None
    if cfg.browser and cfg.wall:
        log(f"presenter → wall: {2 * cfg.browser_repeats} moves in a room")
        room = measure_room(2 * cfg.browser_repeats)
    rows = [*_server_rows(timed), *_unseen_rows(unseen), *_browser_rows(b), *wall_rows(wall if cfg.wall else None, cfg),
            *brief_rows(brief), *room_rows(room),
            *_png_rows(exports), *_memory_rows(mem, cfg), *_load_rows(load, rss, cfg)]
    header = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "run": cfg.name,
              "data": f"{Path(settings.data_path).name} ({len(ds.villages())} villages, {len(ds.belts())} belts)",
              **facts}
    return report.table(rows, header)
