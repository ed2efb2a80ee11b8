"""The visitors' briefing (``/brief``): the wall's screen (assets/wall.css) driven by a presenter's keys.

The layout is structure only; ``callbacks/brief.py`` fills each step (map, heading, facts, chart, story) and
``assets/brief.js`` turns the keys a presenter's clicker sends into steps, keeps the step in the URL and draws
the presenter's view (notes, next step, timer) from the outline in the page's config.
"""

from __future__ import annotations

import copy

from dash import Dash, dcc, html

from dashboard import ids
from dashboard.brief import Fact
from dashboard.config import Settings
from dashboard.figures.wall import font_px, wall_label_style, wall_map_fonts
from dashboard.i18n import t
from dashboard.pages.common import graph_config, page_figure
from dashboard.pages.wall import SCORES_CONFIG, WALL_GRAPH_CONFIG, initial_applied, shorten
from dashboard.state import ViewState
from geodata import Audience, Dataset, open_dataset
from geodata.cache import per_dataset

CHART_CONFIG = {**SCORES_CONFIG}
# What fits under the chart without a scroll box at 16:9 (the story is cut with an ellipsis, never clipped);
# a step without a chart gives the story the chart's room, in larger type.
STORY_BUDGET = 120
STORY_BUDGET_ALONE = 260


def brief_page(figure: dict, map_config: dict, build: str, data_version: str, applied: dict | None) -> html.Div:
    return html.Div(id=ids.BRIEF, className="kbw kbb", lang="zh-CN",
                    **{"data-build": build, "data-version": data_version}, children=[
        dcc.Location(id=ids.BRIEF_URL, refresh=False),
        dcc.Store(id=ids.BRIEF_CONFIG),
        dcc.Store(id=ids.BRIEF_STEP),
        dcc.Store(id=ids.BRIEF_APPLIED, data=applied),
        dcc.Store(id=ids.BRIEF_SHOWN),
        dcc.Store(id=ids.BRIEF_SINK),
        html.Header(className="kbw-header kbb-header", children=[
            html.H1(id=ids.BRIEF_HEADING, className="kbw-title kbb-heading"),
            html.Div(id=ids.BRIEF_PROGRESS, className="kbw-progress", role="status"),
            html.Div(id=ids.BRIEF_ROOM, className="kbw-status kbb-room", role="status"),
            html.Time(id=ids.BRIEF_CLOCK, className="kbw-clock"),
        ]),
        html.Div(id=ids.BRIEF_PROBLEMS, className="kbw-problems", role="alert", hidden=True),
        html.Main(className="kbw-main", children=[
            html.Div(className="kbw-map", children=dcc.Graph(
                id=ids.BRIEF_MAP, figure=figure, config=map_config, style={"height": "100%", "width": "100%"})),
            html.Aside(id=ids.BRIEF_PANEL, className="kbw-panel kbb-panel", children=[
                html.Div(id=ids.BRIEF_FACTS, className="kbw-figures kbb-facts"),
                html.Div(id=ids.BRIEF_CHART_BOX, className="kbw-scores", children=dcc.Graph(
                    id=ids.BRIEF_CHART, config=CHART_CONFIG, figure={"data": [], "layout": {}},
                    style={"height": "100%", "width": "100%"})),
                html.Section(id=ids.BRIEF_STORY, className="kbw-story"),
                html.Section(id=ids.BRIEF_PRESENTER, className="kbb-presenter", hidden=True),
            ]),
        ]),
        html.Footer(id=ids.BRIEF_FOOTER, className="kbw-footer"),
    ])


def fact_tiles(facts: tuple[Fact, ...], lang: str) -> list:
    """One tile per fact; a figure that grew reads "from A to B" under its new value."""
    tiles = []
    for fact in facts:
        children = [html.Span(fact.value, className="kbw-tile-value"),
                    html.Span(fact.label, className="kbw-tile-label")]
        if fact.before is not None:
            children.append(html.Span(t("brief_growth", lang).format(before=fact.before, after=fact.value),
                                      className="kbb-growth"))
        tiles.append(html.Div(className="kbw-tile" + (" kbb-grew" if fact.before else ""), children=children))
    return tiles


def story_section(title: str | None, text: str | None, lang: str, alone: bool = False) -> list:
    """The bulletin's story of a step; ``alone`` when no chart shares the panel (more text, larger type)."""
    if not title:
        return []
    budget, size = (STORY_BUDGET_ALONE, " kbb-story-alone") if alone else (STORY_BUDGET, "")
    return [html.H2(f"{t('wall_story', lang)} · {title}", className="kbw-story-title"),
            html.P(shorten(text or "", budget), className="kbw-story-text kbb-story-text" + size, lang="zh-CN")]


def layout(app: Dash, settings: Settings, with_figure: bool = True) -> html.Div:
    """The briefing for the dataset currently published: always drawn as for the public."""
    ds = open_dataset(settings.data_path)
    return cached_layout(app, settings, ds, app.server.config.get("KAIHUA_BUILD", ""), with_figure)


@per_dataset(maxsize=4)
def cached_layout(app: Dash, settings: Settings, ds: Dataset, build: str, with_figure: bool = True) -> html.Div:
    figure = {}
    if with_figure:
        figure = copy.deepcopy(page_figure(app, Audience.PUBLIC, ds, ViewState(),
                                                   wall_label_style(font_px(1080))))  # cached parts are read-only
        wall_map_fonts(figure, figure, font_px(1080))
    return brief_page(figure, {**graph_config(app), **WALL_GRAPH_CONFIG}, build, ds.version,
                      initial_applied("zh", font_px(1080)))
