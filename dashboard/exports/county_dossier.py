"""The county dossier: the county on the map with its key figures and five pillar scores, then the 21 belts
ranked, one line per belt (pure: data in, pages out; as for the public, like the belt dossier)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import theme
from dashboard.exports.dossier import (
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PLOT_SIZE,
    DossierMeta,
    _map_part,
    _number,
    _page_layout,
    _table,
    _text,
    english,
)
from dashboard.exports.framing import fit_frame
from dashboard.exports.furniture import Sheet, north_arrow, scale_bar
from dashboard.exports.names import belt_label
from dashboard.figures.charts import PILLAR_ORDER, pillar_label
from dashboard.i18n import t
from geodata.figures import KEY_FIGURES

MAP_X, MAP_Y = (0.0, 0.56), (0.0, 1.0)


@dataclass(frozen=True)
class BeltLine:
    """One belt's line in the ranking."""

    rank: int
    belt_id: str
    name: str
    townships: str
    villages: int
    length_km: float
    score: float
    strongest: str  # the pillar it scores best on


def ranking_lines(ranking: pd.DataFrame, belts: pd.DataFrame, townships: dict[str, str],
                  pillar_means: pd.DataFrame) -> list[BeltLine]:
    """``ranking`` (:func:`geodata.figures.belt_ranking` on the overall score) as lines, best first.
    ``pillar_means``: belt_id x pillar mean scores."""
    info = belts.set_index("belt_id")
    lines = []
    for i, row in enumerate(ranking.itertuples(), start=1):
        b = info.loc[row.belt_id]
        towns = [townships.get(code, code) for code in str(b.township_codes).split(",") if code]
        best = pillar_means.loc[row.belt_id].idxmax() if row.belt_id in pillar_means.index else ""
        lines.append(BeltLine(i, row.belt_id, str(b["name"]), "、".join(towns), int(b.village_count),
                              float(b.length_km), float(row.value), str(best)))
    return lines


def _overview(county: str, figures: dict[str, float], pillars: dict[str, float], map_figure: dict,
              bounds: tuple, meta: DossierMeta, lang: str) -> dict:
    traces, geo = _map_part(map_figure, pd.DataFrame({"lon": [], "lat": [], "name": []}), lang)
    sheet = Sheet(PAGE_WIDTH, PAGE_HEIGHT, 36, MAP_X, MAP_Y, True, plot_size=PLOT_SIZE)
    frame = fit_frame(bounds, *sheet.map_px, pad=0.03)
    geo.update(frame.geo(), domain={"x": list(MAP_X), "y": list(MAP_Y)})
    shapes, notes, _km = scale_bar(sheet, frame, t("km", lang))
    notes.append(north_arrow(sheet, t("north", lang)))
    rows = [(t(f"kf_{k}", lang), _number(figures[k]) + (" %" if k == "forest_cover" else ""))
            for k in KEY_FIGURES if k in figures]
    traces.append(_table([t("item", lang), t("value", lang)], [[r[0] for r in rows], [r[1] for r in rows]],
                         {"x": [0.59, 1.0], "y": [0.42, 1.0]}, widths=[0.6, 0.4]))
    names = [pillar_label(p, lang) for p in PILLAR_ORDER]
    values = [pillars.get(p, float("nan")) for p in PILLAR_ORDER]
    traces.append({"type": "bar", "orientation": "h", "y": names, "x": values,
                   "marker": {"color": [theme.PILLAR_COLOURS[p] for p in PILLAR_ORDER]},
                   "text": [_number(v) for v in values], "textposition": "outside", "xaxis": "x", "yaxis": "y"})
    layout = _page_layout(f"{county} · {t('county_dossier', lang)}", t("county_dossier_sub", lang), meta, 1, 2,
                          lang)
    layout.update(geo=geo, shapes=shapes)
    layout["annotations"] += notes
    layout["annotations"].append(_text(t("five_pillars", lang), 0.59, 0.38, 13))
    layout["xaxis"] = {"domain": [0.66, 0.98], "range": [0, 105], "gridcolor": "#e6dfd0", "tickfont": {"size": 11}}
    layout["yaxis"] = {"domain": [0.02, 0.33], "autorange": "reversed", "tickfont": {"size": 13}}
    return {"data": traces, "layout": layout}


def _ranking_page(county: str, lines: list[BeltLine], meta: DossierMeta, lang: str) -> dict:
    header = ["#", t("belt", lang), t("township", lang), t("member_villages", lang), t("length", lang),
              t("overall_score", lang), t("strongest_pillar", lang)]
    columns = [[x.rank for x in lines], [belt_label(x.belt_id, x.name, lang) for x in lines],
               [english(x.townships, lang).replace("、", ", ") if lang == "en" else x.townships for x in lines],
               [x.villages for x in lines], [f"{x.length_km:.1f} {t('km', lang)}" for x in lines],
               [_number(x.score) for x in lines], [pillar_label(x.strongest, lang) if x.strongest else "—"
                                                   for x in lines]]
    table = _table(header, columns, {"x": [0.0, 1.0], "y": [0.0, 1.0]}, widths=[24, 190, 170, 60, 70, 60, 70],
                   align=["right", "left", "left", "right", "right", "right", "left"])
    table["cells"]["height"] = 25
    layout = _page_layout(f"{county} · {t('belts_ranked', lang)}", t("belts_ranked_sub", lang), meta, 2, 2, lang)
    return {"data": [table], "layout": layout}


def county_pages(county: str, figures: dict[str, float], pillars: dict[str, float], lines: list[BeltLine],
                 map_figure: dict, bounds: tuple, meta: DossierMeta, lang: str = "zh") -> list[dict]:
    """The county dossier's two pages: overview (map, key figures, five pillars) and the belts ranked."""
    return [_overview(county, figures, pillars, map_figure, bounds, meta, lang),
            _ranking_page(county, lines, meta, lang)]
