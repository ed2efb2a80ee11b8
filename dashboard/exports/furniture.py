"""Map furniture for an exported map sheet (pure): title, legend, colour scale, scale bar, north arrow, footer.

Type is sized in points (1 pt = 96/72 layout px: kaleido lays a page out at 96 px per inch, so a PNG rendered
at 300 dpi and the vector PDF print every label at its point size). The map fills its frame: the frame's
lon/lat box has the frame's aspect (:mod:`dashboard.exports.framing`), so the scale bar is drawn in paper
coordinates from the frame's kilometres per pixel.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import theme
from dashboard.exports.framing import Frame, fit_frame, nice_length
from dashboard.figures.map_overlays import INSET

PX_PER_PT = 96 / 72
INK = "#2b2418"
MUTED = "#6b6253"


def pt(size: float) -> float:
    """``size`` points in layout pixels."""
    return round(size * PX_PER_PT, 2)


@dataclass(frozen=True)
class SheetText:
    """Everything a sheet writes besides the map (already in the sheet's language)."""

    title: str
    subtitle: str
    source_line: str  # "资料来源: ..."
    edition_line: str  # data version, date
    illustrative: str | None  # the mark, or None when every layer drawn is real
    north: str  # "北" / "N"
    km: str  # "公里" / "km"


@dataclass(frozen=True)
class Sheet:
    """Where things go on the page, in paper fractions of the plot area (the page less its margins)."""

    width: int  # layout px
    height: int
    margin: float  # px on every side
    map_x: tuple[float, float]
    map_y: tuple[float, float]
    landscape: bool
    type_scale: float = 1.0  # paper 1 (type at its point size); screens larger, read from further away
    plot_size: tuple[float, float] | None = None  # when the margins differ by side: the plot area's px

    def pt(self, size: float) -> float:
        """``size`` points of type (or line) on this sheet, in layout pixels."""
        return pt(size * self.type_scale)

    @property
    def plot_w(self) -> float:
        return self.plot_size[0] if self.plot_size else self.width - 2 * self.margin

    @property
    def plot_h(self) -> float:
        return self.plot_size[1] if self.plot_size else self.height - 2 * self.margin

    @property
    def map_px(self) -> tuple[float, float]:
        return ((self.map_x[1] - self.map_x[0]) * self.plot_w, (self.map_y[1] - self.map_y[0]) * self.plot_h)


def sheet_for(width: int, height: int, paper: bool = True) -> Sheet:
    """The sheet layout: title band on top, footer below, the legend beside the map (landscape) or under it.
    On paper type has its point size; a screen image's type grows with its width (a 1920 px layout: x1.5)."""
    k = 1.0 if paper else max(1.0, min(width, 1.8 * height) / 1280)
    margin = pt(18 * k)
    plot_h = height - 2 * margin
    top = 1 - pt(46 * k) / plot_h  # title, subtitle, gap
    bottom = pt(30 * k) / plot_h  # two footer lines and a gap
    landscape = width >= height
    if landscape:
        return Sheet(width, height, margin, (0.0, 0.76), (bottom, top), True, k)
    return Sheet(width, height, margin, (0.0, 1.0), (bottom + 0.26, top), False, k)


def _note(sheet: Sheet, text: str, x: float, y: float, size: float, *, colour: str = INK, xanchor: str = "left",
          yanchor: str = "top", **extra) -> dict:
    return {"text": text, "x": x, "y": y, "xref": "paper", "yref": "paper", "showarrow": False,
            "xanchor": xanchor, "yanchor": yanchor, "align": "left",
            "font": {"size": sheet.pt(size), "color": colour},
            **extra}


def scale_bar(sheet: Sheet, frame: Frame, km_label: str) -> tuple[list[dict], list[dict], float]:
    """(shapes, annotations, length in km) of a two-part scale bar at the map's bottom left, about a fifth of
    the map's width long."""
    map_w, _ = sheet.map_px
    length = nice_length(frame.km_per_px * map_w * 0.22)
    frac = length / frame.km_per_px / sheet.plot_w  # paper fraction of the bar
    x0 = sheet.map_x[0] + sheet.pt(10) / sheet.plot_w
    y0 = sheet.map_y[0] + sheet.pt(12) / sheet.plot_h
    h = sheet.pt(4) / sheet.plot_h
    half = frac / 2
    box = {"type": "rect", "xref": "paper", "yref": "paper", "line": {"color": INK, "width": 1}}
    shapes = [
        {**box, "name": "scale-bar", "x0": x0, "x1": x0 + half, "y0": y0, "y1": y0 + h, "fillcolor": INK},
        {**box, "name": "scale-bar", "x0": x0 + half, "x1": x0 + frac, "y0": y0, "y1": y0 + h,
         "fillcolor": "white"},
    ]
    label_y = y0 + h + sheet.pt(2) / sheet.plot_h
    marks = [(0, "0"), (half, _km(length / 2)), (frac, f"{_km(length)} {km_label}")]
    notes = [_note(sheet, text, x0 + dx, label_y, 7, xanchor="center", yanchor="bottom", name="scale-bar")
             for dx, text in marks]
    return shapes, notes, length


def _km(value: float) -> str:
    return f"{value:g}"


def north_arrow(sheet: Sheet, label: str) -> dict:
    """An arrow pointing up (the frame is north-up Mercator) with its letter, at the map's top right."""
    x = sheet.map_x[1] - sheet.pt(16) / sheet.plot_w
    y = sheet.map_y[1] - sheet.pt(34) / sheet.plot_h
    return {"text": f"<b>{label}</b>", "x": x, "y": y, "xref": "paper", "yref": "paper", "name": "north-arrow",
            "showarrow": True, "arrowhead": 2, "arrowsize": 1.0, "arrowwidth": sheet.pt(3), "arrowcolor": INK,
            "ax": 0, "ay": sheet.pt(30), "axref": "pixel", "ayref": "pixel", "standoff": 0, "yanchor": "bottom",
            "font": {"size": sheet.pt(12), "color": INK}}


def _legend(sheet: Sheet) -> dict:
    common = {"bgcolor": "rgba(255,255,255,0.9)", "bordercolor": "#d8cfbd", "borderwidth": 1,
              "font": {"size": sheet.pt(8), "color": INK}, "itemclick": False, "itemdoubleclick": False,
              "tracegroupgap": sheet.pt(2), "itemwidth": 30}
    if sheet.landscape:
        return {**common, "orientation": "v", "x": sheet.map_x[1] + 0.015, "y": sheet.map_y[1],
                "xanchor": "left", "yanchor": "top"}
    return {**common, "orientation": "h", "x": 0.0, "y": sheet.map_y[0] - sheet.pt(8) / sheet.plot_h,
            "xanchor": "left", "yanchor": "top"}


def _colorbar(sheet: Sheet, colorbar: dict) -> dict:
    """The measure's colour scale, horizontal, under the legend (landscape) or at the bottom right (portrait)."""
    common = {**colorbar, "orientation": "h", "thickness": sheet.pt(8), "xanchor": "left", "yanchor": "bottom",
              "len": 0.22 if sheet.landscape else 0.4, "lenmode": "fraction", "outlinewidth": 0.5,
              "tickfont": {"size": sheet.pt(7), "color": INK},
              "title": {**colorbar.get("title", {}), "side": "top", "font": {"size": sheet.pt(8), "color": INK}}}
    if sheet.landscape:
        return {**common, "x": sheet.map_x[1] + 0.015, "y": sheet.map_y[0]}
    return {**common, "x": 0.58, "y": sheet.map_y[0] - 0.25}


def furnish(figure: dict, bounds: tuple[float, float, float, float], sheet: Sheet, text: SheetText,
            belt_names: dict[str, str]) -> dict:
    """``figure`` (a snapshot, geometry inline) laid out as a map sheet of ``sheet`` with ``text``.

    ``bounds`` is what the map must show; ``belt_names`` maps a belt trace's uid to the name its legend entry
    gives (each visible belt gets its own entry, in its colour)."""
    frame = fit_frame(bounds, *sheet.map_px)
    data = []
    rank = 100
    for tr in figure["data"]:
        tr = dict(tr)
        uid = tr.get("uid", "")
        if uid in belt_names:
            rank += 1
            tr.update(name=belt_names[uid], showlegend=True, legendgroup=uid, legendrank=rank)
        elif tr.get("type") == "choropleth" and tr.get("showscale"):
            tr["colorbar"] = _colorbar(sheet, tr.get("colorbar") or {})
        if tr.get("geo", "geo") == INSET:
            tr["visible"] = False  # the advisers' inset would cover the scale bar; the print map is the county
        data.append(tr)
    layout = dict(figure["layout"])
    layout.pop("uirevision", None)
    geo = {**layout["geo"], **frame.geo(), "domain": {"x": list(sheet.map_x), "y": list(sheet.map_y)},
           "showframe": True, "framecolor": "#b8ad96", "framewidth": 1, "bgcolor": "white"}
    layout.update(
        width=sheet.width, height=sheet.height, paper_bgcolor="white", geo=geo, showlegend=True,
        margin={"l": sheet.margin, "r": sheet.margin, "t": sheet.margin, "b": sheet.margin, "pad": 0},
        font={"family": theme.EXPORT_FONT_FAMILY, "size": sheet.pt(8), "color": INK}, legend=_legend(sheet))
    layout[INSET] = {**layout.get(INSET, {}), "visible": False, "showland": False, "showocean": False,
                     "showcountries": False, "showcoastlines": False, "showframe": False}
    shapes, bar_notes, _length = scale_bar(sheet, frame, text.km)
    notes = [
        _note(sheet, f"<b>{text.title}</b>", 0, 1, 16, name="title"),
        _note(sheet, text.subtitle, 0, 1 - sheet.pt(22) / sheet.plot_h, 10, colour=MUTED, name="subtitle"),
        _note(sheet, text.source_line, 0, sheet.pt(11) / sheet.plot_h, 7, colour=MUTED, yanchor="bottom",
              name="source"),
        _note(sheet, text.edition_line, 0, 0, 7, colour=MUTED, yanchor="bottom", name="edition"),
        *bar_notes, north_arrow(sheet, text.north),
    ]
    if text.illustrative:
        notes.append(_note(sheet, text.illustrative, sheet.map_x[0] + sheet.pt(8) / sheet.plot_w,
                           sheet.map_y[1] - sheet.pt(8) / sheet.plot_h, 8, colour="#8a3b12", name="illustrative",
                           bgcolor="rgba(255,255,255,0.85)", bordercolor="#8a3b12", borderwidth=1, borderpad=3))
    layout["annotations"] = notes
    layout["shapes"] = shapes
    return {"data": data, "layout": layout}
