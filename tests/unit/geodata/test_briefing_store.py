"""Briefing versions in a data store: checked before publishing, rollback, and the last good one served."""

from __future__ import annotations

import pytest

from geodata import open_dataset
from geodata.briefing import SHIPPED_BRIEFING, BriefingError
from geodata.briefing_store import (
    briefing_versions,
    publish_briefing,
    published_briefing,
    rollback_briefing,
    served_briefing,
)

SHIPPED = SHIPPED_BRIEFING.read_bytes()


def no_check(view):
    return []


def story_check(view):
    return ["unknown story 'S99'"] if view.get("story") == "S99" else []


@pytest.fixture(scope="module")
def ds():
    return open_dataset()


def test_a_published_briefing_is_served(tmp_path, ds):
    edited = SHIPPED.replace("开化县乡村振兴党建示范带".encode(), "欢迎来到开化".encode())
    assert publish_briefing(tmp_path, edited, "mine.yaml", ds, no_check) == "v0001.yaml"
    served = served_briefing(ds, tmp_path, no_check)
    assert served.source == "v0001.yaml" and served.briefing.steps[0].title.zh == "欢迎来到开化"


def test_a_broken_file_is_refused_and_nothing_moves(tmp_path, ds):
    publish_briefing(tmp_path, SHIPPED, "a.yaml", ds, no_check)
    with pytest.raises(BriefingError) as err:
        publish_briefing(tmp_path, SHIPPED.replace(b"facts: [belts,", b"facts: [nonsense,"), "b.yaml", ds, no_check)
    assert err.value.problems[0].step == "1" and err.value.problems[0].field == "facts"
    assert briefing_versions(tmp_path) == ["v0001.yaml"] and published_briefing(tmp_path) == "v0001.yaml"
    assert not [p for p in (tmp_path / "briefing").iterdir() if p.name.startswith(".tmp")]


def test_a_published_file_the_data_no_longer_fits_gives_way_to_the_last_good_one(tmp_path, ds):
    publish_briefing(tmp_path, SHIPPED, "good.yaml", ds, no_check)
    later = SHIPPED.replace(b"story: S01", b"story: S99")
    publish_briefing(tmp_path, later, "later.yaml", ds, no_check)  # fitted the data it was checked with
    served = served_briefing(ds, tmp_path, story_check)  # the data now has no S99
    assert served.source == "v0001.yaml"
    assert served.problems and served.problems[0].field == "view"


def test_rollback(tmp_path, ds):
    publish_briefing(tmp_path, SHIPPED, "a.yaml", ds, no_check)
    publish_briefing(tmp_path, SHIPPED, "b.yaml", ds, no_check)
    rollback_briefing(tmp_path, "v0001.yaml", ds, no_check)
    assert published_briefing(tmp_path) == "v0001.yaml"
    with pytest.raises(Exception, match="no briefing version"):
        rollback_briefing(tmp_path, "v0009.yaml", ds, no_check)


def test_without_a_store_the_shipped_briefing_is_served(ds):
    assert served_briefing(ds, None, no_check).source == "shipped"
