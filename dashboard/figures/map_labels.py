"""Map labels that never overlap: each label's box estimated in pixels at the current framing, placed
greedily by priority, shifted to another side of its point when it collides, dropped when no side is free.

plotly draws text where it is told and never hides a colliding label itself, so the placement is done
here, as a pure function of the labels, the frame and the panel's size in pixels. The estimate of a box:
a CJK character is 1 em wide, any other character ~0.6 em, a line is ~1.2 em tall (plus ``PAD``).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from dashboard.figures.map_frame import Frame

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, y down
PAD = 2.0  # px kept clear around every label
LATIN_EM = 0.6
LINE_EM = 1.2

# plotly textposition -> (horizontal, vertical) sign of the text against its point
POSITIONS = {
    "middle center": (0, 0), "top center": (0, -1), "bottom center": (0, 1),
    "middle right": (1, 0), "middle left": (-1, 0),
    "top right": (1, -1), "top left": (-1, -1), "bottom right": (1, 1), "bottom left": (-1, 1),
}
AROUND = ("top center", "bottom center", "middle right", "middle left", "top right", "bottom right",
          "top left", "bottom left")


@dataclass(frozen=True)
class LabelCandidate:
    """A label that would like to be drawn: its text, the point it names, how much it matters."""

    kind: str  # "belt" | "township" | "village" | "story": the trace it goes to
    text: str
    lon: float
    lat: float
    priority: float  # higher is placed first
    size: float  # font size, px
    colour: str
    positions: tuple[str, ...] = ("middle center", *AROUND)  # tried in this order
    gap: float = 0.0  # px between the point and a label placed beside it (a marker's radius)


@dataclass(frozen=True)
class PlacedLabel:
    candidate: LabelCandidate
    position: str  # plotly textposition
    box: Box
    lon: float  # where plotly should anchor the text (the point, moved by ``gap``)
    lat: float


def is_wide(ch: str) -> bool:
    """Whether ``ch`` takes a full em (CJK and other East Asian wide or full-width characters)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


@lru_cache(maxsize=4096)
def text_width(text: str, size: float) -> float:
    """Estimated width in px of ``text`` at font ``size``."""
    return sum(size if is_wide(ch) else LATIN_EM * size for ch in text)


def label_box(x: float, y: float, text: str, size: float, position: str, gap: float = 0.0) -> Box:
    """The box of ``text`` drawn at pixel (x, y) with plotly's ``position`` (text mode, no marker), the
    point moved ``gap`` px away from the text first."""
    hs, vs = POSITIONS[position]
    w, h = text_width(text, size), LINE_EM * size
    x, y = x + hs * gap, y + vs * gap
    x0 = x - w / 2 if hs == 0 else (x if hs > 0 else x - w)
    y0 = y - h / 2 if vs == 0 else (y if vs > 0 else y - h)
    return (x0 - PAD, y0 - PAD, x0 + w + PAD, y0 + h + PAD)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box: Box, width: float, height: float) -> bool:
    return box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height


def place_labels(candidates: list[LabelCandidate], frame: Frame, width: float, height: float,
                 obstacles: tuple[Box, ...] = ()) -> list[PlacedLabel]:
    """The labels that fit, none overlapping another, an obstacle (markers, the legend) or the panel's edge.

    Greedy: by priority (then the order given), each label takes the first of its ``positions`` whose box is
    free; a label with no free position is dropped."""
    placed: list[PlacedLabel] = []
    taken = _BoxGrid()
    for box in obstacles:
        taken.add(box)
    order = sorted(range(len(candidates)), key=lambda i: (-candidates[i].priority, i))
    for i in order:
        cand = candidates[i]
        if not cand.text:
            continue
        x, y = frame.to_pixels(cand.lon, cand.lat, width, height)
        if not (-width < x < 2 * width and -height < y < 2 * height):
            continue  # far outside the panel: no position can fit
        for position in cand.positions:
            box = label_box(x, y, cand.text, cand.size, position, cand.gap)
            if inside(box, width, height) and not taken.hits(box):
                hs, vs = POSITIONS[position]
                lon, lat = frame.from_pixels(x + hs * cand.gap, y + vs * cand.gap, width, height)
                placed.append(PlacedLabel(cand, position, box, round(lon, 5), round(lat, 5)))
                taken.add(box)
                break
    return placed


class _BoxGrid:
    """Boxes bucketed by the grid cells they cover, so a new box is tested only against its neighbours."""

    CELL = 64.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = {}

    def _cells(self, box: Box):
        c = self.CELL
        for gx in range(int(box[0] // c), int(box[2] // c) + 1):
            for gy in range(int(box[1] // c), int(box[3] // c) + 1):
                yield gx, gy

    def add(self, box: Box) -> None:
        for key in self._cells(box):
            self.cells.setdefault(key, []).append(box)

    def hits(self, box: Box) -> bool:
        return any(overlaps(box, other) for key in self._cells(box) for other in self.cells.get(key, ()))


def label_trace_values(placed: list[PlacedLabel], kind: str) -> dict:
    """``lon``, ``lat``, ``text``, ``textposition`` and ``textfont`` of the label trace of ``kind``."""
    mine = [p for p in placed if p.candidate.kind == kind]
    return {"lon": [p.lon for p in mine], "lat": [p.lat for p in mine], "text": [p.candidate.text for p in mine],
            "textposition": _one_or_each([p.position for p in mine], "middle center"),
            "textfont": {"size": _one_or_each([p.candidate.size for p in mine], 12),
                         "color": _one_or_each([p.candidate.colour for p in mine], "#333")}}


def _one_or_each(values: list, default):
    """One value when all are the same (a smaller patch), else the list."""
    if not values:
        return default
    return values[0] if all(v == values[0] for v in values) else values


# --- what the map labels, for a view ------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """A named point the map may label (a belt's route midpoint, a township's or village's inner point)."""

    ident: str
    name: str
    lon: float
    lat: float
    colour: str = ""
    group: str = ""  # a village's township


@dataclass(frozen=True)
class LabelPoints:
    """Everything the map may label, in one language (see :func:`dashboard.map_view.label_points`)."""

    belts: tuple[Place, ...]
    townships: tuple[Place, ...]
    villages: tuple[Place, ...]
    stories: tuple[Place, ...]  # name = the story's short title


@dataclass(frozen=True)
class LabelStyle:
    """Font sizes (px, at scale 1) and colours of each kind of label; ``scale`` enlarges them all (a wall)."""

    belt: float = 12.0
    township: float = 13.0
    village: float = 11.0
    story: float = 12.0
    scale: float = 1.0
    township_colour: str = "#6b5a3e"
    village_colour: str = "#3d3528"
    story_colour: str = "#b22222"
    story_marker: float = 13.0  # marker size of the stories, px: titles keep clear of it


DEFAULT_STYLE = LabelStyle()


def short_title(title: str, limit: int = 10) -> str:
    """A story title cut to ``limit`` em (CJK counts 1, Latin 0.6) with an ellipsis."""
    out, used = "", 0.0
    for ch in title:
        used += 1.0 if is_wide(ch) else LATIN_EM
        if used > limit:
            return out.rstrip() + "…"
        out += ch
    return out


def map_label_candidates(points: LabelPoints, *, belt: str | None, township: str | None, village: str | None,
                         highlighted: set[str], layers: tuple[str, ...], frame: Frame,
                         story_titles: bool = False, story: str | None = None,
                         style: LabelStyle = DEFAULT_STYLE) -> list[LabelCandidate]:
    """The labels a view wants, by priority: the selection's own name first, then (zoomed in) its villages,
    belt names, township names, story titles (``story_titles``), other villages in the frame last.
    Only layers switched on are labelled; villages only when zoomed into a belt, township or village; the
    selected ``story`` is always titled."""
    k = style.scale
    out: list[LabelCandidate] = []
    if "belts" in layers:
        for p in points.belts:
            out.append(LabelCandidate("belt", p.name, p.lon, p.lat, 9.0 if p.ident == belt else 3.0 if not belt
                                      else 1.5, style.belt * k, p.colour or "#333",
                                      positions=(*AROUND, "middle center"), gap=3 * k))
    if "townships" in layers:
        for p in points.townships:
            out.append(LabelCandidate("township", p.name, p.lon, p.lat, 8.0 if p.ident == township and not belt
                                      else 2.0, style.township * k, style.township_colour))
    zoomed = bool(belt or township or village)
    if zoomed and "villages" in layers:
        (x0, x1), (y0, y1) = frame.lon_range, frame.lat_range
        for p in points.villages:
            if x0 <= p.lon <= x1 and y0 <= p.lat <= y1:
                rank = 10.0 if p.ident == village else 4.0 if p.ident in highlighted else 1.0
                out.append(LabelCandidate("village", p.name, p.lon, p.lat, rank, style.village * k,
                                          style.village_colour))
    if "stories" in layers:
        for p in points.stories:
            if not (story_titles or p.ident == story):
                continue
            out.append(LabelCandidate("story", short_title(p.name), p.lon, p.lat, 11.0 if p.ident == story else 5.0,
                                      style.story * k,
                                      style.story_colour, positions=AROUND, gap=style.story_marker * k / 2 + PAD + 2))
    return out


def spread_points(places: tuple[Place, ...], frame: Frame, width: float, height: float,
                  radius_px: float) -> list[tuple[float, float]]:
    """(lon, lat) of each place, those that share a point set apart on a ring of ``radius_px`` around it,
    so that markers drawn there can each be seen and clicked."""
    groups: dict[tuple[float, float], list[int]] = {}
    for i, p in enumerate(places):
        groups.setdefault((round(p.lon, 5), round(p.lat, 5)), []).append(i)
    out: list[tuple[float, float]] = [(p.lon, p.lat) for p in places]
    for (lon, lat), members in groups.items():
        if len(members) < 2:
            continue
        x, y = frame.to_pixels(lon, lat, width, height)
        for j, i in enumerate(members):
            angle = -math.pi / 2 + 2 * math.pi * j / len(members)
            plon, plat = frame.from_pixels(x + radius_px * math.cos(angle), y + radius_px * math.sin(angle),
                                           width, height)
            out[i] = (round(plon, 5), round(plat, 5))
    return out


def marker_boxes(positions: list[tuple[float, float]], frame: Frame, width: float, height: float,
                 size: float) -> tuple[Box, ...]:
    """Pixel boxes of markers of ``size`` px at ``positions``: labels keep clear of them."""
    half = size / 2 + 1
    boxes = []
    for lon, lat in positions:
        x, y = frame.to_pixels(lon, lat, width, height)
        boxes.append((x - half, y - half, x + half, y + half))
    return tuple(boxes)


def colour_scale_box(width: float, height: float, font_size: float, place: dict) -> Box:
    """The pixel box the colour bar covers, placed over the map by ``place`` (x/y/len as fractions of the panel,
    anchored right/bottom, see ``dashboard.figures.map_style.COLORBAR_PLACE``): labels keep clear of it. Its
    title is taken as 16 wide characters, about the longest a measure's name, unit and year come to."""
    pad_x, pad_y = place.get("xpad", 8), place.get("ypad", 8)
    w = text_width("字" * 16, font_size) + 2 * pad_x
    h = place["len"] * height + LINE_EM * font_size + 2 * pad_y
    right, bottom = place["x"] * width, (1 - place["y"]) * height
    return (right - w, bottom - h, right, bottom)


def legend_box(names: list[str], font_size: float = 11.0, title: str = "") -> Box:
    """Estimated pixel box of plotly's legend at the panel's top-left corner, listing ``names``."""
    rows = len(names) + (1 if title else 0)
    width = max([text_width(n, font_size) for n in [*names, title]] or [0]) + 50
    return (0.0, 0.0, width, rows * (font_size * 1.75) + 12)
