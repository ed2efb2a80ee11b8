"""A belt's dossier: A4 landscape pages for a briefing folder, as plotly figures (pure: data in, pages out).

Page 1 shows the belt on the map with its facts and key figures; page 2 its five pillar scores against
the county, how they moved over the years, and the member villages (continued on further pages when a
belt has more villages than fit). Every page says which of its data is illustrative, which data version it
shows and when it was made. The builder gets only what a dossier may show: no personal names, no ratings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from dashboard import theme
from dashboard.exports.framing import fit_frame
from dashboard.exports.furniture import Sheet, north_arrow, scale_bar
from dashboard.exports.names import belt_label, romanise
from dashboard.figures.charts import PILLAR_ORDER, build_radar, fade, pillar_label
from dashboard.figures.map import display_names
from dashboard.figures.text import escape_list
from dashboard.figures.text import escape_plotly_text as esc
from dashboard.i18n import t
from dashboard.panels import FIGURE_KEYS, format_number
from geodata.queries import BeltDetail

PAGE_WIDTH, PAGE_HEIGHT = 1123, 794  # A4 landscape at 96 dpi (kaleido maps one pixel to 0.75 pt)
MAP_SIZE = (589, 654)  # px of the map on the first page (0.56 of the width inside the margins): its framing
ROWS_PER_PAGE = 22
ROWS_BESIDE_CHART = 12  # rows that fit above the trend chart
INK = "#2b2418"
HOVER_KEYS = ("hovertext", "hovertemplate", "customdata")


@dataclass(frozen=True)
class DossierMeta:
    """What the footer of every page says."""

    data_version: str
    generated: str  # e.g. "2026-11-29"
    source: str  # the bulletin the figures come from
    note: str = ""  # which of what the pages show is illustrative (dashboard.illustrative.export_note)


@dataclass(frozen=True)
class DossierMap:
    """What page 1's map furniture needs beyond the map figure."""

    bounds: tuple[float, float, float, float]  # the belt's villages: what the map frames
    county_bounds: tuple[float, float, float, float]
    county_lines: tuple[list, list]  # lon, lat of the county outline (None-separated parts)
    belt_line: tuple[list, list]  # lon, lat of the belt's route
    stories: tuple[tuple[str, str], ...] = ()  # (title, text) of the belt's bulletin stories


MAP_X, MAP_Y = (0.0, 0.56), (0.2, 1.0)  # page 1: the map above the belt's story
PLOT_SIZE = (PAGE_WIDTH - 72, PAGE_HEIGHT - 96 - 44)  # the page less its margins (see _page_layout)
LOCATOR = "geo3"


def belt_name(detail: BeltDetail, lang: str) -> str:
    return belt_label(detail.belt_id, detail.name, lang)


def english(text: str, lang: str) -> str:
    """``text`` as an English page shows it: romanised when it is Chinese and the data has no English."""
    return romanise(text) if lang == "en" and any("\u4e00" <= ch <= "\u9fff" for ch in text) else text


def _number(value: float) -> str:
    return format_number(value, decimals=1)


def _text(text: str, x: float, y: float, size: int, **extra) -> dict:
    return {"text": text, "x": x, "y": y, "xref": "paper", "yref": "paper", "showarrow": False,
            "xanchor": "left", "yanchor": "top", "align": "left", "font": {"size": size, "color": INK}, **extra}


def _page_layout(title: str, subtitle: str, meta: DossierMeta, page: int, pages: int, lang: str) -> dict:
    footer = " · ".join(p for p in [
        meta.note, f"{t('data_version', lang)} {meta.data_version}",
        f"{t('generated', lang)} {meta.generated}", f"{t('source', lang)}: {esc(meta.source)}",
        f"{page} / {pages}"] if p)
    return {
        "width": PAGE_WIDTH, "height": PAGE_HEIGHT,
        "font": {"family": theme.EXPORT_FONT_FAMILY, "size": 12, "color": INK},
        "paper_bgcolor": "white", "plot_bgcolor": "white", "showlegend": False,
        "margin": {"l": 36, "r": 36, "t": 96, "b": 44},
        "annotations": [
            _text(title, 0, 1.13, 24),
            _text(subtitle, 0, 1.065, 13),
            _text(footer, 0, -0.035, 10, font={"size": 10, "color": "#6b6253"}),
        ],
    }


def _table(header: list[str], columns: list[list], domain: dict, widths: list[float] | None = None,
           align: list[str] | None = None) -> dict:
    return {
        "type": "table", "domain": domain, "columnwidth": widths,
        # One word per line in a header (English labels are wider than their columns), bold, on a tint.
        "header": {"values": [f"<b>{'<br>'.join(h.split())}</b>" for h in header], "fill": {"color": "#efe8da"},
                   "align": align or "left", "font": {"size": 11, "color": INK}, "height": 30},
        "cells": {"values": columns, "align": align or "left", "font": {"size": 12, "color": INK}, "height": 24,
                  "fill": {"color": "white"}, "line": {"color": "#e6dfd0"}},
    }


def wrap(text: str, width: int = 18) -> str:
    """``text`` broken into lines of at most ``width`` characters (plotly tables do not wrap by themselves)."""
    return "<br>".join(text[i:i + width] for i in range(0, len(text), width)) if text else text


def facts_rows(detail: BeltDetail, lang: str) -> list[tuple[str, str]]:
    """(label, value) of the belt's facts and key figures, in the order the panel shows them."""
    sep = ", " if lang == "en" else "、"
    width = 34 if lang == "en" else 18
    rows = [
        (t("theme", lang), wrap(esc(english(detail.theme, lang)), width)),
        (t("township", lang), wrap(esc(sep.join(english(tw.name, lang) for tw in detail.townships)), width)),
        (t("length", lang), f"{detail.length_km} {t('km', lang)}"),
        (t("member_villages", lang), _number(float(len(detail.villages)))),
        (t("lead_departments", lang), wrap(esc(sep.join(english(d, lang) for d in detail.lead_departments)), width)
         or "—"),
    ]
    rows += [(t(k, lang), _number(detail.figures[k])) for k in FIGURE_KEYS if k in detail.figures]
    return rows


def _map_part(map_figure: dict, members: pd.DataFrame, lang: str) -> tuple[list[dict], dict]:
    """The map's traces and geo subplot, moved into the left part of the page (no legend, no inset), with the
    member villages named (a page cannot be hovered)."""
    geo = dict(map_figure["layout"]["geo"])
    geo["domain"] = {"x": [0.0, 0.56], "y": [0.0, 1.0]}
    # Only what is drawn: hidden layers and hover texts (a page cannot be hovered) stay out of the document.
    traces = [{k: v for k, v in tr.items() if k not in HOVER_KEYS} | {"showlegend": False, "hoverinfo": "skip"}
              for tr in map_figure["data"] if tr.get("geo", "geo") == "geo" and tr.get("visible", True) is True
              and tr.get("uid") != "labels-villages"]  # the members are named below, larger
    for tr in traces:
        if tr.get("type") == "choropleth":
            tr["showscale"] = False
    traces.append({"type": "scattergeo", "mode": "text", "lon": members.lon.tolist(), "lat": members.lat.tolist(),
                   "text": escape_list(display_names(members, lang)), "showlegend": False, "hoverinfo": "skip",
                   "textfont": {"size": 13, "color": INK, "family": theme.FONT_FAMILY}})
    return traces, geo


def _score_bars(detail: BeltDetail, lang: str) -> list[dict]:
    names = [pillar_label(p, lang) for p in PILLAR_ORDER]
    belt = [detail.scores.get(p, float("nan")) for p in PILLAR_ORDER]
    county = [detail.county_scores.get(p, float("nan")) for p in PILLAR_ORDER]
    return [
        {"type": "bar", "orientation": "h", "y": names, "x": belt, "name": esc(belt_name(detail, lang)),
         "marker": {"color": [theme.PILLAR_COLOURS[p] for p in PILLAR_ORDER]},
         "text": [_number(v) for v in belt], "textposition": "outside", "xaxis": "x", "yaxis": "y"},
        {"type": "scatter", "mode": "markers", "y": names, "x": county, "name": t("county_mean", lang),
         "marker": {"symbol": "line-ns-open", "size": 22, "line": {"width": 3, "color": theme.COUNTY_COLOUR}},
         "xaxis": "x", "yaxis": "y"},
    ]


def _sheet() -> Sheet:
    return Sheet(PAGE_WIDTH, PAGE_HEIGHT, 36, MAP_X, MAP_Y, True, plot_size=PLOT_SIZE)


def _furniture(dmap: DossierMap, lang: str) -> tuple[dict, list[dict], list[dict], list[dict], dict]:
    """(geo framing, shapes, annotations, locator traces, locator geo) of page 1's map."""
    sheet = _sheet()
    frame = fit_frame(dmap.bounds, *sheet.map_px, pad=0.1)
    shapes, notes, _km = scale_bar(sheet, frame, t("km", lang))
    notes.append(north_arrow(sheet, t("north", lang)))
    box = (0.0, 0.15)
    loc_px = ((box[1] - box[0]) * sheet.plot_w, 0.24 * sheet.plot_h)
    loc_frame = fit_frame(dmap.county_bounds, *loc_px, pad=0.04)
    locator_geo = {**loc_frame.geo(), "domain": {"x": list(box), "y": [MAP_Y[1] - 0.24, MAP_Y[1]]},
                   "visible": False, "showframe": True, "framecolor": "#b8ad96", "bgcolor": "white"}
    minx, miny, maxx, maxy = dmap.bounds
    locator = [
        {"type": "scattergeo", "geo": LOCATOR, "mode": "lines", "lon": dmap.county_lines[0],
         "lat": dmap.county_lines[1], "line": {"color": theme.COUNTY_LINE, "width": 1}, "hoverinfo": "skip",
         "showlegend": False, "uid": "locator-county"},
        {"type": "scattergeo", "geo": LOCATOR, "mode": "lines", "lon": [minx, maxx, maxx, minx, minx],
         "lat": [miny, miny, maxy, maxy, miny], "line": {"color": theme.SELECTION_LINE, "width": 1.5},
         "hoverinfo": "skip", "showlegend": False, "uid": "locator-frame"},
        {"type": "scattergeo", "geo": LOCATOR, "mode": "lines", "lon": dmap.belt_line[0], "lat": dmap.belt_line[1],
         "line": {"color": "#b3261e", "width": 2}, "hoverinfo": "skip", "showlegend": False, "uid": "locator-belt"},
    ]
    return frame.geo(), shapes, notes, locator, locator_geo


def story_text(dmap: DossierMap, lang: str) -> str:
    """The belt's bulletin stories as the box under the map writes them."""
    if not dmap.stories:
        return t("no_story", lang)
    width = 58 if lang == "en" else 46
    return "<br>".join(f"<b>{wrap(title, width)}</b><br>{wrap(text, width)}" for title, text in dmap.stories[:2])


def overview_page(detail: BeltDetail, map_figure: dict, members: pd.DataFrame, meta: DossierMeta, pages: int,
                  lang: str, dmap: DossierMap | None = None) -> dict:
    """Page 1: the belt on the map (scale bar, north arrow, locator of the county) above its bulletin story,
    its facts and key figures, its pillar scores against the county."""
    traces, geo = _map_part(map_figure, members, lang)
    rows = facts_rows(detail, lang)
    traces.append(_table([t("item", lang), t("value", lang)], [[r[0] for r in rows], [r[1] for r in rows]],
                         {"x": [0.59, 1.0], "y": [0.36, 1.0]}, widths=[0.42, 0.58]))
    traces += _score_bars(detail, lang)
    layout = _page_layout(f"{esc(belt_name(detail, lang))} · {t('dossier', lang)}",
                          esc(english(detail.theme, lang)), meta, 1, pages, lang)
    layout["geo"] = geo
    if dmap is not None:
        framing, shapes, notes, locator, locator_geo = _furniture(dmap, lang)
        geo.update(framing, domain={"x": list(MAP_X), "y": list(MAP_Y)})
        traces += locator
        layout[LOCATOR] = locator_geo
        layout["shapes"] = shapes
        layout["annotations"] += notes
        layout["annotations"].append(_text(f"<b>{t('bulletin_story', lang)}</b><br>{story_text(dmap, lang)}", 0,
                                           MAP_Y[0] - 0.02, 11, name="story"))
    layout["xaxis"] = {"domain": [0.66, 0.98], "range": [0, 105], "showgrid": True, "gridcolor": "#e6dfd0",
                       "tickfont": {"size": 11}}
    layout["yaxis"] = {"domain": [0.02, 0.3], "autorange": "reversed", "tickfont": {"size": 13}}
    layout["annotations"].append(_text(f"{t('pillar_scores', lang)} · {t('tick_is_county', lang)}", 0.59, 0.34, 13))
    return {"data": traces, "layout": layout}


def _history_traces(history: pd.DataFrame, lang: str) -> list[dict]:
    years = [int(y) for y in history.index]
    traces = []
    for p in PILLAR_ORDER:
        if ("scope", p) in history.columns:
            traces.append({"type": "scatter", "mode": "lines+markers", "x": years,
                           "y": history[("scope", p)].round(1).tolist(), "name": pillar_label(p, lang),
                           "line": {"color": theme.PILLAR_COLOURS[p], "width": 2.5}, "xaxis": "x", "yaxis": "y"})
    if ("county", "overall") in history.columns:
        traces.append({"type": "scatter", "mode": "lines", "x": years,
                       "y": history[("county", "overall")].round(1).tolist(), "name": t("county_mean", lang),
                       "line": {"color": theme.COUNTY_COLOUR, "dash": "dash", "width": 2}, "xaxis": "x", "yaxis": "y"})
    return traces


def _member_table(members: pd.DataFrame, first: int, domain: dict, lang: str) -> dict:
    part = members.iloc[first:first + ROWS_PER_PAGE]
    header = ["#", t("village", lang), t("code", lang), t("township", lang), t("population", lang),
              t("party_members", lang), t("overall_score", lang)]
    columns = [list(range(first + 1, first + len(part) + 1)), escape_list(display_names(part, lang)),
               part.code.tolist(),
               escape_list(display_names(part, lang, "township")), [_number(float(v)) for v in part.population],
               [_number(float(v)) for v in part.party_members], [_number(float(v)) for v in part.score]]
    return _table(header, columns, domain, widths=[28, 116, 112, 76, 92, 78, 72],
                  align=["right", "left", "left", "left", "right", "right", "right"])


def pillars_page(detail: BeltDetail, members: pd.DataFrame, history: pd.DataFrame, meta: DossierMeta,
                 pages: int, lang: str) -> dict:
    """Page 2: the radar against the county, the scores by year, and the member villages (the table takes the
    whole right half when the villages do not fit above the trend chart)."""
    radar = build_radar(pd.DataFrame({"scope": detail.scores, "county": detail.county_scores}),
                        belt_name(detail, lang), lang)
    traces = [dict(tr, subplot="polar", showlegend=False) for tr in radar["data"]]
    traces += _history_traces(history, lang)
    short = len(members) <= ROWS_BESIDE_CHART
    table_domain = {"x": [0.43, 1.0], "y": [0.52, 1.0] if short else [0.0, 1.0]}
    traces.append(_member_table(members, 0, table_domain, lang))
    layout = _page_layout(f"{esc(belt_name(detail, lang))} · {t('pillars_and_villages', lang)}",
                          esc(english(detail.theme, lang)), meta, 2, pages, lang)
    layout["polar"] = dict(radar["layout"]["polar"],
                           domain={"x": [0.02, 0.4], "y": [0.06, 0.94]} if short else {"x": [0.04, 0.38],
                                                                                       "y": [0.5, 0.98]})
    layout["polar"]["angularaxis"] = dict(layout["polar"]["angularaxis"], tickfont={"size": 13})
    trend_x = [0.5, 0.98] if short else [0.0, 0.4]
    layout["xaxis"] = {"domain": trend_x, "dtick": 1, "tickfont": {"size": 11}}
    layout["yaxis"] = {"domain": [0.0, 0.36], "range": [0, 100], "gridcolor": "#e6dfd0", "tickfont": {"size": 11},
                       "title": {"text": t("trend", lang), "font": {"size": 12}}}
    layout["showlegend"] = True
    layout["legend"] = {"orientation": "h", "x": trend_x[0], "y": 0.43, "font": {"size": 11},
                        "bgcolor": fade("#ffffff", 0.8)}
    return {"data": traces, "layout": layout}


def continuation_page(detail: BeltDetail, members: pd.DataFrame, first: int, meta: DossierMeta, page: int,
                      pages: int, lang: str) -> dict:
    """Further member villages when a belt has more than fit beside the charts."""
    layout = _page_layout(f"{esc(belt_name(detail, lang))} · {t('member_villages', lang)}",
                          esc(english(detail.theme, lang)), meta, page, pages, lang)
    return {"data": [_member_table(members, first, {"x": [0.0, 1.0], "y": [0.0, 1.0]}, lang)], "layout": layout}


def dossier_pages(detail: BeltDetail, map_figure: dict, members: pd.DataFrame, history: pd.DataFrame,
                  meta: DossierMeta, lang: str = "zh", dmap: DossierMap | None = None) -> list[dict]:
    """Every page of the dossier of one belt.

    Parameters
    ----------
    detail : the belt (:func:`geodata.queries.belt_detail`).
    map_figure : the map with the belt selected, geometry inline (:func:`dashboard.exports.snapshot.snapshot_figure`).
    members : :func:`geodata.queries.belt_member_table` of the belt.
    history : :func:`geodata.figures.pillar_history` of the belt's villages.
    meta : what every footer says.
    lang : "zh" or "en", for every label the dossier writes.
    dmap : the map's framing, locator and the belt's stories (None: the map as the page frames it).
    """
    extra = max(0, math.ceil((len(members) - ROWS_PER_PAGE) / ROWS_PER_PAGE))
    pages = 2 + extra
    out = [overview_page(detail, map_figure, members, meta, pages, lang, dmap),
           pillars_page(detail, members, history, meta, pages, lang)]
    for i in range(extra):
        out.append(continuation_page(detail, members, ROWS_PER_PAGE * (i + 1), meta, 3 + i, pages, lang))
    return out
