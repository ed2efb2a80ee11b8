"""The view state: round trips through URL and dict, and refuses what it does not know."""

from __future__ import annotations

import pytest

from dashboard.state import ViewState
from geodata.vocabulary import vocabulary


@pytest.fixture(scope="module")
def vocab(dataset):
    return vocabulary(dataset)


def test_default_state_has_empty_query():
    assert ViewState().to_query() == ""
    assert ViewState().scope == ("county", None)


def test_round_trip_through_query(vocab):
    state = ViewState(belt="B03", village="330824108220", layers=("villages", "belts"),
                      measure="pillar:ecology", year=2016, lang="en")
    back = ViewState.from_query(state.to_query(), vocab)
    assert back == state and back.problems == ()
    assert back.scope == ("village", "330824108220")


def test_round_trip_through_dict(vocab):
    state = ViewState(township="330824218", measure="indicator:forest_cover")
    assert ViewState.from_dict(state.to_dict(), vocab) == state


@pytest.mark.parametrize("payload, problem", [
    ({"belt": "B99"}, "unknown belt"),
    ({"village": "<script>alert(1)</script>"}, "unknown village"),
    ({"belt": ["B01"]}, "unknown belt"),
    ({"layers": ["villages", "secret"]}, "unknown layer"),
    ({"layers": 5}, "layers is not a list"),
    ({"measure": "indicator:drop table"}, "unknown measure"),
    ({"year": "1999"}, "unknown year"),
    ({"year": {"$gt": 1}}, "unknown year"),
    ({"lang": "fr"}, "unknown language"),
])
def test_hostile_values_fall_back_and_are_reported(vocab, payload, problem):
    state = ViewState.from_dict(payload, vocab)
    assert any(problem in p for p in state.problems)
    clean = ViewState()
    for key in payload:
        if key == "layers" and isinstance(payload[key], list):  # unknown names dropped, known ones kept
            assert state.layers == ("villages",)
        else:
            assert getattr(state, key) == getattr(clean, key)


def test_non_dict_payload(vocab):
    assert ViewState.from_dict(["belt", "B01"], vocab).problems


def test_clearing_goes_back_to_the_whole_county_then_to_the_top():
    from dashboard.state import clear_selection

    drilled = ViewState(county="338840", belt="C40B11", village="338840101201", year=2016)
    county = clear_selection(drilled)  # Esc inside a county of province data: the county stays in view
    assert (county.county, county.belt, county.village, county.year) == ("338840", None, None, 2016)
    assert clear_selection(county).county is None  # from the whole county: back to the province
    one_county = ViewState(belt="B05", village="330824101201")  # county data: nothing drilled into
    assert clear_selection(one_county) == ViewState()
    assert clear_selection(ViewState()) == ViewState()


def test_to_dict_names_every_field_but_the_problems():
    # to_dict is written by hand for speed: a field added to ViewState must be added there too.
    from dataclasses import fields

    state = ViewState(belt="B03", year=2016, layers=("villages", "belts"), problems=("x",))
    d = state.to_dict()
    assert set(d) == {f.name for f in fields(ViewState)} - {"problems"}
    assert d["layers"] == ["villages", "belts"] and d["belt"] == "B03" and d["year"] == 2016
