"""The page, built from small factory functions (no callbacks here)."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.admin_layout import admin_page
from dashboard.charts_layout import charts_section, key_figures_bar
from dashboard.explorer_layout import breadcrumb, controls, language_switch, search_box
from dashboard.figures.map_style import belt_emphasis
from dashboard.i18n import t
from dashboard.illustrative import notice
from dashboard.map_legend import LegendGroup, legend_panel
from dashboard.panels import scope_list
from dashboard.state import ViewState
from geodata.provenance import Illustrative


def header(lang: str) -> html.Header:
    return html.Header(id=ids.HEADER, className="kb-header", children=[
        html.Div(className="kb-titles", children=[
            html.H1(t("title", lang), id=ids.label("title")),
            html.P(t("subtitle", lang), className="kb-subtitle", id=ids.label("subtitle")),
        ]),
        html.Div(className="kb-header-tools", children=[search_box(lang), language_switch(lang),
                                                         html.Div(id=ids.USER_BAR, className="kb-user")]),
    ])


def synthetic_note_children(illustrative: Illustrative, lang: str) -> list:
    """What the notice says of the data: which parts are real, which illustrative (empty when none is)."""
    said = notice(illustrative, lang)
    if said is None:
        return []
    label, text = said
    return [html.Strong(f"{label} · "), html.Span(text)]


def synthetic_note(illustrative: Illustrative, lang: str) -> html.Div:
    children = synthetic_note_children(illustrative, lang)
    return html.Div(id=ids.SYNTHETIC_NOTE, className="kb-synthetic-note", role="note", children=children,
                    hidden=not children)


def belt_emphasis_attrs() -> dict[str, str]:
    """The belt styles of a selection (width,opacity of the selected route and of the others), as data
    attributes: assets/explorer.js draws a clicked belt with them at once, before the server's patch."""
    (sel_w, sel_o), (other_w, other_o) = belt_emphasis(["a", "b"], "a")
    return {"data-belt-selected": f"{sel_w:g},{sel_o:g}", "data-belt-other": f"{other_w:g},{other_o:g}"}


def map_panel(figure: dict, graph_config: dict, legend: tuple[LegendGroup, ...] = (),
              selected_belt: str | None = None, layers: tuple[str, ...] = ()) -> html.Div:
    return html.Div(id=ids.MAP_CONTAINER, className="kb-map", **belt_emphasis_attrs(), children=[
        dcc.Graph(id=ids.MAP, figure=figure, config=graph_config, style={"height": "100%"},
                  clear_on_unhover=True),
        legend_panel(legend, selected_belt, layers),
    ])


def provenance_footer(source_document: str, lang: str) -> html.Footer:
    return html.Footer(id=ids.PROVENANCE, className="kb-footer",
                       children=[html.Span(t("source", lang), id=ids.label("source")), f": {source_document}"])


def page(figure: dict, graph_config: dict, counties: pd.DataFrame, belts: pd.DataFrame, catalogue: pd.DataFrame,
         years: tuple[int, ...], source_document: str, state: ViewState, ratings_allowed: bool,
         illustrative: Illustrative, legend: tuple[LegendGroup, ...] = ()) -> html.Div:
    lang = state.lang
    return html.Div(className="kb-page", lang="zh-CN" if lang == "zh" else "en", children=[
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.VIEW_STATE, data=state.to_dict()),
        dcc.Store(id=ids.MAP_APPLIED, data=state.to_dict()),
        dcc.Store(id=ids.MAP_SIZE),
        dcc.Store(id=ids.MAP_DRAWN),
        dcc.Store(id=ids.CHARTS_SHOWN),
        dcc.Store(id=ids.CLEAR_SIGNAL),
        dcc.Store(id=ids.URL_QUERY),
        dcc.Store(id=ids.URL_POP),
        dcc.Store(id=ids.URL_SINK),
        dcc.Store(id=ids.LEGEND_SINK),
        header(lang),
        synthetic_note(illustrative, lang),
        html.Div(id=ids.PROBLEMS, className="kb-problems", hidden=True),
        html.Div(id=ids.MAIN_PAGE, className="kb-body", children=[
            key_figures_bar(lang),
            breadcrumb(),
            html.Main(className="kb-main", children=[
                controls(catalogue, years, lang, ratings_allowed, state.layers, state.measure, state.year,
                         illustrative),
                map_panel(figure, graph_config, legend, state.belt, state.layers),
                html.Div(id=ids.SIDE_PANEL, className="kb-side", children=[
                    html.Div(id=ids.DETAIL_PANEL, children=scope_list(counties, belts, state.county, lang))]),
            ]),
            charts_section(lang),
        ]),
        admin_page(lang),
        provenance_footer(source_document, lang),
    ])
