"""The explorer map's legend, drawn by the page instead of plotly.

plotly redraws its legend on every redraw of the map: with the 21 belts listed it took about a quarter of
the redraw a click on a belt waits for (measured in the browser: 40 -> 30 ms per redraw, and the click's
framed map 78 -> 67 ms p50). Drawn as HTML beside the plot, it is drawn again only when what it lists
changes (language, county, layers). :func:`legend_groups` reads the entries from the map figure itself, as
plotly would (visible traces with a name and a legend entry, grouped by ``legendgroup`` under the group's
title), so the legend cannot disagree with the map; :func:`legend_panel` draws them. Exports keep plotly's
legend (their figures are built apart, :mod:`dashboard.exports`).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import unescape

from dash import html

from dashboard import ids
from dashboard.figures.map import visibility
from dashboard.figures.map_overlays import INSET_LAYER

# CSS shapes for plotly's marker symbols (clip-path polygons on a coloured square).
SHAPES = {
    "star": "polygon(50% 0,61% 35%,98% 35%,68% 57%,79% 91%,50% 70%,21% 91%,32% 57%,2% 35%,39% 35%)",
    "star-diamond": "polygon(50% 0,62% 38%,100% 50%,62% 62%,50% 100%,38% 62%,0 50%,38% 38%)",
    "diamond": "polygon(50% 0,100% 50%,50% 100%,0 50%)",
    "diamond-wide": "polygon(50% 15%,100% 50%,50% 85%,0 50%)",
    "triangle-up": "polygon(50% 5%,100% 95%,0 95%)",
    "hexagon": "polygon(25% 5%,75% 5%,100% 50%,75% 95%,25% 95%,0 50%)",
    "square": "none",
    "circle": "circle(50%)",
}


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a trace's name and how the map draws it."""

    uid: str
    name: str
    area: str | None = None  # fill colour (polygons)
    line: tuple[str, float, str] | None = None  # colour, width px, dash
    marker: tuple[str, float, str] | None = None  # colour, size px, symbol

    @property
    def belt(self) -> str | None:
        return self.uid[5:] if self.uid.startswith("belt-") else None


@dataclass(frozen=True)
class LegendGroup:
    title: str
    entries: tuple[LegendEntry, ...]


def _first(value, default: str) -> str:
    """A colour that may be one per point: the first (the legend shows one)."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return value if isinstance(value, str) else default


def entry_of(trace: dict) -> LegendEntry:
    name = unescape(str(trace["name"]))  # the figure's text is escaped for plotly, which unescapes it
    if trace.get("type") == "choropleth":
        scale = trace.get("colorscale") or [[0, "#dddddd"]]
        fill = scale[0][1] if isinstance(scale, (list, tuple)) else "#dddddd"
        return LegendEntry(trace["uid"], name, area=fill)
    mode = trace.get("mode", "lines")
    line = marker = None
    if "lines" in mode:
        spec = trace.get("line") or {}
        line = (_first(spec.get("color"), "#444444"), float(spec.get("width", 2)), str(spec.get("dash", "solid")))
    if "markers" in mode:
        spec = trace.get("marker") or {}
        size = spec.get("size", 8)
        marker = (_first(spec.get("color"), "#444444"), float(size if isinstance(size, (int, float)) else 8),
                  str(spec.get("symbol", "circle")))
    return LegendEntry(trace["uid"], name, line=line, marker=marker)


def legend_groups(figure: dict, layers: tuple[str, ...]) -> tuple[LegendGroup, ...]:
    """What the map's legend lists for ``layers``: the visible traces with a legend entry, in the figure's
    order, those of one ``legendgroup`` together (at the group's first place) under its title."""
    groups: dict[str, list] = {}
    for i, (trace, shown) in enumerate(zip(figure["data"], visibility(figure, layers))):
        if not shown or not trace.get("showlegend", True) or not trace.get("name") or \
                trace.get("geo", "geo") != "geo" or trace.get("mode") == "text":
            continue
        key = trace.get("legendgroup") or f"#{i}"
        group = groups.setdefault(key, ["", []])
        title = (trace.get("legendgrouptitle") or {}).get("text")
        if title:
            group[0] = unescape(str(title))
        group[1].append(entry_of(trace))
    return tuple(LegendGroup(title, tuple(entries)) for title, entries in groups.values())


def names_of(groups: tuple[LegendGroup, ...]) -> list[str]:
    return [e.name for g in groups for e in g.entries]


def _mark(entry: LegendEntry) -> html.Span:
    parts = []
    if entry.area:
        parts.append(html.Span(className="kb-lg-area", style={"background": entry.area}))
    if entry.line:
        colour, width, dash = entry.line
        style = "dotted" if dash == "dot" else "dashed" if dash in ("dash", "dashdot", "longdash") else "solid"
        parts.append(html.Span(className="kb-lg-line",
                               style={"borderTop": f"{min(max(width, 1.0), 6.0):g}px {style} {colour}"}))
    if entry.marker:
        colour, size, symbol = entry.marker
        px = min(max(size, 8.0), 16.0)  # as plotly draws legend markers, whatever their size on the map
        parts.append(html.Span(className="kb-lg-marker", style={
            "background": colour, "width": f"{px:g}px", "height": f"{px:g}px",
            "clipPath": SHAPES.get(symbol.removesuffix("-open"), "none")}))
    return html.Span(className="kb-lg-mark", children=parts)


def item_class(entry: LegendEntry, selected_belt: str | None) -> str:
    """A belt's entry stands out when it is selected, and fades when another is (as its route on the map)."""
    if entry.belt and selected_belt:
        return "kb-lg-item kb-selected" if entry.belt == selected_belt else "kb-lg-item kb-faded"
    return "kb-lg-item"


def legend_item(entry: LegendEntry, selected_belt: str | None) -> html.Li:
    extra = {"data-belt": entry.belt} if entry.belt else {}
    return html.Li(className=item_class(entry, selected_belt), **extra,
                   children=[_mark(entry), html.Span(entry.name)])


def legend_panel_children(groups: tuple[LegendGroup, ...], selected_belt: str | None = None) -> list:
    return [html.Div(className="kb-lg-group", children=[
        *([html.Div(g.title, className="kb-lg-title")] if g.title else []),
        html.Ul([legend_item(e, selected_belt) for e in g.entries]),
    ]) for g in groups]


def legend_class(layers: tuple[str, ...]) -> str:
    """The legend stops above the East China inset when ``layers`` draw it (bottom-left, 36 % of the panel's
    height, ``dashboard.figures.map_overlays.inset_layout``); what does not fit scrolls."""
    return "kb-map-legend kb-above-inset" if INSET_LAYER in layers else "kb-map-legend"


def legend_panel(groups: tuple[LegendGroup, ...], selected_belt: str | None = None,
                 layers: tuple[str, ...] = ()) -> html.Div:
    """The legend over the map's top-left corner (where plotly put it; the labels keep clear of it)."""
    children = legend_panel_children(groups, selected_belt)
    return html.Div(id=ids.MAP_LEGEND, className=legend_class(layers), children=children,
                    hidden=not children)
