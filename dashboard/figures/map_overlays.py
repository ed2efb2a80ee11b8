"""Traces for the layers drawn over the villages: rivers and chiefs, ponds, 乡贤 and their flows
(in an inset of East China), projects, sites, 组团联村 teams, pairings and the bulletin's stories.

Every clickable point carries ``customdata`` "<kind>:<id>" so one click handler serves them all.
"""

from __future__ import annotations

from dashboard import theme
from dashboard.figures.geometry import line_coords
from dashboard.i18n import phrase, t, term
from dashboard.illustrative import mark
from geodata.overlays import SITE_KINDS, Overlays

INSET = "geo2"
INSET_LAYER = "advisers"  # the layer that draws the inset (East China, where the advisers live now)
STORY_MARKER = 13  # px


def _legend(label: str, synthetic: bool, lang: str) -> str:
    return mark(label, synthetic, t("illustrative", lang))


def _layer_legend(ov: Overlays, label: str, lang: str, *layers: str) -> str:
    """``label``, marked 示意 where the data layers it draws are illustrative."""
    return _legend(label, ov.illustrative.any_of(*layers), lang)


def _points(frame, uid: str, name: str, *, symbol: str, colour: str, size: float, custom: list[str],
            text: list[str], mode: str = "markers", **extra) -> dict:
    return {"type": "scattergeo", "uid": uid, "name": name, "mode": mode,
            "lon": [round(p.x, 5) for p in frame.geometry] if "geometry" in frame else frame.lon.round(5).tolist(),
            "lat": [round(p.y, 5) for p in frame.geometry] if "geometry" in frame else frame.lat.round(5).tolist(),
            "marker": {"symbol": symbol, "color": colour, "size": size, "line": {"width": 0.6, "color": "white"}},
            "customdata": custom, "hovertext": text, "hovertemplate": "%{hovertext}<extra></extra>", **extra}


def chief_label(role, post, name, lang: str) -> str:
    """"River chief (party secretary) 汪某甲" — the name only where the audience may see it."""
    if not isinstance(role, str):
        return phrase("town_chief", lang)
    shown = f" {name}" if isinstance(name, str) and name else ""
    return phrase("chief", lang, role=term(role, lang), post=term(post, lang), name=shown)


def river_traces(ov: Overlays, lang: str) -> list[dict]:
    """Main rivers (real) and village streams (synthetic), each stretch answering for its chief.

    Lines carry hover only at their vertices, so every vertex repeats its stretch's label."""
    traces = []
    for uid, main, width, label_key in (("rivers-main", True, 2.4, "rivers"), ("rivers-streams", False, 1.0,
                                                                                "streams")):
        seg = ov.river_segments[ov.river_segments.main == main]
        lons, lats, custom, text = [], [], [], []
        for row in seg.itertuples():
            xs, ys = line_coords([row.geometry])
            if lons:
                lons.append(None), lats.append(None), custom.append(None), text.append(None)
            lons += xs
            lats += ys
            custom += [f"segment:{row.village_code}"] * len(xs)
            label = phrase("stretch", lang, river=row.river_name, village=row.village_name,
                           chief=chief_label(row.role, row.post, row.name, lang))
            text += [label] * len(xs)
        trace = {"type": "scattergeo", "uid": uid, "name": _legend(t(label_key, lang), not main, lang),
                 "mode": "lines", "lon": lons, "lat": lats, "line": {"color": theme.RIVER_COLOUR, "width": width},
                 "customdata": custom, "hovertext": text, "hovertemplate": "%{hovertext}<extra></extra>",
                 "legendgroup": "water"}
        if not main:  # a village stream runs through its village: hovering there names the village instead
            trace["hoverinfo"] = "skip"
            for key in ("hovertemplate", "hovertext", "customdata"):
                del trace[key]
        traces.append(trace)
    return traces


def pond_trace(ov: Overlays, lang: str) -> dict:
    labels = [phrase("pond", lang, pond=p.name, chief=chief_label(p.role, p.post, p.chief_name, lang))
              for p in ov.ponds.itertuples()]
    return _points(ov.ponds, "ponds", _layer_legend(ov, t("ponds", lang), lang, "ponds"), symbol="circle",
                   colour=theme.POND_COLOUR, size=5, custom=[f"pond:{c}" for c in ov.ponds.village_code],
                   text=labels, legendgroup="water")


def adviser_traces(ov: Overlays, lang: str) -> list[dict]:
    """Home villages (sized by number of advisers) on the map; where they live now, as flows to
    Kaihua, in an inset of East China so that nobody is drawn off the map."""
    home = ov.adviser_villages
    sizes = (6 + 3 * home["count"]).clip(upper=22).tolist()
    on_map = _points(home, "advisers", _layer_legend(ov, t("advisers", lang), lang, "advisers"), symbol="star",
                     colour=theme.ADVISER_COLOUR, size=8, custom=[f"village:{c}" for c in home.village_code],
                     text=[phrase("advisers_at", lang, village=r.village_name, n=r.count)
                           for r in home.itertuples()], legendgroup="talent")
    on_map["marker"]["size"] = sizes
    seat_lon, seat_lat = ov.county_seat
    away = ov.adviser_flows[ov.adviser_flows.residence != "开化县城"]
    lons: list = []
    lats: list = []
    for row in away.itertuples():
        lons += [row.lon, seat_lon, None]
        lats += [row.lat, seat_lat, None]
    flows = {"type": "scattergeo", "geo": INSET, "uid": "adviser-flows", "name": t("adviser_flows", lang),
             "mode": "lines", "lon": lons[:-1], "lat": lats[:-1], "line": {"color": theme.ADVISER_COLOUR, "width": 1.2},
             "opacity": 0.6, "hoverinfo": "skip", "legendgroup": "talent", "showlegend": False}
    width = max(int(away["count"].max()) if len(away) else 1, 1)
    cities = {"type": "scattergeo", "geo": INSET, "uid": "adviser-cities", "mode": "markers+text",
              "name": t("adviser_flows", lang), "lon": away.lon.tolist(), "lat": away.lat.tolist(),
              "text": [f"{term(r.residence, lang)} {r.count}" for r in away.itertuples()],
              "textposition": "middle right",
              "textfont": {"size": 10, "family": theme.FONT_FAMILY},
              "marker": {"size": [5 + 14 * c / width for c in away["count"]], "color": theme.ADVISER_COLOUR},
              "hovertemplate": "%{text}<extra></extra>", "legendgroup": "talent", "showlegend": False}
    local = int(ov.adviser_flows.loc[ov.adviser_flows.residence == "开化县城", "count"].sum())
    kaihua = {"type": "scattergeo", "geo": INSET, "uid": "adviser-kaihua", "mode": "markers+text",
              "lon": [seat_lon], "lat": [seat_lat], "text": [phrase("kaihua_local", lang, n=local)],
              "textposition": "bottom center",
              "textfont": {"size": 11, "family": theme.FONT_FAMILY, "color": theme.SELECTION_LINE},
              "marker": {"size": 9, "color": theme.SELECTION_LINE, "symbol": "star"}, "hoverinfo": "skip",
              "legendgroup": "talent", "showlegend": False}
    return [on_map, flows, cities, kaihua]


def project_trace(ov: Overlays, lang: str) -> dict:
    labels = [phrase("project", lang, name=p.name, field=term(p.field, lang), status=term(p.status, lang))
              for p in ov.projects.itertuples()]
    return _points(ov.projects, "projects", _layer_legend(ov, t("projects", lang), lang, "projects"),
                   symbol="diamond-wide",
                   colour=theme.PROJECT_COLOUR, size=8, custom=[f"village:{c}" for c in ov.projects.village_code],
                   text=labels, legendgroup="talent")


def site_traces(ov: Overlays, lang: str) -> list[dict]:
    traces = []
    for kind in SITE_KINDS:
        symbol, colour, zh, en = theme.SITE_STYLES[kind]
        sites = ov.sites[ov.sites.kind == kind]
        traces.append(_points(sites, f"sites-{kind}", _layer_legend(ov, zh if lang == "zh" else en, lang, "sites"),
                              symbol=symbol, colour=colour, size=6 if kind == "service_centre" else 8,
                              custom=[f"village:{c}" for c in sites.village_code], text=sites.name.tolist(),
                              legendgroup="sites"))
    return traces


def team_trace(ov: Overlays, lang: str) -> dict:
    """Each department's villages joined in a line: the shape of its team's patch of the county."""
    lons: list = []
    lats: list = []
    text: list = []
    for _, group in ov.team_links.groupby("dept_id", sort=True):
        lons += group.lon.round(5).tolist() + [None]
        lats += group.lat.round(5).tolist() + [None]
        text += [phrase("team_of", lang, dept=group.dept_name.iloc[0])] * len(group) + [None]
    return {"type": "scattergeo", "uid": "teams",
            "name": _layer_legend(ov, t("teams", lang), lang, "cadres", "departments"),
            "mode": "lines+markers", "lon": lons[:-1], "lat": lats[:-1],
            "line": {"color": theme.TEAM_COLOUR, "width": 1.2, "dash": "dot"},
            "marker": {"size": 4, "color": theme.TEAM_COLOUR}, "hovertext": text[:-1],
            "hovertemplate": "%{hovertext}<extra></extra>"}


def pairing_label(row, lang: str) -> str:
    done = phrase("turned_round" if row.turned_round else "pairing_open", lang)
    return phrase("pairing", lang, kind=term(row.kind, lang), village=row.village_name, partner=row.partner,
                  done=done)


def pairing_traces(ov: Overlays, lang: str) -> list[dict]:
    pairs = ov.pairings
    links = pairs[pairs.lon2.notna()]
    lons: list = []
    lats: list = []
    text: list = []
    for r in links.itertuples():
        lons += [r.lon1, r.lon2, None]
        lats += [r.lat1, r.lat2, None]
        label = pairing_label(r, lang)
        text += [label, label, None]
    firms = pairs[pairs.lon2.isna()]
    return [
        {"type": "scattergeo", "uid": "pairings-villages",
         "name": _layer_legend(ov, t("pairings", lang), lang, "pairings"),
         "mode": "lines", "lon": lons[:-1], "lat": lats[:-1], "hovertext": text[:-1],
         "line": {"color": theme.PAIRING_COLOURS[True], "width": 2, "dash": "dash"},
         "hovertemplate": "%{hovertext}<extra></extra>", "legendgroup": "pairings"},
        _points(firms.assign(lon=firms.lon1, lat=firms.lat1), "pairings-firms",
                _layer_legend(ov, t("pairings_firms", lang), lang, "pairings"), symbol="hexagon",
                colour=[theme.PAIRING_COLOURS[bool(x)] for x in firms.turned_round], size=9,
                custom=[f"village:{c}" for c in firms.village_code],
                text=[pairing_label(r, lang) for r in firms.itertuples()],
                legendgroup="pairings"),
    ]


def story_trace(ov: Overlays, lang: str) -> dict:
    stories = ov.stories
    titles = stories.title if lang == "zh" else stories.title_en
    # Titles are not drawn here: they are placed with the other labels (dashboard/figures/map_labels.py).
    return _points(stories, "stories", t("stories", lang), symbol="star-diamond", colour=theme.STORY_COLOUR,
                   size=STORY_MARKER, custom=[f"story:{s}" for s in stories.story_id], text=titles.tolist())


def overlay_traces(ov: Overlays, lang: str) -> list[dict]:
    return [*river_traces(ov, lang), pond_trace(ov, lang), *adviser_traces(ov, lang), project_trace(ov, lang),
            *site_traces(ov, lang), team_trace(ov, lang), *pairing_traces(ov, lang)]


def inset_layout(shown: bool = True) -> dict:
    """East China, bottom-left: where the advisers live now."""
    return {"domain": {"x": [0.0, 0.26], "y": [0.0, 0.36]}, "projection": {"type": "mercator"},
            "lonaxis": {"range": [111.5, 123.5]}, "lataxis": {"range": [21.0, 41.0]},
            "landcolor": "#efe9dc", "oceancolor": "#e3eef6", "countrycolor": "#b8ad96",
            "coastlinecolor": "#9fb6c8", "framecolor": "#b8ad96", "resolution": 110, **inset_visibility(shown)}


def inset_visibility(shown: bool) -> dict:
    """The inset's base layers and frame, on or off (``geo.visible`` alone leaves them drawn)."""
    flags = ("showland", "showocean", "showcountries", "showcoastlines", "showframe")
    return {**{f: shown for f in flags}, "bgcolor": "rgba(255,255,255,0.85)" if shown else "rgba(0,0,0,0)"}
