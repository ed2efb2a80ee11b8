"""Framing (the selection fills its panel) and label placement (no two labels overlap): pure functions."""

from __future__ import annotations

import copy
import itertools

import pytest

from dashboard.config import Settings
from dashboard.figures.map import LABEL_TRACES, trace_index
from dashboard.figures.map_frame import PLOTLY_CLIP_PAD, Frame, frame_for, frame_geo, merc_y, panel_size
from dashboard.figures.map_labels import (
    LabelCandidate,
    Place,
    label_box,
    overlaps,
    place_labels,
    short_title,
    spread_points,
    text_width,
)
from dashboard.map_view import apply_frame, apply_labels, label_writes, reference_figure, replay
from dashboard.state import ViewState

BELT = (118.20, 29.20, 118.26, 29.30)  # a tall, narrow box


def merc_aspect(frame: Frame) -> float:
    import math

    width = (frame.lon_range[1] - frame.lon_range[0]) * math.pi / 180
    return width / (merc_y(frame.lat_range[1]) - merc_y(frame.lat_range[0]))


@pytest.mark.parametrize("aspect", [0.5, 1.0, 1.78, 3.2])
def test_frame_has_the_panels_shape_and_centres_the_box(aspect):
    frame = frame_for(BELT, aspect, padding=0.1)
    assert merc_aspect(frame) == pytest.approx(aspect, rel=1e-3)
    x0, x1 = frame.lon_range
    assert (x0 + x1) / 2 == pytest.approx((BELT[0] + BELT[2]) / 2, abs=1e-6)
    px0, py0 = frame.to_pixels(BELT[0], BELT[3], 1000 * aspect, 1000)  # top-left corner of the box
    px1, py1 = frame.to_pixels(BELT[2], BELT[1], 1000 * aspect, 1000)
    # centred, and clear of the edge by at least the padding on both sides
    assert (px0 + px1) / 2 == pytest.approx(500 * aspect, abs=0.5)
    assert (py0 + py1) / 2 == pytest.approx(500, abs=0.5)
    assert min(px0, py0) >= 0.1 * 1000 * min(aspect, 1) - 0.5
    assert max(px1 - 1000 * aspect, py1 - 1000) <= 0


def test_frame_is_tight_on_the_limiting_side():
    frame = frame_for(BELT, 2.0, padding=0.1)  # a tall box in a wide panel: the height limits
    _, top = frame.to_pixels(BELT[0], BELT[3], 2000, 1000)
    _, bottom = frame.to_pixels(BELT[0], BELT[1], 2000, 1000)
    assert top == pytest.approx(100, abs=0.5) and bottom == pytest.approx(900, abs=0.5)


def test_pixels_round_trip():
    frame = frame_for(BELT, 1.4)
    x, y = frame.to_pixels(118.23, 29.27, 1400, 1000)
    assert frame.from_pixels(x, y, 1400, 1000) == pytest.approx((118.23, 29.27), abs=1e-9)


def test_geo_layout_fills_the_panel_at_scale_one():
    geo = frame_geo(BELT, 1.6)
    assert geo["domain"] == {"x": [0, 1], "y": [0, 1]} and geo["fitbounds"] is False
    assert geo["projection"]["scale"] == 1.0
    lon = geo["lonaxis"]["range"]
    assert geo["center"]["lon"] == pytest.approx((lon[0] + lon[1]) / 2)


def test_a_point_is_framed_at_a_minimum_span_and_bad_aspects_fall_back():
    frame = frame_for((118.2, 29.2, 118.2, 29.2), 1.0)
    assert frame.lon_range[1] - frame.lon_range[0] > 0.01
    assert merc_aspect(frame_for(BELT, float("nan"))) == pytest.approx(1.4, rel=1e-3)
    assert panel_size({"width": "x"}) == (1400, 1000) and panel_size({"width": 800, "height": 600}) == (800, 600)
    assert panel_size({"width": 10**9, "height": 600}) == (1400, 1000)


def test_text_width_counts_cjk_as_one_em_and_latin_as_less():
    assert text_width("严村", 10) == 20
    assert text_width("Yancun", 10) == pytest.approx(36)
    top = label_box(100, 100, "严村", 10, "top center")
    assert top[3] <= 100 + 2 and top[1] < 100 - 10  # above its point


def _crowd(n: int = 60) -> list[LabelCandidate]:
    # Many labels on a small grid: most collide where they would like to be.
    return [LabelCandidate("village", f"村{i}号", 118.2 + (i % 8) * 0.004, 29.2 + (i // 8) * 0.003, i % 5, 12, "#000")
            for i in range(n)]


def test_placed_labels_never_overlap_and_stay_inside():
    frame = frame_for((118.19, 29.19, 118.24, 29.23), 1.4)
    placed = place_labels(_crowd(), frame, 700, 500)
    assert 5 < len(placed) < 60  # some placed, some dropped
    for a, b in itertools.combinations(placed, 2):
        assert not overlaps(a.box, b.box), (a.candidate.text, b.candidate.text)
    assert all(p.box[0] >= 0 and p.box[2] <= 700 and p.box[1] >= 0 and p.box[3] <= 500 for p in placed)


def test_higher_priority_wins_and_obstacles_are_avoided():
    frame = frame_for((118.19, 29.19, 118.24, 29.23), 1.4)
    low = LabelCandidate("village", "低低低", 118.215, 29.21, 1, 14, "#000", positions=("middle center",))
    high = LabelCandidate("belt", "高高高", 118.215, 29.21, 9, 14, "#000", positions=("middle center",))
    placed = place_labels([low, high], frame, 700, 500)
    assert [p.candidate.text for p in placed] == ["高高高"]
    x, y = frame.to_pixels(118.215, 29.21, 700, 500)
    blocked = place_labels([high], frame, 700, 500, obstacles=((x - 5, y - 5, x + 5, y + 5),))
    assert blocked == []


def test_shared_points_are_set_apart_on_a_ring():
    frame = frame_for((118.19, 29.19, 118.24, 29.23), 1.4)
    places = (Place("S03", "a", 118.2, 29.2), Place("S04", "b", 118.2, 29.2), Place("S05", "c", 118.22, 29.21))
    spread = spread_points(places, frame, 700, 500, radius_px=10)
    a, b = (frame.to_pixels(*p, 700, 500) for p in spread[:2])
    assert ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 == pytest.approx(20, abs=0.2)
    assert spread[2] == (118.22, 29.21)


def test_short_titles_are_cut_with_an_ellipsis():
    assert short_title("省绿色发展财政奖补资金全省第一", 8) == "省绿色发展财政奖…"
    assert short_title("植树拜年") == "植树拜年"


@pytest.mark.parametrize("state", [ViewState(), ViewState(belt="B05", township="330824205"),
                                   ViewState(township="330824106"), ViewState(lang="en")])
def test_the_map_view_labels_never_overlap(dataset, state):
    settings = Settings()
    fig = copy.deepcopy(reference_figure(settings, dataset, state.lang, "/", None))
    frame = apply_frame(fig, dataset, state, (990, 740))
    apply_labels(fig, fig, dataset, state, frame, (990, 740), story_titles=True)
    texts = {uid: fig["data"][trace_index(fig, uid)]["text"] for uid in LABEL_TRACES}
    assert texts["labels-belts"] and texts["township-labels"]
    if state.belt or state.township:
        assert len(texts["labels-villages"]) >= 5
    else:
        assert texts["labels-villages"] == []
    geo = fig["layout"]["geo"]
    pad = PLOTLY_CLIP_PAD  # plotly fits the ranges shrunk by this on every side
    (x0, x1), (y0, y1) = geo["lonaxis"]["range"], geo["lataxis"]["range"]
    assert merc_aspect(Frame((x0 + pad, x1 - pad), (y0 + pad, y1 - pad))) == pytest.approx(990 / 740, rel=1e-3)


def test_story_titles_are_labelled_only_when_asked(dataset):
    settings = Settings()
    fig = copy.deepcopy(reference_figure(settings, dataset, "zh", "/", None))
    frame = apply_frame(fig, dataset, ViewState(), (1920, 1080))
    apply_labels(fig, fig, dataset, ViewState(), frame, (1920, 1080))
    assert fig["data"][trace_index(fig, "labels-stories")]["text"] == []
    apply_labels(fig, fig, dataset, ViewState(), frame, (1920, 1080), story_titles=True)
    assert "植树拜年" in fig["data"][trace_index(fig, "labels-stories")]["text"]


@pytest.mark.parametrize("state", [ViewState(belt="B05", township="330824205"), ViewState(lang="en")])
def test_cached_label_writes_replay_what_apply_labels_writes(dataset, state):
    from geodata import Audience

    size = (990, 740)
    reference = reference_figure(Audience.PUBLIC, dataset, state.lang, "/", None)
    direct, replayed = copy.deepcopy(reference), copy.deepcopy(reference)
    frame = apply_frame(direct, dataset, state, size)
    apply_labels(direct, reference, dataset, state, frame, size)
    writes = label_writes(Audience.PUBLIC, dataset, "/", state, frame, size)
    replay(writes, replayed)
    for uid in (*LABEL_TRACES, "stories"):
        i = trace_index(reference, uid)
        assert replayed["data"][i] == direct["data"][i]
    assert any(replayed["data"][trace_index(reference, "labels-belts")]["text"])
    # cached per dataset and read-only: a caller that changes what it was given cannot change the next answer
    assert label_writes(Audience.PUBLIC, dataset, "/", state, frame, size) is writes
    with pytest.raises(TypeError):
        replayed["data"][trace_index(reference, "labels-belts")]["text"].append("x")
