"""The page, built from small factory functions (no callbacks here)."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard import ids, theme
from dashboard.admin_layout import admin_page
from dashboard.charts_layout import charts_section, key_figures_bar
from dashboard.i18n import t


def header(lang: str) -> html.Header:
    return html.Header(id=ids.HEADER, className="kb-header", children=[
        html.H1(t("title", lang)),
        html.P(t("subtitle", lang), className="kb-subtitle"),
    ])


def synthetic_note(lang: str) -> html.Div:
    return html.Div(id=ids.SYNTHETIC_NOTE, className="kb-synthetic-note", role="note",
                    children=[html.Strong(f"{t('illustrative', lang)} · "), t("synthetic_note", lang)])


def map_panel(figure: dict, graph_config: dict) -> html.Div:
    return html.Div(id=ids.MAP_CONTAINER, className="kb-map", children=[
        dcc.Graph(id=ids.MAP, figure=figure, config=graph_config, style={"height": "100%"},
                  clear_on_unhover=True),
    ])


def belt_list(belts: pd.DataFrame, lang: str) -> html.Div:
    items = [
        html.Li(id=ids.belt_item(row.belt_id), className="kb-belt-item", children=[
            html.Span(className="kb-swatch", style={"background": theme.belt_colour(i)}),
            html.Span(row.name, className="kb-belt-name"),
            html.Span(f"{row.village_count}{t('villages_unit', lang)} · {row.length_km} {t('km', lang)}",
                      className="kb-belt-meta"),
        ])
        for i, row in enumerate(belts.sort_values("belt_id").itertuples())
    ]
    return html.Div(id=ids.SIDE_PANEL, className="kb-side", children=[
        html.H2(f"{t('belt_list', lang)} ({t('illustrative', lang)})"), html.Ul(items, className="kb-belt-list"),
    ])


def provenance_footer(source_document: str, lang: str) -> html.Footer:
    return html.Footer(id=ids.PROVENANCE, className="kb-footer",
                       children=[f"{t('source', lang)}: {source_document}"])


def page(figure: dict, graph_config: dict, belts: pd.DataFrame, source_document: str, lang: str,
         initial_state: dict) -> html.Div:
    return html.Div(className="kb-page", lang="zh-CN" if lang == "zh" else "en", children=[
        dcc.Location(id=ids.URL, refresh="callback-nav"),
        dcc.Store(id=ids.VIEW_STATE, data=initial_state),
        header(lang),
        synthetic_note(lang),
        html.Div(id=ids.MAIN_PAGE, className="kb-body", children=[
            key_figures_bar(lang),
            html.Main(className="kb-main", children=[map_panel(figure, graph_config), belt_list(belts, lang)]),
            charts_section(lang),
        ]),
        admin_page(lang),
        provenance_footer(source_document, lang),
    ])
