import pandas as pd

from dashboard.figures.wall import WallStep, build_wall_scores, figure_tiles, font_px, wall_map_fonts
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


def test_map_text_is_set_to_the_wall_size():
    figure = {"layout": {"font": {}, "legend": {"font": {"size": 11}}, "hoverlabel": {"font": {}}},
              "data": [{"mode": "lines"}, {"mode": "markers+text", "textfont": {"size": 12}}]}
    wall_map_fonts(figure, figure, 33)
    assert figure["layout"]["legend"]["font"]["size"] == 33 and figure["data"][1]["textfont"]["size"] == 33
    assert "textfont" not in figure["data"][0]


def test_panel_text_fits_its_budget():
    step = WallStep("带", "主题", tuple(f"村名{i:02d}村" for i in range(20)), (("villages", 8.0, "个"),
                                                                        ("forest_cover", 80.84, "%")))
    line = villages_line(step, "zh")
    assert line.startswith("20个成员村:") and line.endswith("…") and len(line) <= 64
    assert figure_tiles(step, "zh") == [("行政村", "8个"), ("森林覆盖率", "80.8%")]
    assert shorten("短", 5) == "短"
