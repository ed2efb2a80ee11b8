"""Where a click's time goes: ``python -m benchmarks.profile_click [--data FILE] [--clicks 5] [--trace FILE]``.

Starts the production server (as the benchmark does), opens the explorer in headless Chromium and clicks a
belt route ``--clicks`` times (Esc between). For each click the page records, on ``performance.now()``:
every ``/_dash-update-component`` request (sent, answered, which output), every ``Plotly.react`` call
(start, resolved) and the moment the belt is drawn wider; Chromium's performance trace (CDP ``Tracing``,
the DevTools timeline categories) is taken over the same clicks and summed by kind (scripting, style and
layout, paint). Prints one line per click and the medians, and the map's SVG element counts. ``--trace``
keeps the raw trace (open it in Chromium's DevTools, Performance panel).
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict
from pathlib import Path

from benchmarks.browser import BELT_WIDTH, DEFAULT_WIDTH, PRESS, REDRAWN, SELECTED_WIDTH, _county_crumb
from benchmarks.interactions import _belt, _county
from benchmarks.server import Gunicorn
from geodata import DEFAULT_PATH, open_dataset
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, new_page
from tests.browser.mapdriver import open_page, point_of, wait_idle

# Records callback round trips and plotly's redraws on performance.now() (window.__kbProfile).
HOOKS = """() => { const P = window.__kbProfile = {fetches: [], reacts: []};
  const orig = window.fetch;
  window.fetch = (...args) => { const url = String(args[0] && args[0].url || args[0]);
    if (!url.includes('_dash-update-component')) return orig(...args);
    let out = ''; try { out = JSON.parse(args[1].body).output; } catch (e) {}
    const rec = {out, sent: performance.now()}; P.fetches.push(rec);
    return orig(...args).then(r => { rec.answered = performance.now(); return r; }); };
  for (const name of ['react', 'restyle', 'relayout', 'update', 'newPlot']) {
    const f = window.Plotly[name]; if (!f) continue;
    window.Plotly[name] = function (...a) { const gd = a[0]; const id = gd && gd.id || (gd && gd.parentElement
        && gd.parentElement.id) || ''; const rec = {name, id, start: performance.now()}; P.reacts.push(rec);
      const r = f.apply(this, a); Promise.resolve(r).then(() => { rec.end = performance.now(); }); return r; };
  } }"""
COUNTS = """() => { const svg = document.querySelector('#map .main-svg');
  const all = document.querySelectorAll('#map path');
  return {paths: all.length, villages: document.querySelectorAll('#map .choroplethlocation').length,
          scattergeo_traces: document.querySelectorAll('#map g.trace.scattergeo').length,
          text_labels: document.querySelectorAll('#map g.trace.scattergeo text').length,
          svg_nodes: document.querySelectorAll('#map svg *').length}; }"""
TIMELINE = "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute"
KINDS = {"FunctionCall": "scripting", "EvaluateScript": "scripting", "v8.callFunction": "scripting",
         "TimerFire": "scripting", "FireAnimationFrame": "scripting", "EventDispatch": "scripting",
         "UpdateLayoutTree": "style", "Layout": "layout", "PrePaint": "paint", "Paint": "paint",
         "PaintImage": "paint", "Layerize": "paint", "UpdateLayer": "paint", "Commit": "paint",
         "ParseHTML": "parse", "HitTest": "layout"}


def summarise_trace(events: list[dict]) -> dict[str, float]:
    """ms by kind of the main thread's top-level complete events (nested events are not counted twice)."""
    main = [e for e in events if e.get("ph") == "X" and e.get("name") in KINDS and "dur" in e]
    by_thread: dict[tuple, list[dict]] = defaultdict(list)
    for e in main:
        by_thread[(e["pid"], e["tid"])].append(e)
    # the renderer's main thread is the one with the most scripting
    tid = max(by_thread, key=lambda k: sum(e["dur"] for e in by_thread[k]))
    out: dict[str, float] = defaultdict(float)
    end = -1.0
    for e in sorted(by_thread[tid], key=lambda e: e["ts"]):
        if e["ts"] < end:
            continue  # nested inside the previous top-level event
        out[KINDS[e["name"]]] += e["dur"] / 1000
        end = e["ts"] + e["dur"]
    return dict(out)


def profile(url: str, belt_uid: str, clicks: int, trace_path: Path | None = None, drilled: bool = False) -> dict:
    """``drilled``: ``url`` is a county of province data, gone back to through its breadcrumb step between
    clicks (Esc would leave the county)."""
    from playwright.sync_api import sync_playwright

    refused: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context, page = new_page(browser, refused)
            open_page(page, url)
            page.evaluate(PRESS)
            page.evaluate(HOOKS)
            counts = page.evaluate(COUNTS)
            cdp = context.new_cdp_session(page)
            chunks: list[dict] = []
            cdp.on("Tracing.dataCollected", lambda p: chunks.extend(p["value"]))
            done: list[bool] = []
            cdp.on("Tracing.tracingComplete", lambda p: done.append(True))
            per_click = []
            cdp.send("Tracing.start", {"categories": TIMELINE, "transferMode": "ReportEvents"})
            for _ in range(clicks):
                page.evaluate("() => { window.__kbProfile.fetches = []; window.__kbProfile.reacts = []; }")
                x, y = point_of(page, belt_uid, 1)
                page.mouse.click(x, y)
                total = page.evaluate(REDRAWN, [belt_uid, SELECTED_WIDTH])
                wait_idle(page, 300)
                rec = page.evaluate("() => ({...window.__kbProfile, press: window.__kbPress})")
                per_click.append(_click_line(total, rec))
                _county_crumb(page) if drilled else page.keyboard.press("Escape")
                page.wait_for_function(f"([uid, width]) => ({BELT_WIDTH})(uid) === width",
                                       arg=[belt_uid, DEFAULT_WIDTH], timeout=10000)
                wait_idle(page, 300)
            cdp.send("Tracing.end")
            page.wait_for_function("() => true")
            for _ in range(100):
                if done:
                    break
                page.wait_for_timeout(100)
            context.close()
        finally:
            browser.close()
    if trace_path:
        trace_path.write_text(json.dumps({"traceEvents": chunks}), encoding="utf-8")
    return {"counts": counts, "clicks": per_click, "trace_ms": summarise_trace(chunks),
            "refused": refused}


def _click_line(total: float, rec: dict) -> dict:
    press = rec["press"]
    fetches = [{"out": f["out"][:40], "sent": f["sent"] - press, "rtt": f.get("answered", f["sent"]) - f["sent"]}
               for f in rec["fetches"]]
    reacts = [{"fn": r["name"], "id": r["id"], "start": r["start"] - press, "ms": r.get("end", r["start"]) - r["start"]}
              for r in rec["reacts"]]
    return {"total": total, "fetches": fetches, "reacts": reacts}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile_click", description=__doc__)
    p.add_argument("--data", type=Path)
    p.add_argument("--clicks", type=int, default=5)
    p.add_argument("--trace", type=Path)
    args = p.parse_args(argv)
    ds = open_dataset(args.data or DEFAULT_PATH)
    belt_uid = f"belt-{_belt(ds)}"
    county = _county(ds, _belt(ds))  # province data: the page drilled into the belt's county (its link)
    with Gunicorn(args.data) as prod:
        out = profile(prod.url + (f"/?county={county}" if county else "/"), belt_uid, args.clicks, args.trace,
                      drilled=county is not None)
    if out["refused"]:
        raise SystemExit(f"the page fetched from elsewhere: {out['refused'][:3]}")
    print("map SVG:", json.dumps(out["counts"]))
    for i, c in enumerate(out["clicks"], 1):
        f = " · ".join(f"{x['out']} @{x['sent']:.0f} rtt {x['rtt']:.0f}" for x in c["fetches"])
        r = " · ".join(f"{x['fn']}({x['id']}) @{x['start']:.0f} {x['ms']:.0f} ms" for x in c["reacts"])
        print(f"click {i}: redrawn after {c['total']:.0f} ms | requests: {f} | plotly: {r}")
    print("median press → redrawn:", f"{statistics.median(c['total'] for c in out['clicks']):.0f} ms")
    print("trace, main thread over all clicks (ms):",
          ", ".join(f"{k} {v:.0f}" for k, v in sorted(out["trace_ms"].items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
