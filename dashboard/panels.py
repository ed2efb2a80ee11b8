"""Detail panels for a belt, a village or a bulletin story: data in, components out (pure)."""

from __future__ import annotations

import math

import pandas as pd
from dash import html

from dashboard import ids, theme
from dashboard.figures.charts import pillar_label
from dashboard.i18n import belt_name, name_in, phrase, t, term
from dashboard.illustrative import mark
from geodata.figures import format_figure
from geodata.queries import BeltDetail, StoryDetail, VillageDetail
from geodata.schema import PILLARS

FIGURE_KEYS = ("population", "party_members", "patrol_volunteers", "cadres_stationed", "advisers", "projects",
               "industry_branches", "coop_branches", "auditoriums")


def format_number(value: float, decimals: int = 2) -> str:
    """A count without decimals, any other number with ``decimals``; "—" when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.{decimals}f}"


def _money(wan: int, lang: str) -> str:
    """An amount given in 万元 (10,000 yuan)."""
    return f"{wan}万元" if lang == "zh" else f"{wan / 100:.2f} million yuan"


def _join(*parts: str) -> str:
    """Parts joined with " · ", skipping empty ones (a public audience gets no names)."""
    return " · ".join(p for p in parts if p)


def _score(value: float) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.1f}"


def _row(label: str, value) -> html.Div:
    return html.Div(className="kb-row", children=[html.Span(label, className="kb-row-label"),
                                                  html.Span(value, className="kb-row-value")])


def _illustrative(synthetic: bool, lang: str) -> list:
    """The 示意 badge after a name, where the feature is flagged synthetic."""
    return [" ", html.Span(t("illustrative", lang), className="kb-badge")] if synthetic else []


def pillar_bars(scores: dict[str, float], county: dict[str, float], lang: str) -> html.Div:
    """Five small bars: the scope's score, with a tick at the county's."""
    rows = []
    for p in PILLARS:
        mine, base = scores.get(p, float("nan")), county.get(p, float("nan"))
        width = 0 if math.isnan(mine) else max(0.0, min(mine, 100.0))
        rows.append(html.Div(className="kb-pillar", **{"data-pillar": p}, children=[
            html.Span(pillar_label(p, lang), className="kb-pillar-name"),
            html.Div(className="kb-pillar-track", children=[
                html.Div(className="kb-pillar-fill", style={"width": f"{width:.0f}%",
                                                            "background": theme.PILLAR_COLOURS[p]}),
                html.Div(className="kb-pillar-tick", style={"left": f"{0 if math.isnan(base) else base:.0f}%"}),
            ]),
            html.Span(f"{_score(mine)} / {_score(base)}", className="kb-pillar-value"),
        ]))
    return html.Div(className="kb-pillars", children=[html.H4(t("pillar_scores", lang)), *rows])


def figure_rows(figures: dict[str, float], lang: str, keys=FIGURE_KEYS) -> list[html.Div]:
    return [_row(t(k, lang), format_number(figures[k])) for k in keys if k in figures]


def village_links(villages, lang: str) -> html.Ul:
    return html.Ul(className="kb-links", children=[
        html.Li(html.Button(name_in(v.name, lang), id=ids.village_link(v.ident), className="kb-link", n_clicks=0))
        for v in villages])


def belt_panel(detail: BeltDetail, lang: str, dossier_href: str | None = None) -> html.Div:
    """The belt's card; ``dossier_href`` (the URL of its PDF dossier) adds a download link."""
    link = [html.A(t("download_dossier", lang), id=ids.DOSSIER_LINK, href=dossier_href, download="",
                   className="kb-button kb-dossier-link kb-export-job")] if dossier_href else []
    return html.Div(className="kb-card", **{"data-belt": detail.belt_id}, children=[
        html.H3([belt_name(detail.name, lang), *_illustrative(detail.synthetic, lang)]),
        *link,
        _row(t("theme", lang), name_in(detail.theme, lang)),
        _row(t("township", lang), _list_sep(lang).join(name_in(tw.name, lang) for tw in detail.townships)),
        _row(t("length", lang), f"{detail.length_km} {t('km', lang)}"),
        _row(t("lead_departments", lang), _list_sep(lang).join(name_in(d, lang) for d in detail.lead_departments)),
        html.H4(t("key_figures", lang)),
        *figure_rows(detail.figures, lang),
        pillar_bars(detail.scores, detail.county_scores, lang),
        html.H4(f"{t('member_villages', lang)} ({len(detail.villages)})"),
        village_links(detail.villages, lang),
    ])


def _list_sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def _list(title: str, items, lang: str) -> list:
    return [html.H4(title), html.Ul([html.Li(i) for i in items]) if items else html.P(t("none", lang))]


def _chief(chief: str | None, since: int | None, lang: str) -> str:
    """The current chief, with the year they took over where someone held the duty before them."""
    if not chief:
        return t("none", lang)
    return _join(chief, phrase("since", lang, year=since)) if since else chief


def village_card(detail: VillageDetail, lang: str) -> html.Div:
    rows = [
        html.H3([name_in(detail.name, lang), *_illustrative(detail.synthetic, lang)]),
        _row(t("code", lang), detail.code),
        _row(t("township", lang), name_in(detail.township.name, lang)),
        _row(t("belt", lang), belt_name(detail.belt.name, lang) if detail.belt else t("none", lang)),
        *[_row(t(k, lang), format_number(v)) for k, v in detail.figures.items()],
        _row(t("river_chief", lang), _chief(detail.river_chief, detail.river_chief_since, lang)),
        _row(t("pond_chief", lang), _chief(detail.pond_chief, detail.pond_chief_since, lang)),
    ]
    if detail.ratings is not None:
        rows.append(_row(t("ratings", lang), " ".join(f"{k}{v}" for k, v in detail.ratings.items())))
    if detail.rated_cadres:
        rows += _list(t("rated_cadres", lang), [_join(term(post, lang), name, term(colour, lang), str(year),
                                                      term(ended, lang)) for post, name, colour, year, ended
                                                in detail.rated_cadres], lang)
    rows.append(pillar_bars(detail.scores, detail.county_scores, lang))
    rows += _list(t("river_stretches", lang), [f"{river} {km:.2f} km" for river, km in detail.river_stretches], lang)
    rows += _list(t("team", lang), [_join(dept, term(role, lang), name) for dept, role, name in detail.team], lang)
    rows += _list(t("advisers", lang), [_join(name, term(field, lang), term(home, lang))
                                        for name, field, home in detail.advisers], lang)
    rows += _list(t("projects", lang), [_join(name, term(status, lang), _money(money, lang))
                                        for name, status, money in detail.projects], lang)
    rows += _list(t("sites", lang), detail.sites, lang)
    rows += _list(t("pairing", lang), [_join(term(kind, lang), partner, phrase(
        "turned_round" if done else "pairing_open", lang)) for kind, partner, done in detail.pairings], lang)
    if detail.stories:
        rows += [html.H4(t("story", lang)), html.Ul([
            html.Li(html.Button(s.name, id=ids.story_link(s.ident), className="kb-link", n_clicks=0))
            for s in detail.stories])]
    return html.Div(className="kb-card", **{"data-village": detail.code}, children=rows)


def story_card(detail: StoryDetail, lang: str) -> html.Div:
    title = detail.title if lang == "zh" else detail.title_en
    rows = [html.H3(title), html.P(detail.text, className="kb-story-text"),
            *[_row(f.label_zh if lang == "zh" else f.label_en, format_figure(f.value, f.relation, f.unit, lang))
              for f in detail.figure_rows],
            html.P(f"{t('story', lang)} · {pillar_label(detail.pillar, lang)}",
                   className="kb-muted")]
    if detail.village:
        rows.append(village_links([detail.village], lang))
    return html.Div(className="kb-card", **{"data-story": detail.story_id}, children=rows)


def belt_list(belts: pd.DataFrame, lang: str, selected: str | None = None) -> html.Div:
    items = [
        html.Li(id=ids.belt_item(row.belt_id), n_clicks=0,
                className="kb-belt-item" + (" kb-selected" if row.belt_id == selected else ""), children=[
                    html.Span(className="kb-swatch", style={"background": theme.belt_colour(i)}),
                    html.Span(belt_name(row.name, lang), className="kb-belt-name"),
                    html.Span(f"{phrase('n_villages', lang, n=row.village_count)} · {row.length_km} {t('km', lang)}",
                              className="kb-belt-meta"),
                ])
        for i, row in enumerate(belts.sort_values("belt_id").itertuples())
    ]
    return html.Div(className="kb-card", children=[
        html.H3(mark(phrase("belt_list", lang, n=len(belts)), "synthetic" in belts and bool(belts["synthetic"].any()),
                     t("illustrative", lang))),
        html.P(t("clear_hint", lang), className="kb-muted"),
        html.Ul(items, className="kb-belt-list"),
    ])


def scope_list(counties: pd.DataFrame, belts: pd.DataFrame, county: str | None, lang: str) -> html.Div:
    """What the panel lists when nothing finer is selected: on province-scale data with no county chosen the
    counties to drill into (never every belt of the province: 1,701 items made the page ~1 MB heavier and
    every click's request carried one entry per item), else the belts of the county shown.

    Parameters
    ----------
    counties : DataFrame
        Every county of the data (``code``, ``name``, ``name_en``).
    belts : DataFrame
        Every belt (``belt_id``, ``township_codes`` ...).
    county : str or None
        The county drilled into.
    lang : str
        The page's language.

    Returns
    -------
    Div
        :func:`county_list` or :func:`belt_list`.
    """
    if len(counties) > 1 and not county:
        return county_list(counties, lang)
    if county:
        belts = belts[belts.township_codes.str.startswith(county)]
    return belt_list(belts, lang)


def county_list(counties: pd.DataFrame, lang: str) -> html.Div:
    """Province-scale data: the counties to drill into."""
    return html.Div(className="kb-card", children=[
        html.H3(f"{t('counties', lang)} ({len(counties)})"),
        html.Ul(className="kb-links", children=[
            html.Li(html.Button(row.name if lang == "zh" else row.name_en, id=ids.county_link(row.code),
                                className="kb-link", n_clicks=0)) for row in counties.itertuples()]),
    ])
