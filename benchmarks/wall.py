"""The wall display in Debian's headless Chromium (1920x1080): how long a step takes to hand over (the step
asked for -> the map redrawn with that step's belt selected) and the JS heap over a long tour at dwell 2 s.

Times are taken inside the page: ``window.kaihuaWall.lastRequest.t`` is ``performance.now()`` when the tour asks
for a step, and plotly's ``plotly_afterplot`` marks when the map has been drawn with it. The heap is read
through the Chrome DevTools Protocol after a forced garbage collection (``HeapProfiler.collectGarbage``,
``Performance.getMetrics`` JSHeapUsedSize), so what is measured is what the page keeps, not garbage not yet
collected.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from benchmarks.heap import take_kinds
from dashboard.figures.map_style import belt_emphasis
from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, new_page

SELECTED = belt_emphasis(["b"], "b")[0][0]
DEFAULT = belt_emphasis(["b"], None)[0][0]
# Records, for every step the tour asks for, ms until the map is drawn showing it.
HOOK = """([selected, plain]) => { window.__wallTimes = [];
  const gd = document.querySelector('#wall-map .js-plotly-plot');
  gd.on('plotly_afterplot', () => {
    const W = window.kaihuaWall, req = W && W.lastRequest;
    if (!req || req.done || !W.cfg) return;
    const belt = W.cfg.belts[req.step - 1];
    const lines = gd.data.filter(t => String(t.uid).startsWith('belt-'));
    const ok = belt ? lines.some(t => t.uid === 'belt-' + belt && t.line.width === selected)
                    : lines.every(t => t.line.width === plain);
    if (ok) { req.done = true; window.__wallTimes.push(performance.now() - req.t); }
  }); }"""


@dataclass
class WallResult:
    transition_ms: list[float] = field(default_factory=list)
    heap: list[tuple[float, int]] = field(default_factory=list)  # (seconds into the tour, bytes after GC)
    steps: int = 0
    minutes: float = 0.0
    refused: list[str] = field(default_factory=list)
    kinds: list[dict[str, int]] = field(default_factory=list)  # heap snapshots by kind: first and last sample

    @property
    def growth(self) -> float:
        """Heap growth from the first sample (after one whole tour) to the mean of the last three, in %."""
        if len(self.heap) < 2:
            return float("nan")
        first = self.heap[0][1]
        last = sum(b for _, b in self.heap[-3:]) / len(self.heap[-3:])
        return 100.0 * (last - first) / first


def _heap(cdp) -> int:
    cdp.send("HeapProfiler.collectGarbage")
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return int(next(m["value"] for m in metrics if m["name"] == "JSHeapUsedSize"))


def measure_wall(url: str, minutes: float, dwell: float = 2.0, samples: int = 12, log=print) -> WallResult:
    """Tour the wall at ``url`` (``…/wall``) for ``minutes`` at ``dwell`` seconds a step."""
    from playwright.sync_api import sync_playwright

    result = WallResult(minutes=minutes)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(),
                                     args=[*CHROMIUM_ARGS, "--enable-precise-memory-info"])
        try:
            context, page = new_page(browser, result.refused, viewport={"width": 1920, "height": 1080})
            page.goto(f"{url}?dwell={dwell:g}&idle=3600")
            page.wait_for_function("() => window.kaihuaWall && window.kaihuaWall.log.length > 0", timeout=60000)
            page.evaluate(HOOK, [SELECTED, DEFAULT])
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            count = page.evaluate("() => window.kaihuaWall.cfg.count")
            # one whole tour first: every step's panel and chart have been built once, caches are warm
            page.wait_for_function("(n) => window.kaihuaWall.log.length > n", arg=count,
                                   timeout=int(count * dwell * 1000 * 3 + 60000))
            start = time.monotonic()
            total = minutes * 60
            every = total / max(samples - 1, 1)
            while True:
                elapsed = time.monotonic() - start
                result.heap.append((elapsed, _heap(cdp)))
                if len(result.heap) == 1:
                    result.kinds.append(take_kinds(cdp))
                if elapsed >= total:
                    result.kinds.append(take_kinds(cdp))
                    break
                log(f"wall tour: {elapsed / 60:.1f} of {minutes:g} min, heap {result.heap[-1][1] / 1e6:.1f} MB")
                page.wait_for_timeout(min(every, total - elapsed) * 1000)  # the tour runs meanwhile
            result.transition_ms = page.evaluate("() => window.__wallTimes")
            result.steps = page.evaluate("() => window.kaihuaWall.seq")
            context.close()
        finally:
            browser.close()
    return result


# The briefing (/brief): every step through the presenter's → key. A step is redrawn when its answer is shown
# (kaihuaBrief.log) and plotly has drawn the map it sent (the last plotly_afterplot after the key, if the step
# changed the map at all).
BRIEF_HOOK = """() => { window.__briefPlot = 0; window.__briefKey = 0;
  document.addEventListener('keydown', () => { window.__briefKey = performance.now(); }, true);
  const gd = document.querySelector('#brief-map .js-plotly-plot');
  gd.on('plotly_afterplot', () => { window.__briefPlot = performance.now(); }); }"""
BRIEF_DONE = """(n) => window.kaihuaBrief && window.kaihuaBrief.pending === null
  && window.kaihuaBrief.log.length >= n"""
BRIEF_TIME = """() => { const B = window.kaihuaBrief, k = window.__briefKey;
  const shown = B.log[B.log.length - 1].t; const plot = window.__briefPlot > k ? window.__briefPlot : 0;
  return Math.max(shown, plot) - k; }"""


def measure_brief(url: str, passes: int = 1, log=print) -> tuple[list[float], list[str]]:
    """(ms per step, refused URLs): ``passes`` times through every step of the briefing at ``url`` (…/brief),
    1920×1080, key press → the step's panel shown and its map drawn."""
    from playwright.sync_api import sync_playwright

    from tests.browser.mapdriver import wait_idle

    times: list[float] = []
    refused: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context, page = new_page(browser, refused, viewport={"width": 1920, "height": 1080})
            page.goto(url + "?step=1")
            page.wait_for_function(BRIEF_DONE, arg=1, timeout=60000)
            page.wait_for_function("() => !!document.querySelector('#brief-map .js-plotly-plot')", timeout=30000)
            wait_idle(page)
            page.evaluate(BRIEF_HOOK)
            count = page.evaluate("() => window.kaihuaBrief.cfg.count")
            for p in range(passes):
                log(f"brief: pass {p + 1} of {passes}, {count} steps")
                page.keyboard.press("Home")
                page.wait_for_function("() => window.kaihuaBrief.step === 1 && !window.kaihuaBrief.pending",
                                       timeout=30000)
                wait_idle(page)
                for _ in range(count - 1):
                    seen = page.evaluate("() => window.kaihuaBrief.log.length")
                    page.keyboard.press("ArrowRight")
                    page.wait_for_function(BRIEF_DONE, arg=seen + 1, timeout=30000)
                    wait_idle(page, 300)  # the map's redraw (if the step changed it) is over
                    times.append(page.evaluate(BRIEF_TIME))
            context.close()
        finally:
            browser.close()
    return times, refused
