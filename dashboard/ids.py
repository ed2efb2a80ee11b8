"""Component IDs: the one place they are spelled. Repeated widgets get dict-ID factories.

Sections: page frame and shared state; map explorer (issue 3); charts (issue 4); admin (issue 5).
"""

from __future__ import annotations

# --- page frame and shared state -------------------------------------------------------------
URL = "url"
VIEW_STATE = "view-state"  # dcc.Store holding ViewState.to_dict(): the one selection every view follows
HEADER = "header"
SYNTHETIC_NOTE = "synthetic-note"
PROVENANCE = "provenance"
LANGUAGE = "language"
MAIN_PAGE = "main-page"

# --- map explorer --------------------------------------------------------------------------------
MAP = "map"
MAP_CONTAINER = "map-container"
MAP_LEGEND = "map-legend"  # the explorer map's legend, drawn by the page (dashboard/map_legend.py)
LEGEND_SINK = "legend-sink"  # dcc.Store: output of the clientside callback that emphasises the legend's belt
SIDE_PANEL = "side-panel"
URL_QUERY = "url-query"  # the query string the view state should have (pushed by assets/explorer.js)
URL_POP = "url-pop"  # set by assets/explorer.js when the browser goes back or forward
URL_SINK = "url-sink"

# --- charts --------------------------------------------------------------------------------------
KEY_FIGURES = "key-figures"
CHARTS_SECTION = "charts-section"
CHARTS_BODY = "charts-body"  # the graphs: mounted once the map has drawn (callbacks/charts.py)
CHARTS_SHOWN = "charts-shown"  # dcc.Store: True once CHARTS_BODY holds the graphs
MAP_DRAWN = "map-drawn"  # dcc.Store: set by assets/explorer.js once the map has drawn its areas
SCOPE_TITLE = "charts-scope-title"  # the scope and year the key figures and charts describe
SCORE_NOTE = "charts-score-note"  # "about this score" (method of geodata/scores.py)
RADAR = "charts-radar"
RANKING = "charts-ranking"  # clicking a bar selects that belt
RATINGS = "charts-ratings"  # staff audience only
RATINGS_CONTAINER = "charts-ratings-container"
COVERAGE = "charts-coverage"
PROJECTS = "charts-projects"


def key_figure_value(key: str) -> dict[str, str]:
    """The number inside a key figure tile (the tile itself is :func:`key_figure`)."""
    return {"type": "key-figure-value", "key": key}


def pillar_panel(pillar: str) -> dict[str, str]:
    """The graph of one of the five pillars (score, indicators, years)."""
    return {"type": "pillar-panel", "pillar": pillar}


# --- admin ---------------------------------------------------------------------------------------
ADMIN_PAGE = "admin-page"
ADMIN_LAYER = "admin-layer"
ADMIN_CRS = "admin-crs"
ADMIN_UPLOAD = "admin-upload"
ADMIN_REPORT = "admin-report"
ADMIN_STAGED = "admin-staged"  # dcc.Store: the server's token for the checked, staged upload
ADMIN_NOTE = "admin-note"
ADMIN_PUBLISH = "admin-publish"
ADMIN_STATUS = "admin-status"
ADMIN_VERSIONS = "admin-versions"
ADMIN_ROLLBACK_TO = "admin-rollback-to"
ADMIN_ROLLBACK = "admin-rollback"
ADMIN_AUDIT = "admin-audit"  # the audit log, admins only
ADMIN_BRIEF_UPLOAD = "admin-brief-upload"  # the visitors' briefing file (callbacks/admin_briefing.py)
ADMIN_BRIEF_NOTE = "admin-brief-note"
ADMIN_BRIEF_REPORT = "admin-brief-report"  # what was wrong with an upload, or the version it was published as
ADMIN_BRIEF_STATUS = "admin-brief-status"  # rollbacks and downloads
ADMIN_BRIEF_VERSIONS = "admin-brief-versions"
ADMIN_BRIEF_EXPORT = "admin-brief-export"  # the button; ADMIN_BRIEF_DOWNLOAD is its dcc.Download
ADMIN_BRIEF_DOWNLOAD = "admin-brief-download"
USER_BAR = "user-bar"  # who is logged in, and the login / logout control


def briefing_rollback(version: str) -> dict[str, str]:
    """The "publish this briefing version again" button of one version on /admin."""
    return {"type": "admin-brief-rollback", "version": version}


def belt_item(belt_id: str) -> dict[str, str]:
    """A belt in the belt list."""
    return {"type": "belt-item", "belt": belt_id}


def key_figure(key: str) -> dict[str, str]:
    """A key figure tile in the header."""
    return {"type": "key-figure", "key": key}


# --- map explorer (continued) ------------------------------------------------------------------
SEARCH = "search"
LAYER_SWITCHES = "layer-switches"
MEASURE = "measure"
YEAR = "year"
BREADCRUMB = "breadcrumb"
DETAIL_PANEL = "detail-panel"
CLEAR_SIGNAL = "clear-signal"  # set by assets/explorer.js on Esc or a click on empty map
MAP_SIZE = "map-size"  # {"width", "height"} of the map panel in px, reported by assets/explorer.js
MAP_APPLIED = "map-applied"  # what the map currently shows (so a patch sends only what changed)
EXPORT_SIZE = "export-size"  # the size the map PNG export renders at
EXPORT_MAP_LINK = "export-map-link"  # <a> to /export/map.png for the state the map shows
EXPORT_MAP_HTML_LINK = "export-map-html-link"  # <a> to /export/map.html, the offline visitors' map
EXPORT_COUNTY_LINK = "export-county-link"  # <a> to /export/county.pdf in the state's language and year
EXPORT_MAP_PDF_LINK = "export-map-pdf-link"  # <a> to /export/map.pdf (the chosen paper size, else A4)
DOSSIER_LINK = "dossier-link"  # <a> to the selected belt's PDF dossier
PROBLEMS = "problems"  # a note when a link or request carried something unknown


def crumb(level: str) -> dict[str, str]:
    """A step of the breadcrumb: county, township, belt or village."""
    return {"type": "crumb", "level": level}


EXPORT_DATA_FORMATS = ("csv", "xlsx", "geojson", "gpkg")  # the page's data links, in this order


def export_data_link(fmt: str) -> dict[str, str]:
    """<a> to /export/data.<fmt> for the scope and year the map shows."""
    return {"type": "export-data-link", "fmt": fmt}


def label(key: str) -> dict[str, str]:
    """A piece of text the app writes, re-rendered when the language changes."""
    return {"type": "label", "key": key}


def village_link(code: str) -> dict[str, str]:
    """A village named in a panel; clicking it selects the village."""
    return {"type": "village-link", "code": code}


def county_link(code: str) -> dict[str, str]:
    """A county in the province overview; clicking it drills in."""
    return {"type": "county-link", "code": code}


def story_link(story_id: str) -> dict[str, str]:
    return {"type": "story-link", "story": story_id}


# --- wall (/wall) --------------------------------------------------------------------------------
WALL = "wall"  # the page's root: data-build and data-version tell assets/wall.js when to reload
WALL_URL = "wall-url"
WALL_CONFIG = "wall-config"  # dcc.Store: the tour the URL and wall.json describe (TourConfig.to_client)
WALL_STEP = "wall-step"  # dcc.Store written by assets/wall.js: {step, height, nonce}
WALL_APPLIED = "wall-applied"  # {"view": ViewState.to_dict(), "font": px}: what the wall's map shows
WALL_SHOWN = "wall-shown"  # dcc.Store: the step the server answered (assets/wall.js retries until it matches)
WALL_SINK = "wall-sink"
WALL_MAP = "wall-map"
WALL_TITLE = "wall-title"
WALL_PROGRESS = "wall-progress"  # "k / n" and the countdown, written by assets/wall.js
WALL_COUNTDOWN = "wall-countdown"
WALL_CLOCK = "wall-clock"
WALL_STATUS = "wall-status"  # "paused", "reconnecting": written by assets/wall.js
WALL_PANEL = "wall-panel"
WALL_STEP_TITLE = "wall-step-title"
WALL_STEP_THEME = "wall-step-theme"
WALL_VILLAGES = "wall-villages"
WALL_FIGURES = "wall-figures"
WALL_SCORES = "wall-scores"
WALL_SCORES_BOX = "wall-scores-box"  # hidden on a presenter's step without a chart (the story takes its room)
WALL_STORY = "wall-story"
WALL_FOOTER = "wall-footer"
WALL_PROBLEMS = "wall-problems"

# --- briefing (/brief) -----------------------------------------------------------------------------
BRIEF = "brief"  # the page's root: data-build and data-version as on the wall
BRIEF_URL = "brief-url"
BRIEF_CONFIG = "brief-config"  # dcc.Store: steps' outline, start step, room, presenter (dashboard.brief)
BRIEF_STEP = "brief-step"  # dcc.Store written by assets/brief.js: {step, height, nonce}
BRIEF_APPLIED = "brief-applied"  # {"view": ViewState.to_dict(), "font": px}: what the briefing's map shows
BRIEF_SHOWN = "brief-shown"
BRIEF_SINK = "brief-sink"
BRIEF_MAP = "brief-map"
BRIEF_HEADING = "brief-heading"  # the step's title: the page's h1
BRIEF_PROGRESS = "brief-progress"
BRIEF_ROOM = "brief-room"
BRIEF_CLOCK = "brief-clock"
BRIEF_PROBLEMS = "brief-problems"
BRIEF_PANEL = "brief-panel"
BRIEF_FACTS = "brief-facts"
BRIEF_CHART = "brief-chart"
BRIEF_CHART_BOX = "brief-chart-box"  # hidden on a step without a chart: the story takes its room
BRIEF_STORY = "brief-story"
BRIEF_PRESENTER = "brief-presenter"  # notes, next step and timer: shown with ?presenter=1 (assets/brief.js)
BRIEF_FOOTER = "brief-footer"
