"""The offline visitors' map: one standalone HTML file made with folium (Leaflet inlined, no CDN, no tiles).

It opens from a USB stick with no network: Leaflet's script, style and the images its style names are
inlined from the vendored registry package (``vendor/leaflet``), folium's other CDN links are dropped, and no
tile layer is added unless the operator configured one (``KAIHUA_TILES_URL``). Village polygons (simplified)
are coloured by the view's measure, belt routes drawn in their colours, stories carry Chinese popups (text
escaped), and a legend says what is drawn, that the data is illustrative, its source and edition.
"""

from __future__ import annotations

import base64
import html
from functools import lru_cache
from pathlib import Path

import folium
import geopandas as gpd

from dashboard import theme
from dashboard.exports.furniture import SheetText
from dashboard.exports.names import belt_label
from dashboard.figures.map import display_names
from dashboard.figures.map_style import choropleth_style
from dashboard.state import ViewState
from geodata import Audience, Dataset
from geodata.figures import scope_villages
from geodata.measures import measure_values
from geodata.queries import layer_for

VENDOR = Path(__file__).resolve().parent / "vendor" / "leaflet"
JQUERY = Path(__file__).resolve().parent / "vendor" / "jquery" / "jquery.min.js"  # folium's popups use it
SIMPLIFY_DEG = 0.0004  # about 40 m: invisible at county zoom, a third of the bytes
VILLAGE_CLASS = "kb-village"


@lru_cache(maxsize=1)
def leaflet_inline() -> tuple[str, str]:
    """(script, style) of the vendored Leaflet and jQuery, the style's images as data URIs."""
    css = (VENDOR / "leaflet.css").read_text(encoding="utf-8")
    for image in sorted((VENDOR / "images").glob("*.png")):
        data = base64.b64encode(image.read_bytes()).decode("ascii")
        css = css.replace(f"url(images/{image.name})", f"url(data:image/png;base64,{data})")
    script = (VENDOR / "leaflet.js").read_text(encoding="utf-8") + "\n" + JQUERY.read_text(encoding="utf-8")
    return script.replace("</script", "<\\/script"), css


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def sample(colorscale: list, z: float) -> str:
    """The colour of a plotly ``colorscale`` (hex stops) at ``z`` in 0-1."""
    for (z0, c0), (z1, c1) in zip(colorscale, colorscale[1:]):
        if z0 <= z <= z1:
            k = 0.0 if z1 == z0 else (z - z0) / (z1 - z0)
            a, b = _hex(c0), _hex(c1)
            return "#" + "".join(f"{round(x + (y - x) * k):02x}" for x, y in zip(a, b))
    return colorscale[-1][1] if z > colorscale[-1][0] else colorscale[0][1]


def _villages(ds: Dataset, state: ViewState, audience: Audience) -> tuple[gpd.GeoDataFrame, dict]:
    """The villages to draw (the county's, or the state's county on province data) with fill colours, and the
    measure's legend (label, unit, low, high, colours) or {}."""
    vil = ds.villages()
    if state.county:
        vil = vil[vil.code.isin(scope_villages(ds, "county", state.county))]
    try:
        mv = measure_values(ds, state.measure, state.year, audience)
    except PermissionError:
        mv = measure_values(ds, "none", state.year, audience)
    label = mv.label_zh if state.lang == "zh" else mv.label_en
    codes = vil.code.tolist()
    style = choropleth_style(codes, display_names(vil, state.lang), mv.values, mv.kind, label, mv.unit,
                             mv.higher_is_better, mv.categories, theme.RATING_COLOURS)
    out = gpd.GeoDataFrame({"code": codes, "name": display_names(vil, state.lang),
                            "fill": [sample(style.colorscale, z) for z in style.z],
                            "hover": [html.unescape(h).replace("<br>", " · ") for h in style.hovertext]},
                           geometry=vil.geometry.simplify(SIMPLIFY_DEG, preserve_topology=True).to_numpy(),
                           crs="EPSG:4326")
    legend = {}
    if style.showscale:
        bar = style.colorbar
        legend = {"label": bar.get("title", {}).get("text", label), "ticks": bar.get("ticktext", []),
                  "colours": [c for _z, c in style.colorscale]}
    return out, legend


def _legend_html(belts: list[tuple[str, str]], measure: dict, text: SheetText) -> str:
    e = html.escape
    rows = "".join(f'<div><span style="display:inline-block;width:22px;height:4px;background:{c};'
                   f'vertical-align:middle;margin-right:6px"></span>{e(n)}</div>' for n, c in belts)
    scale = ""
    if measure:
        ramp = ", ".join(measure["colours"][2:] or measure["colours"])
        ticks = measure["ticks"]
        scale = (f'<div style="margin-top:6px"><b>{e(measure["label"])}</b>'
                 f'<div style="height:10px;background:linear-gradient(to right, {ramp})"></div>'
                 f'<div style="display:flex;justify-content:space-between">'
                 + "".join(f"<span>{e(str(t))}</span>" for t in (ticks[:1] + ticks[-1:])) + "</div></div>")
    mark = f'<div style="color:#8a3b12;margin-top:6px"><b>{e(text.illustrative)}</b></div>' \
        if text.illustrative else ""
    return (f'<div id="kb-legend" style="position:fixed;top:10px;right:10px;z-index:1000;max-height:90vh;'
            f'overflow:auto;background:rgba(255,255,255,0.92);padding:8px 10px;border:1px solid #d8cfbd;'
            f'font:12px sans-serif;color:#2b2418"><div style="font-size:14px"><b>{e(text.title)}</b></div>'
            f'{rows}{scale}{mark}<div style="margin-top:6px;color:#6b6253;max-width:260px">'
            f'{e(text.source_line)}<br>{e(text.edition_line)}</div></div>')


def _story_popup(title: str, body: str) -> folium.Popup:
    content = f"<b>{html.escape(title)}</b><br>{html.escape(body)}"  # the data is text, never markup
    return folium.Popup(folium.Html(content, script=True), max_width=320)


def offline_map(ds: Dataset, state: ViewState, audience: Audience, text: SheetText,
                tiles_url: str | None = None) -> str:
    """The standalone HTML of the visitors' map of ``state`` for ``audience``."""
    vil, measure = _villages(ds, state, audience)
    minx, miny, maxx, maxy = vil.total_bounds if len(vil) else ds.county().total_bounds
    fmap = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], tiles=None, zoom_start=10,
                      control_scale=True, prefer_canvas=False)
    fmap.default_js, fmap.default_css = [], []  # folium's CDN links: Leaflet is inlined below instead
    if tiles_url:
        folium.TileLayer(tiles=tiles_url, attr="tiles configured by the operator", name="tiles").add_to(fmap)
    folium.GeoJson(
        vil.to_json(drop_id=True), name="villages",
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": theme.VILLAGE_LINE, "weight": 0.6,
                                  "fillOpacity": 0.9, "className": VILLAGE_CLASS},
        tooltip=folium.GeoJsonTooltip(fields=["hover"], labels=False),
    ).add_to(fmap)
    county = ds.county()
    folium.GeoJson(county.geometry.simplify(SIMPLIFY_DEG).to_json(), name="county",
                   style_function=lambda f: {"color": theme.COUNTY_LINE, "weight": 2.2, "fill": False}).add_to(fmap)
    belts = ds.belts().sort_values("belt_id").reset_index(drop=True)
    entries = []
    if "belts" in state.layers:
        for i, row in belts.iterrows():
            colour = theme.belt_colour(i)
            name = belt_label(row.belt_id, row["name"], state.lang)
            coords = [(round(y, 5), round(x, 5)) for x, y in row.geometry.simplify(SIMPLIFY_DEG).coords]
            selected = state.belt in (None, row.belt_id)
            folium.PolyLine(coords, color=colour, weight=6 if state.belt == row.belt_id else 3,
                            opacity=1.0 if selected else 0.35, tooltip=name).add_to(fmap)
            entries.append((name, colour))
    if "stories" in state.layers:
        stories = layer_for(ds, "stories", audience)
        for row in stories.itertuples():
            title = row.title_en if state.lang == "en" and row.title_en else row.title
            folium.CircleMarker([row.geometry.y, row.geometry.x], radius=7, color="white", weight=1.5,
                                fill=True, fill_color=theme.STORY_COLOUR, fill_opacity=1.0, tooltip=title,
                                popup=_story_popup(title, row.text)).add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    script, style = leaflet_inline()
    root = fmap.get_root()
    root.header.add_child(folium.Element(f"<style>{style}</style>"), name="leaflet_css_inline", index=0)
    root.header.add_child(folium.Element(f"<script>{script}</script>"), name="leaflet_js_inline", index=1)
    root.html.add_child(folium.Element(_legend_html(entries, measure, text)), name="kb_legend")
    root.title = text.title
    page = root.render()
    return page.replace('<html>', f'<html lang="{state.lang}">', 1)
