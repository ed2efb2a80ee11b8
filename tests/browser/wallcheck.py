"""What a wall must be, checked in the page: no scrolling anywhere, no text box over another, no small text."""

from __future__ import annotations

from playwright.sync_api import Page

# Problems of the page as drawn: [kind, where, detail] lists. HTML text boxes are the rectangles of their text
# (a Range over each text node); the charts' SVG text is checked for size too (the map's own labels are placed
# by the map, so only their size is checked here).
LAYOUT_PROBLEMS = """(minPx) => {
  const out = [];
  const de = document.documentElement;
  if (de.scrollHeight > window.innerHeight || de.scrollWidth > window.innerWidth)
    out.push(['document scrolls', '', `${de.scrollWidth}x${de.scrollHeight} in ${innerWidth}x${innerHeight}`]);
  const name = e => (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' +
      e.className.split(' ')[0] : '') || e.tagName;
  const all = Array.from(document.querySelectorAll('body *'));
  for (const e of all) {
    if (e instanceof SVGElement) continue;  // no scroll box of its own
    const cs = getComputedStyle(e);
    if (cs.display === 'none' || cs.display === 'contents') continue;
    if (e.scrollHeight > e.clientHeight + 1 && e.clientHeight > 0)
      out.push(['inner scrolling', name(e), `scrollHeight ${e.scrollHeight} > clientHeight ${e.clientHeight}`]);
    if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
      out.push(['inner scrolling', name(e), `scrollWidth ${e.scrollWidth} > clientWidth ${e.clientWidth}`]);
  }
  const boxes = [];
  for (const e of all) {
    if (e instanceof SVGElement) continue;
    const cs = getComputedStyle(e);
    if (cs.visibility === 'hidden' || e.closest('[hidden]')) continue;
    for (const node of e.childNodes) {
      if (node.nodeType !== 3 || !node.textContent.trim()) continue;
      const r = document.createRange(); r.selectNodeContents(node);
      const rects = Array.from(r.getClientRects()).filter(b => b.width > 0 && b.height > 0);
      if (!rects.length) continue;
      if (parseFloat(cs.fontSize) < minPx) out.push(['small text', name(e), cs.fontSize + ' ' +
          node.textContent.trim().slice(0, 20)]);
      for (const b of rects) {
        if (b.right > innerWidth + 1 || b.bottom > innerHeight + 1 || b.left < -1 || b.top < -1)
          out.push(['text off screen', name(e), node.textContent.trim().slice(0, 20)]);
        boxes.push([e, b, node.textContent.trim().slice(0, 20)]);
      }
    }
  }
  for (const t of document.querySelectorAll('svg text')) {
    if (!t.textContent.trim() || t.getBoundingClientRect().width === 0) continue;
    const size = parseFloat(getComputedStyle(t).fontSize);
    if (size < minPx) out.push(['small text', 'svg ' + (t.closest('[id]') || {}).id, size + ' ' + t.textContent]);
  }
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [ea, a, ta] = boxes[i], [eb, b, tb] = boxes[j];
    if (ea === eb) continue;
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 1 && h > 1) out.push(['overlapping text', `${name(ea)} / ${name(eb)}`, `${ta} / ${tb}`]);
  }
  return out;
}"""


def layout_problems(page: Page, min_px: float) -> list[list[str]]:
    """What is wrong with the screen as drawn, once its plots have been fitted to their boxes."""
    wait_plots_fit(page)
    return page.evaluate(LAYOUT_PROBLEMS, min_px)


PLOTS_FIT = """() => Array.from(document.querySelectorAll('.kbw-map, .kbw-scores')).every(box => {
    const gd = box.querySelector('.js-plotly-plot');
    return !gd || (gd.scrollHeight <= box.clientHeight + 1 && gd.scrollWidth <= box.clientWidth + 1); })"""


def wait_plots_fit(page: Page, timeout: float = 10000) -> None:
    """Until every plot of the screen fits its box (assets/fit.js resizes a plot drawn before its box settled)."""
    page.wait_for_function(PLOTS_FIT, timeout=timeout)


def wait_step_shown(page: Page, timeout: float = 30000) -> dict:
    """Wait until the wall has shown a step (its map drawn); the last step shown."""
    page.wait_for_function("() => document.querySelectorAll('#wall-map .choroplethlocation').length > 0",
                           timeout=timeout)
    page.wait_for_function("() => window.kaihuaWall && window.kaihuaWall.log.length > 0 &&"
                           " !window.kaihuaWall.pending", timeout=timeout)
    return shown(page)


def shown(page: Page) -> dict:
    return page.evaluate("() => { const log = window.kaihuaWall.log; return log[log.length - 1]; }")


def belt_width(page: Page, belt: str) -> float | None:
    """The width plotly holds for a belt's route on the wall's map."""
    return page.evaluate("""(uid) => { const gd = document.querySelector('#wall-map .js-plotly-plot');
        const t = gd && gd.data.find(t => t.uid === uid); return t ? t.line.width : null; }""", f"belt-{belt}")
