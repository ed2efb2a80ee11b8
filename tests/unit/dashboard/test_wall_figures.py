import copy

import pandas as pd

from dashboard.figures.wall import (
    WALL_INK,
    WALL_MUTED,
    WallStep,
    build_wall_scores,
    dark_chart,
    figure_tiles,
    font_px,
    wall_label_style,
    wall_map_fonts,
)
from dashboard.pages.wall import shorten, villages_line
from geodata.schema import PILLARS


def test_font_follows_the_window_with_a_floor_and_distrusts_input():
    assert font_px(1080) == 21 and font_px(2160) == 41
    assert font_px(600) == 16  # never under 16 px
    assert font_px("x") == font_px(None) == font_px(float("nan")) == font_px(1e9) == 21


def _scores():
    rows = {p: {"scope": 40.0 + i, "county": 50.0} for i, p in enumerate(PILLARS)}
    return pd.DataFrame.from_dict({**rows, "overall": {"scope": 45, "county": 50}}, orient="index")


def test_scores_draw_the_belt_against_the_county_at_the_wall_size():
    fig = build_wall_scores(_scores(), False, "zh", 41)
    bars, county = fig["data"]
    assert bars["y"] == ["组织", "生态", "产业", "人才", "文化"] and bars["x"] == [40.0, 41.0, 42.0, 43.0, 44.0]
    assert county["x"] == [50.0] * 5
    layout = fig["layout"]
    assert layout["font"]["size"] == layout["xaxis"]["tickfont"]["size"] == layout["title"]["font"]["size"] == 41
    assert layout["hovermode"] is False  # nothing needs hover
    only = build_wall_scores(_scores(), True, "en", 21)
    assert len(only["data"]) == 1 and only["data"][0]["x"] == [50.0] * 5 and "county" in only["layout"]["title"]["text"]


def test_map_text_is_set_to_the_wall_size_but_placed_labels_keep_theirs():
    figure = {"layout": {"font": {}, "legend": {"font": {"size": 11}}, "hoverlabel": {"font": {}}},
              "data": [{"mode": "lines"}, {"mode": "markers+text", "textfont": {"size": 12}},
                       {"uid": "villages", "type": "choropleth"},
                       {"uid": "labels-belts", "mode": "text", "textfont": {"size": 19.5}}]}
    wall_map_fonts(figure, figure, 33)
    assert figure["layout"]["legend"]["font"]["size"] == 33 and figure["data"][1]["textfont"]["size"] == 33
    assert "textfont" not in figure["data"][0]
    assert figure["data"][3]["textfont"]["size"] == 19.5  # sized where it was placed: a new size would overlap
    bar = figure["data"][2]["colorbar"]  # the colour bar in the screen's size and ink, on a dark box
    assert bar["tickfont"] == bar["title"]["font"] == {"size": 33, "color": WALL_INK}
    assert bar["bgcolor"].startswith("rgba(14, 18, 26")


def test_wall_labels_are_placed_at_the_size_they_are_drawn(dataset):
    from dashboard.figures.map_labels import overlaps
    from dashboard.map_view import apply_frame, apply_labels, reference_figure
    from dashboard.state import ViewState
    from geodata import Audience

    state = ViewState(measure="pillar:organisation")
    figure = reference_figure(Audience.PUBLIC, dataset, "zh", "/", None)
    patch = copy.deepcopy({"data": list(figure["data"]), "layout": figure["layout"]})
    size = (1160, 880)
    frame = apply_frame(patch, dataset, state, size)
    style = wall_label_style(font_px(1080))
    apply_labels(patch, figure, dataset, state, frame, size, style=style)
    labels = next(tr for tr in patch["data"] if tr.get("uid") == "township-labels")
    sizes = labels["textfont"]["size"]
    assert min(sizes if isinstance(sizes, list) else [sizes]) >= 21  # townships at the wall's text size
    from dashboard.figures.map_labels import label_box
    boxes = [label_box(*frame.to_pixels(lon, lat, *size), text, 21, pos)
             for lon, lat, text, pos in zip(labels["lon"], labels["lat"], labels["text"], labels["textposition"])]
    assert len(boxes) >= 5
    assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_dark_chart_resizes_and_reinks_the_second_line_of_tick_labels():
    figure = {"layout": {"title": {"text": "组织 53.7"}, "margin": {"t": 30},
                         "yaxis": {"ticktext": [
                             "党员人数<br><span style='font-size:12px;color:#5c5345'>17,286人</span>"]}},
              "data": []}
    dark = dark_chart(figure, 41)
    text = dark["layout"]["yaxis"]["ticktext"][0]
    assert "font-size:33px" in text and f"color:{WALL_MUTED}" in text and "17,286人" in text
    assert dark["layout"]["margin"]["t"] >= 41 * 2  # a 41 px title is not clipped
    assert figure["layout"]["yaxis"]["ticktext"][0].count("12px") == 1  # the cached chart stays as it was


def test_panel_text_fits_its_budget():
    step = WallStep("带", "主题", tuple(f"村名{i:02d}村" for i in range(20)), (("villages", 8.0, "个"),
                                                                        ("forest_cover", 80.84, "%")))
    line = villages_line(step, "zh")
    assert line.startswith("20个成员村:") and line.endswith("…") and len(line) <= 64
    assert figure_tiles(step, "zh") == [("行政村", "8个"), ("森林覆盖率", "80.8%")]
    assert shorten("短", 5) == "短"
