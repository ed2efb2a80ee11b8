"""Layout of the five-pillar charts and the key-figures bar (filled by ``callbacks/charts.py``).

The graphs are mounted, already drawn, once the map has drawn (:func:`charts_body`); the charts callback then
sets their figures in place whenever the selection, year, measure or language changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import dcc, html

from dashboard import ids, theme
from dashboard.figures.charts import PILLAR_ORDER
from dashboard.i18n import t
from geodata.figures import KEY_FIGURES

# No toolbar: it covered the titles, and a wall or a slide has no use for it.
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False,
                "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
                "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "kaihua-belts-chart"}}


EMPTY_FIGURE = {"data": [], "layout": {}}
# The graphs of the charts' body other than the pillar panels, with the key of their figure in
# ``callbacks.charts.chart_outputs``: one list for mounting them and for setting their figures later.
CHART_GRAPHS = ((ids.RADAR, "radar"), (ids.RANKING, "ranking"), (ids.RATINGS, "ratings"),
                (ids.COVERAGE, "coverage"), (ids.PROJECTS, "projects"))


def _graph(graph_id, class_name: str, height: int, figure: Mapping | None = None) -> dcc.Graph:
    # An explicit height: dcc.Graph's own inline default (100% of an auto-height parent) collapses it.
    return dcc.Graph(id=graph_id, className=class_name, config=GRAPH_CONFIG, figure=figure or EMPTY_FIGURE,
                     style={"height": f"{height}px"})


def key_figure_tile(key: str, lang: str) -> html.Div:
    return html.Div(id=ids.key_figure(key), className="kb-kf-tile", children=[
        html.Span("–", id=ids.key_figure_value(key), className="kb-kf-value"),
        html.Span(t(f"kf_{key}", lang), id=ids.label(f"kf_{key}"), className="kb-kf-label"),
    ])


def key_figures_bar(lang: str) -> html.Section:
    """The key figures of the current scope, above the map."""
    return html.Section(id=ids.KEY_FIGURES, className="kb-key-figures", children=[
        html.Div(t("scope_county", lang), id=ids.SCOPE_TITLE, className="kb-kf-scope", role="status"),
        html.Div(className="kb-kf-tiles", children=[key_figure_tile(key, lang) for key in KEY_FIGURES]),
    ])


def score_note(lang: str) -> html.Details:
    """"About this score": the method of ``geodata/scores.py`` in words."""
    return html.Details(id=ids.SCORE_NOTE, className="kb-score-note", children=[
        html.Summary(t("score_note_title", lang), id=ids.label("score_note_title")),
        html.P(t("score_note", lang), id=ids.label("score_note")),
    ])


def pillar_panel(pillar: str, figure: Mapping | None = None) -> html.Div:
    # The coloured top border ties the panel to its pillar's colour in every other chart.
    return html.Div(className="kb-pillar-panel", style={"borderTopColor": theme.PILLAR_COLOURS[pillar]},
                    children=[_graph(ids.pillar_panel(pillar), "kb-pillar-graph", 430, figure)])


def charts_body(figures: Mapping[str, Any]) -> list:
    """The graphs under the charts' heading, drawn with ``figures`` (keyed as
    :func:`callbacks.charts.chart_outputs` keys them; ``pillars`` by pillar); a missing one is drawn empty.
    The ratings' box is there only when a ratings figure is given (the staff's page): a public page has none.

    The page starts without them: they are mounted once the map has drawn (plotly drawing ten graphs at
    the same time held the map's first drawing back by a second on this machine)."""
    pillars = figures.get("pillars") or {}
    ratings = figures.get("ratings")
    ratings_box = [] if ratings is None else [html.Div(id=ids.RATINGS_CONTAINER, className="kb-chart-box", children=[
        _graph(ids.RATINGS, "kb-chart kb-ratings", 380, ratings)])]
    return [
        html.Div(className="kb-charts-row kb-charts-top", children=[
            _graph(ids.RADAR, "kb-chart kb-radar", 620, figures.get("radar")),
            _graph(ids.RANKING, "kb-chart kb-ranking", 620, figures.get("ranking")),
        ]),
        html.Div(className="kb-charts-row kb-pillars",
                 children=[pillar_panel(p, pillars.get(p)) for p in PILLAR_ORDER]),
        html.Div(className="kb-charts-row kb-charts-bottom", children=[
            *ratings_box,
            _graph(ids.COVERAGE, "kb-chart kb-coverage", 380, figures.get("coverage")),
            _graph(ids.PROJECTS, "kb-chart kb-projects", 380, figures.get("projects")),
        ]),
    ]


def charts_section(lang: str) -> html.Section:
    """The charts' heading and "about this score"; the graphs (:func:`charts_body`) come after the map."""
    return html.Section(id=ids.CHARTS_SECTION, className="kb-charts", children=[
        html.Div(className="kb-charts-head", children=[
            html.H2(t("charts_title", lang), id=ids.label("charts_title")), score_note(lang)]),
        html.Div(id=ids.CHARTS_BODY, className="kb-charts-body", children=[]),
    ])
