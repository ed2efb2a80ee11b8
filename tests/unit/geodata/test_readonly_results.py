"""Cached results are read-only: a caller that changes what it got changes nobody else's next result."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from callbacks.charts import chart_outputs
from dashboard.exports.snapshot import snapshot_figure
from dashboard.map_view import reference_figure
from dashboard.state import ViewState
from geodata import Audience
from geodata import figures as gf
from geodata.measures import measure_values, village_ratings
from geodata.overlays import overlays
from geodata.queries import belt_detail, belt_member_table, belt_members, village_belt_map, village_detail
from geodata.scores import village_scores
from geodata.vocabulary import vocabulary

BELT, YEAR = "B05", 2018


def _codes(ds):
    return gf.scope_villages(ds, "belt", BELT)


# Cached frames: (name, call). Each call returns a frame or series the test then vandalises.
FRAMES = {
    "village_scores": lambda ds: village_scores(ds, YEAR),
    "belt_ranking": lambda ds: gf.belt_ranking(ds, "score", YEAR),
    "indicator_comparison": lambda ds: gf.indicator_comparison(ds, _codes(ds), YEAR),
    "pillar_history": lambda ds: gf.pillar_history(ds, _codes(ds)),
    "indicator_levels": lambda ds: gf.indicator_levels(ds),
    "belt_member_table": lambda ds: belt_member_table(ds, BELT, YEAR),
    "village_ratings": lambda ds: village_ratings(ds),
    "measure_values": lambda ds: measure_values(ds, "score", YEAR, Audience.STAFF).values,
}


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_changing_a_cached_frame_changes_only_the_callers_copy(dataset, name):
    call = FRAMES[name]
    before = call(dataset).copy(deep=True)
    mine = call(dataset)
    mine.iloc[0] = mine.iloc[-1]  # in place, through the object the cache handed out
    if hasattr(mine, "columns"):
        mine[mine.columns[0]] = mine.iloc[0, 0]
        mine[("vandal",) * mine.columns.nlevels if mine.columns.nlevels > 1 else "vandal"] = 1
    assert call(dataset).equals(before)


def test_overlay_frames_are_the_callers_own(dataset):
    mine = overlays(dataset, Audience.STAFF)
    mine.ponds.loc[mine.ponds.index[0], "village_name"] = "篡改"
    mine.river_segments["name"] = "篡改"
    again = overlays(dataset, Audience.STAFF)
    assert again.ponds.village_name.iloc[0] != "篡改" and (again.river_segments.name != "篡改").any()


def test_cached_dicts_and_details_refuse_changes(dataset):
    detail = belt_detail(dataset, BELT, YEAR)
    village = village_detail(dataset, belt_members(dataset, BELT)[0], YEAR, Audience.STAFF)
    for mapping in (gf.key_figures(dataset, _codes(dataset), YEAR), village_belt_map(dataset), detail.figures,
                    detail.scores, village.figures, village.ratings, village.county_scores):
        with pytest.raises(TypeError):
            mapping["villages"] = -1
    with pytest.raises(dataclasses.FrozenInstanceError):
        detail.name = "篡改"
    vocab = vocabulary(dataset)
    assert isinstance(vocab.belts, frozenset) and isinstance(vocab.years, tuple)
    assert isinstance(belt_members(dataset, BELT), tuple)


def test_the_cached_map_figure_is_read_only_and_exports_style_their_own_copy(dataset):
    reference = reference_figure(Audience.STAFF, dataset, "zh", "/", None)
    pristine = copy.deepcopy(reference)
    with pytest.raises(TypeError):
        reference["data"][0]["visible"] = False
    with pytest.raises(TypeError):
        reference["layout"]["geo"]["center"] = {"lon": 0, "lat": 0}
    with pytest.raises(TypeError):
        reference["data"].append({})
    state = ViewState(belt=BELT, measure="score", layers=("villages",))
    snap = snapshot_figure(state, Audience.STAFF, dataset)  # styles a copy: selection, colours, visibility
    assert snap["layout"]["geo"]["center"] != pristine["layout"]["geo"].get("center")
    assert reference == pristine


def test_cached_chart_figures_refuse_changes(dataset):
    out = chart_outputs(dataset, Audience.STAFF, ViewState(belt=BELT))
    for change in (lambda: out.__setitem__("radar", {}), lambda: out["radar"]["layout"].__setitem__("title", "x"),
                   lambda: out["ranking"]["data"].append({})):
        with pytest.raises(TypeError):
            change()
