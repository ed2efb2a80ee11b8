"""The charts beside the map: radar, belt ranking, ratings, chief coverage, projects.

Pure builders: pandas in, plotly figure dict out; no Dash, no I/O, no dataset access. Every chart
uses the same pillar colours (:data:`dashboard.theme.PILLAR_COLOURS`) and wall-display font sizes.
"""

from __future__ import annotations

import math

import pandas as pd

from dashboard import theme
from dashboard.figures.text import escape_frame, escape_plotly_text
from dashboard.i18n import LABELS, phrase, t
from geodata.schema import PILLARS

PILLAR_ORDER = PILLARS


def base_layout(title: str, **extra) -> dict:
    """Layout shared by every chart: large title and ticks, transparent background, no legend clutter."""
    layout = {
        "title": {"text": title, "font": {"size": theme.TITLE_SIZE}, "x": 0.01, "xanchor": "left"},
        "font": {"family": theme.FONT_FAMILY, "size": theme.TICK_SIZE, "color": "#2b2418"},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 10, "r": 20, "t": 56, "b": 30},
        "legend": {"orientation": "h", "y": -0.12, "font": {"size": theme.TICK_SIZE}},
        "hoverlabel": {"font": {"size": theme.TICK_SIZE}},
    }
    layout.update(extra)
    return layout


def count_axis(largest: float, **extra) -> dict:
    """An axis of whole counts: one tick per unit while counts are small, never "2.5 projects"."""
    ticks = {"dtick": 1} if largest <= 8 else {"tickformat": ",d"}
    return axis(showgrid=True, gridcolor="#e6dfd0", rangemode="tozero", **ticks, **extra)


def axis(**extra) -> dict:
    """An axis with wall-display tick labels."""
    return {"tickfont": {"size": theme.TICK_SIZE}, "automargin": True, "zeroline": False, **extra}


def empty_figure(title: str, lang: str) -> dict:
    """A chart with nothing to show says so, rather than drawing empty axes."""
    return {"data": [], "layout": base_layout(title, xaxis={"visible": False}, yaxis={"visible": False},
                                              annotations=[{"text": t("no_data", lang), "showarrow": False,
                                                            "font": {"size": theme.TITLE_SIZE},
                                                            "xref": "paper", "yref": "paper",
                                                            "x": 0.5, "y": 0.5}])}


def format_figure(value: float, unit: str, lang: str) -> str:
    """A key figure as shown on a tile: thousands separators, one decimal for percentages."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.1f}" if unit == "%" else f"{round(value):,d}"
    if unit == "%":
        return f"{text}%"
    # Chinese measure words (个, 名, 条) read naturally after the number; in English they are dropped.
    return f"{text}{unit}" if lang == "zh" else text


def pillar_label(pillar: str, lang: str) -> str:
    return t(f"pillar_{pillar}", lang)


def fade(hex_colour: str, alpha: float) -> str:
    """``#rrggbb`` as rgba with ``alpha``: unselected bars keep their hue but step back."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def build_radar(scores: pd.DataFrame, scope_label: str | None, lang: str) -> dict:
    """Five pillar scores of the scope against the county mean.

    ``scores``: index the five pillars, columns ``scope`` and ``county`` (0-100). ``scope_label`` None
    means the scope is the county itself, so only the county trace is drawn.
    """
    scope_label = escape_plotly_text(scope_label)
    theta = [pillar_label(p, lang) for p in PILLAR_ORDER]
    county = [round(float(scores.county.get(p, float("nan"))), 1) for p in PILLAR_ORDER]
    traces = [{
        "type": "scatterpolar", "uid": "county", "name": t("county_mean", lang),
        "r": [*county, county[0]], "theta": [*theta, theta[0]], "mode": "lines+markers",
        "line": {"color": theme.COUNTY_COLOUR, "dash": "dash", "width": 2},
        "marker": {"size": 8, "color": theme.COUNTY_COLOUR},
        "hovertemplate": "%{theta}: %{r:.1f}<extra>" + t("county_mean", lang) + "</extra>",
    }]
    if scope_label is not None:
        values = [round(float(scores.scope.get(p, float("nan"))), 1) for p in PILLAR_ORDER]
        colours = [theme.PILLAR_COLOURS[p] for p in PILLAR_ORDER]
        traces.append({
            "type": "scatterpolar", "uid": "scope", "name": scope_label,
            "r": [*values, values[0]], "theta": [*theta, theta[0]], "mode": "lines+markers",
            "fill": "toself", "fillcolor": fade(theme.SCORE_COLOUR, 0.15),
            "line": {"color": theme.SCORE_COLOUR, "width": 3},
            # Each vertex in its pillar's colour, as in every other chart.
            "marker": {"size": 12, "color": [*colours, colours[0]]},
            "hovertemplate": "%{theta}: %{r:.1f}<extra>%{fullData.name}</extra>",
        })
    layout = base_layout(t("radar_title", lang), showlegend=True)
    layout["polar"] = {"radialaxis": {"range": [0, 100], "tickfont": {"size": 13}, "angle": 54, "tickangle": 54},
                       "angularaxis": {"tickfont": {"size": 16}, "direction": "clockwise"},
                       "bgcolor": "rgba(0,0,0,0)"}
    layout["margin"] = {"l": 50, "r": 50, "t": 60, "b": 40}
    return {"data": traces, "layout": layout}


def build_ranking(ranked: pd.DataFrame, selected: str | None, title: str, colour: str, value_format: str,
                  lang: str) -> dict:
    """A dot plot of the belts, best at the top; the ``selected`` belt stands out.

    Dots rather than bars: the axis spans the values' own range (not from zero, and says so), so that
    belts a few points apart are told apart. ``ranked``: columns belt_id, label, value, already in rank
    order. Each dot carries its belt id in ``customdata`` so that a click can select the belt.
    """
    if ranked.empty or ranked.value.isna().all():
        return empty_figure(title, lang)
    ranked = escape_frame(ranked)
    is_selected = [b == selected for b in ranked.belt_id]
    values = [None if pd.isna(v) else round(float(v), 3) for v in ranked.value]
    trace = {
        "type": "scatter", "uid": "ranking", "mode": "markers+text",
        "x": values,
        "y": [f"{i + 1}. {label}" for i, label in enumerate(ranked.label)],
        "customdata": ranked.belt_id.tolist(),
        "marker": {"color": [colour if s else fade(colour, 0.55) for s in is_selected],
                   "size": [18 if s else 13 for s in is_selected],
                   "line": {"color": theme.HIGHLIGHT_LINE, "width": [3 if s else 0 for s in is_selected]}},
        "texttemplate": "%{x:" + value_format + "}", "textposition": "middle right",
        "textfont": {"size": 13}, "cliponaxis": False,
        "hovertemplate": "%{y}: %{x:" + value_format + "}<extra></extra>",
    }
    lo, hi = float(ranked.value.min()), float(ranked.value.max())
    span = (hi - lo) or max(abs(hi), 1.0)
    # room on the right for the value written beside the last dot; the axis starts near the lowest value
    start = lo - 0.08 * span
    layout = base_layout(f"{title}<br><sup>{t('ranking_hint', lang)}</sup>", showlegend=False,
                         clickmode="event")
    layout["xaxis"] = axis(showgrid=True, gridcolor="#e6dfd0", range=[start, hi + 0.22 * span],
                           title={"text": t("axis_not_zero", lang) if start > 0 else "",
                                  "font": {"size": theme.TICK_SIZE}})
    # autorange reversed: rank 1 at the top, as a ranking is read.
    layout["yaxis"] = axis(autorange="reversed", tickfont={"size": 14}, fixedrange=True, showgrid=True,
                           gridcolor="#efe9dc")
    layout["margin"] = {"l": 10, "r": 20, "t": 70, "b": 30}
    layout["meta"] = {"selected": selected}
    return {"data": [trace], "layout": layout}


def build_ratings(counts: pd.Series, lang: str) -> dict:
    """Bars of the red / yellow / grey cadre ratings of the scope (staff audience only)."""
    title = t("ratings_title", lang)
    if int(counts.sum()) == 0:
        return empty_figure(title, lang)
    trace = {"type": "bar", "uid": "ratings", "x": [t(f"rating_{r}", lang) for r in counts.index],
             "y": [int(v) for v in counts], "text": [int(v) for v in counts], "textposition": "outside",
             "textfont": {"size": 15}, "cliponaxis": False,
             "marker": {"color": [theme.RATING_COLOURS[r] for r in counts.index]},
             "hovertemplate": "%{x}: %{y}<extra></extra>"}
    layout = base_layout(f"{title} · {t('ratings_staff_only', lang)}", showlegend=False,
                         xaxis=axis(), yaxis=count_axis(int(counts.max())))
    return {"data": [trace], "layout": layout}


def build_coverage(scope: pd.Series, county: pd.Series, scope_label: str | None, lang: str) -> dict:
    """Share of villages with a river chief, a pond chief, a river stretch, and a chief with a stretch."""
    scope_label = escape_plotly_text(scope_label)
    title = t("coverage_title", lang)
    if scope.isna().all():
        return empty_figure(title, lang)
    labels = [t(f"cov_{k}", lang) for k in scope.index]
    eco = theme.PILLAR_COLOURS["ecology"]  # the river-chief system is part of ecological revitalisation
    traces = [{"type": "bar", "uid": "scope", "orientation": "h", "name": scope_label or t("scope_county", lang),
               "y": labels, "x": [round(float(v) * 100, 1) for v in scope], "marker": {"color": eco},
               "texttemplate": "%{x:.0f}%", "textposition": "inside", "textfont": {"size": 14},
               "hovertemplate": "%{y}: %{x:.1f}%<extra></extra>"}]
    if scope_label is not None:
        traces.append({"type": "scatter", "uid": "county", "mode": "markers", "name": t("county_mean", lang),
                       "y": labels, "x": [round(float(v) * 100, 1) for v in county],
                       "marker": {"symbol": "line-ns-open", "size": 26, "color": theme.COUNTY_COLOUR,
                                  "line": {"width": 3}},
                       "hovertemplate": "%{y}: %{x:.1f}%<extra>" + t("county_mean", lang) + "</extra>"})
    layout = base_layout(title, showlegend=scope_label is not None,
                         xaxis=axis(range=[0, 105], ticksuffix="%", title={"text": t("share_of_villages", lang),
                                                                           "font": {"size": 14}}),
                         yaxis=axis(autorange="reversed"))
    layout["legend"] = {"orientation": "h", "y": -0.35, "font": {"size": theme.TICK_SIZE}}
    return {"data": traces, "layout": layout}


def build_projects(table: pd.DataFrame, lang: str) -> dict:
    """乡贤 projects by field (rows) stacked by status (columns), most projects at the top."""
    title = t("projects_title", lang)
    if table.empty or int(table.to_numpy().sum()) == 0:
        return empty_figure(title, lang)
    fields = [t(f"field_{f}", lang) if f"field_{f}" in LABELS else escape_plotly_text(f) for f in table.index]
    traces = [{"type": "bar", "uid": f"status-{status}", "orientation": "h", "name": t(f"status_{status}", lang),
               "y": fields, "x": [int(v) for v in table[status]],
               "marker": {"color": theme.STATUS_COLOURS[status]},
               "hovertemplate": "%{y} · " + t(f"status_{status}", lang) + ": %{x}<extra></extra>"}
              for status in table.columns]
    layout = base_layout(title, barmode="stack", showlegend=True, legend={"orientation": "h", "y": 1.0,
                                                                          "yanchor": "bottom", "x": 0.4},
                         xaxis=count_axis(int(table.sum(axis=1).max())), yaxis=axis(autorange="reversed"))
    return {"data": traces, "layout": layout}


def ranking_style(kind: str, name: str, indicator: dict | None, year: int, lang: str,
                  belt_count: int) -> tuple[str, str, str]:
    """Title, bar colour and number format of the belt ranking on a measure.

    ``kind``/``name`` as from :func:`geodata.figures.parse_measure`; ``indicator`` is the catalogue row
    (pillar, name_zh, name_en, unit, higher_is_better) when ranking an indicator; ``belt_count`` the number of
    belts ranked (named in the title).
    """
    base = phrase("ranking_title", lang, n=belt_count)
    if kind == "indicator" and indicator is not None:
        label = escape_plotly_text(indicator["name_en"] if lang == "en" else indicator["name_zh"])
        unit = escape_plotly_text(indicator["unit"])
        per = t("per_village", lang)
        note = "" if indicator["higher_is_better"] else f" ({t('lower_is_better', lang)})"
        return (f"{base} · {label}{note} · {per} {unit} · {year}", theme.PILLAR_COLOURS[indicator["pillar"]],
                ",.1f")
    if kind == "pillar":
        return f"{base} · {pillar_label(name, lang)}{t('score', lang)} · {year}", theme.PILLAR_COLOURS[name], ".1f"
    return f"{base} · {pillar_label('overall', lang)}{t('score', lang)} · {year}", theme.SCORE_COLOUR, ".1f"
