"""Controls of the map explorer: search, breadcrumb, layer switches, measure, year, language."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.figures.charts import pillar_label
from dashboard.i18n import t
from dashboard.illustrative import mark, marked_switches
from dashboard.state import LAYERS
from geodata.provenance import Illustrative
from geodata.schema import PILLARS


def layer_options(lang: str, illustrative: Illustrative) -> list[dict]:
    """The layer switches, marked 示意 where the data they draw is illustrative."""
    marked = marked_switches(illustrative)
    return [{"label": mark(t(k, lang), k in marked, t("illustrative", lang)), "value": k} for k in LAYERS]


def measure_options(catalogue: pd.DataFrame, lang: str, ratings_allowed: bool) -> list[dict]:
    """Plain, overall score, five pillar scores, every indicator, and (staff only) the rating."""
    opts = [{"label": t("measure_none", lang), "value": "none"},
            {"label": t("measure_score", lang), "value": "score"}]
    opts += [{"label": f"{pillar_label(p, lang)} {t('pillar_score', lang)}",
              "value": f"pillar:{p}"} for p in PILLARS]
    for row in catalogue.itertuples():
        pillar = pillar_label(row.pillar, lang)
        name = row.name_zh if lang == "zh" else row.name_en
        opts.append({"label": f"{pillar} · {name} ({row.unit})", "value": f"indicator:{row.indicator}"})
    if ratings_allowed:
        opts.append({"label": t("measure_rating", lang), "value": "rating"})
    return opts


def search_box(lang: str) -> dcc.Dropdown:
    return dcc.Dropdown(id=ids.SEARCH, options=[], placeholder=t("search_placeholder", lang), searchable=True,
                        clearable=True, className="kb-search", optionHeight=32, maxHeight=360)


def language_switch(lang: str) -> dcc.RadioItems:
    return dcc.RadioItems(id=ids.LANGUAGE, options=[{"label": "中文", "value": "zh"},
                                                    {"label": "English", "value": "en"}],
                          value=lang, inline=True, className="kb-lang")


def controls(catalogue: pd.DataFrame, years: tuple[int, ...], lang: str, ratings_allowed: bool,
             layers: tuple[str, ...], measure: str, year: int, illustrative: Illustrative) -> html.Aside:
    return html.Aside(className="kb-controls", children=[
        html.H4(t("layers", lang), id=ids.label("layers")),
        dcc.Checklist(id=ids.LAYER_SWITCHES, options=layer_options(lang, illustrative), value=list(layers),
                      className="kb-layers", labelClassName="kb-layer"),
        html.H4(t("measure", lang), id=ids.label("measure")),
        dcc.Dropdown(id=ids.MEASURE, options=measure_options(catalogue, lang, ratings_allowed), value=measure,
                     clearable=False, className="kb-measure", maxHeight=420),
        html.H4(t("year", lang), id=ids.label("year")),
        dcc.Slider(id=ids.YEAR, min=min(years), max=max(years), step=1, value=year,
                   marks={y: str(y) for y in years}, className="kb-year"),
        *export_controls(lang),
    ])


EXPORT_SIZE_LABELS = {"1080p": "1920×1080", "4k": "3840×2160 (4K)", "slide": "1600×900 (slide)",
                      "a4": "A4 300 dpi", "a4-portrait": "A4 portrait 300 dpi", "a3": "A3 300 dpi",
                      "a3-portrait": "A3 portrait 300 dpi"}


def export_controls(lang: str) -> list:
    """The map as a PNG at a chosen size, rendered on the server (the link follows the map's state). Links of
    class ``kb-export-job`` are renders: ``assets/export-jobs.js`` runs them as export jobs with progress."""
    return [
        html.H4(t("export", lang), id=ids.label("export")),
        html.Div(className="kb-export", children=[
            dcc.Dropdown(id=ids.EXPORT_SIZE, options=[{"label": v, "value": k} for k, v in EXPORT_SIZE_LABELS.items()],
                         value="4k", clearable=False, searchable=False, className="kb-export-size"),
            html.A(html.Span(t("download_png", lang), id=ids.label("download_png")), id=ids.EXPORT_MAP_LINK,
                   href="", download="", className="kb-button kb-export-link kb-export-job"),
            html.A(html.Span(t("download_map_pdf", lang), id=ids.label("download_map_pdf")),
                   id=ids.EXPORT_MAP_PDF_LINK, href="", download="",
                   className="kb-button kb-export-link kb-export-job"),
            html.A(html.Span(t("download_map_html", lang), id=ids.label("download_map_html")),
                   id=ids.EXPORT_MAP_HTML_LINK, href="", download="", className="kb-button kb-export-link"),
            html.A(html.Span(t("download_county", lang), id=ids.label("download_county")),
                   id=ids.EXPORT_COUNTY_LINK, href="", download="", className="kb-button kb-export-link kb-export-job"),
            html.Div(className="kb-export-data", children=[
                html.Span(t("download_data", lang), id=ids.label("download_data")),
                *[html.A(fmt.upper() if fmt != "geojson" else "GeoJSON", id=ids.export_data_link(fmt), href="",
                         download="", className="kb-export-data-link") for fmt in ids.EXPORT_DATA_FORMATS],
            ]),
        ]),
    ]


def breadcrumb() -> html.Nav:
    return html.Nav(id=ids.BREADCRUMB, className="kb-breadcrumb", **{"aria-label": "breadcrumb"})
