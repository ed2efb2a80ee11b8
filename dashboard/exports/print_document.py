"""Many figures as one PDF document in one Chromium print (the warm kaleido browser's own tab).

kaleido prints one figure per call: a dossier of two pages was two prints (each followed by a reload of the
tab) and a pypdf merge that parsed every object of both files again in Python, most of a dossier's time. Here
the tab kaleido already loaded (plotly.js, offline) draws every figure as SVG, the way kaleido's PDF path does
(an ``<img>`` of the SVG, so the text stays text), lays them out one per CSS page, and Chromium prints the
whole document once. Label halos are redrawn on the way (:data:`DEHALO_JS`) so each label is text once.

kaleido's sync server runs a method of its :class:`kaleido.Kaleido` by name on the thread that owns the
browser, so the print is added to that class as :data:`METHOD` (kaleido 1.5's tab pool:
``_get_kaleido_tab``, ``_return_kaleido_tab``; the pinned version in requirements.txt).
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

METHOD = "kaihua_print_document"

# Map labels carry a CSS text-shadow halo (dashboard.map_view.HALO). Chromium prints each shadow as the glyphs
# drawn again (as a blurred mask plus invisible text, so a PDF's text layer said every label three times). In a
# PDF each labelled <text> loses its shadow and gets a copy behind it drawn through an SVG filter that blurs
# the glyphs' shape in the shadow's colour, once per shadow as CSS does: the halo looks the same but is
# painted as an image, so only the label itself is text.
DEHALO_JS = r"""
function dehalo(url) {
  const prefix = "data:image/svg+xml,";
  if (!url.startsWith(prefix) || !url.includes("text-shadow")) return url;  // no halo: no need to parse it
  const svg = new DOMParser().parseFromString(decodeURIComponent(url.slice(prefix.length)), "image/svg+xml")
    .documentElement;
  const labels = [...svg.querySelectorAll("text")].filter(el => el.style.textShadow && el.style.textShadow !== "none");
  if (!labels.length) return url;
  const ns = "http://www.w3.org/2000/svg";
  const defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(ns, "defs"), svg.firstChild);
  const filters = new Map();
  const filterFor = (shadow) => {
    if (filters.has(shadow)) return filters.get(shadow);
    // "0 0 3px #fffdf7, 0 0 3px #fffdf7": offset x, offset y, blur radius and colour of each shadow
    const parts = shadow.split(/,(?![^(]*\))/).map(part => {
      const colour = (part.match(/#[0-9a-f]{3,8}|rgba?\([^)]*\)|(?<![\d.])[a-z]+$/i) || ["white"])[0];
      const [dx, dy, blur] = part.replace(colour, "").trim().split(/\s+/).map(v => parseFloat(v) || 0);
      return {dx, dy, blur, colour};
    });
    const id = `kb-halo-${filters.size}`;
    const nodes = parts.map((p, i) =>
      `<feFlood flood-color="${p.colour}" result="c${i}"/>` +
      `<feComposite in="c${i}" in2="SourceAlpha" operator="in" result="m${i}"/>` +
      `<feGaussianBlur in="m${i}" stdDeviation="${p.blur / 2}" result="b${i}"/>` +
      `<feOffset in="b${i}" dx="${p.dx}" dy="${p.dy}" result="s${i}"/>`).join("");
    const merge = parts.map((p, i) => `<feMergeNode in="s${i}"/>`).join("");
    const markup = `<filter xmlns="${ns}" id="${id}" x="-15%" y="-35%" width="130%" height="170%" ` +
      `color-interpolation-filters="sRGB">${nodes}<feMerge>${merge}</feMerge></filter>`;
    defs.appendChild(new DOMParser().parseFromString(markup, "image/svg+xml").documentElement);
    filters.set(shadow, id);
    return id;
  };
  for (const label of labels) {
    const halo = label.cloneNode(true);
    halo.setAttribute("filter", `url(#${filterFor(label.style.textShadow)})`);
    halo.style.textShadow = "none";
    halo.setAttribute("aria-hidden", "true");
    label.style.textShadow = "none";
    label.parentNode.insertBefore(halo, label);
  }
  return prefix + encodeURIComponent(new XMLSerializer().serializeToString(svg));
}
"""

# Runs in kaleido's page: each figure drawn to SVG by plotly.js (halos as above), shown as an <img> on its own
# CSS page (a named page per paper size, no margins: a page is exactly its figure), every image decoded before
# the print.
DRAW_PAGES_JS = r"""
async function(pages, topojson) {
  """ + DEHALO_JS + r"""
  const rules = ["html, body { margin: 0; padding: 0; background: white; }",
                 ".kb-page { overflow: hidden; }", ".kb-page + .kb-page { break-before: page; }"];
  const sizes = new Set();
  const holders = [];
  for (const page of pages) {
    const w = page.width, h = page.height, name = `kb${w}x${h}`;
    if (!sizes.has(name)) {
      sizes.add(name);
      rules.push(`@page ${name} { size: ${w}px ${h}px; margin: 0; }`);
    }
    const config = Object.assign(topojson ? {topojsonURL: topojson} : {}, page.figure.config || {});
    const url = await Plotly.toImage({data: page.figure.data, layout: page.figure.layout, config: config},
                                     {format: "svg", width: w, height: h, scale: 1});
    const holder = document.createElement("div");
    holder.className = "kb-page";
    holder.style.cssText = `page: ${name}; width: ${w}px; height: ${h}px;`;
    const img = new Image(w, h);
    img.style.display = "block";
    img.src = dehalo(url);
    holder.appendChild(img);
    holders.push([holder, img]);
  }
  document.getElementById("head-style").textContent = rules.join("\n");
  document.body.replaceChildren(...holders.map(([holder]) => holder));
  await Promise.all(holders.map(([, img]) => img.decode()));
  return JSON.stringify({pages: holders.length});
}
"""

PRINT_PARAMS = {"printBackground": True, "preferCSSPageSize": True, "marginTop": 0, "marginBottom": 0,
                "marginLeft": 0, "marginRight": 0}


class PrintFailed(RuntimeError):
    """Chromium or plotly.js could not draw or print the document."""


def page_specs(pages: list[dict]) -> list[dict[str, Any]]:
    """What the page's script takes: each figure with its paper size in CSS pixels (its layout's)."""
    return [{"figure": {"data": p.get("data", []), "layout": p.get("layout", {}), "config": p.get("config", {})},
             "width": p["layout"]["width"], "height": p["layout"]["height"]} for p in pages]


def _check(response: dict, what: str) -> dict:
    """``response``'s result, or :class:`PrintFailed` naming ``what`` failed and why."""
    if "error" in response:
        raise PrintFailed(f"{what}: {response['error']}")
    result = response.get("result", {})
    if result.get("exceptionDetails"):
        raise PrintFailed(f"{what}: {result['exceptionDetails'].get('exception', {}).get('description', '')}")
    return result


async def _draw_and_print(tab, specs: list[dict], topojson: str | None) -> bytes:
    """Draw ``specs`` in kaleido's tab ``tab`` and print them: the PDF's bytes."""
    params = {"functionDeclaration": DRAW_PAGES_JS, "arguments": [{"value": specs}, {"value": topojson}],
              "returnByValue": True, "awaitPromise": True, "executionContextId": tab._current_js_id}  # noqa: SLF001
    drawn = _check(await tab.tab.send_command("Runtime.callFunctionOn", params=params), "drawing the pages")
    if json.loads(drawn.get("result", {}).get("value") or "{}").get("pages") != len(specs):
        raise PrintFailed("drawing the pages: the page did not draw every figure")
    printed = _check(await tab.tab.send_command("Page.printToPDF", params=PRINT_PARAMS), "printing")
    return base64.b64decode(printed["data"])


async def print_document(self, specs: list[dict], topojson: str | None) -> bytes:
    """kaleido's method (``self`` is its :class:`kaleido.Kaleido`): one PDF of ``specs``, one page each.

    Takes a tab from kaleido's pool and gives it back reloaded, as kaleido's own renders do, so the next
    render starts on a clean page whatever this one left. kaleido's timeout is per figure: so is this one's."""
    timeout = self._timeout * max(1, len(specs)) if self._timeout else None  # noqa: SLF001
    tab = await self._get_kaleido_tab()  # noqa: SLF001 - kaleido's tab pool
    try:
        return await asyncio.wait_for(_draw_and_print(tab, specs, topojson), timeout)
    finally:
        await self._return_kaleido_tab(tab)  # noqa: SLF001


def install() -> None:
    """Give kaleido's browser class the method (idempotent)."""
    import kaleido

    if getattr(kaleido.Kaleido, METHOD, None) is not print_document:
        setattr(kaleido.Kaleido, METHOD, print_document)


def print_pages(pages: list[dict], topojson: str | None) -> bytes:
    """All ``pages`` as one PDF, on kaleido's running sync server.

    Parameters
    ----------
    pages : plotly figure dicts, each printed on a page of its layout's width and height (CSS pixels).
    topojson : the folder URL plotly.js reads the world topojson from (None: plotly's default).

    Returns
    -------
    bytes
        The PDF as Chromium prints it (its text layer not yet fixed: :func:`pdf_text.fix_text_layer`).

    Call it inside :meth:`dashboard.exports.render.WarmRenderer.run`, which starts the server and holds its lock.
    """
    import kaleido

    install()
    server = kaleido._global_server  # noqa: SLF001 - the one handle kaleido gives to its sync server
    return server.call_function(METHOD, page_specs(pages), topojson)
