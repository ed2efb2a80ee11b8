"""Briefing versions in a data store or the database: checked before publishing, rollback, and the last good one
served (every test on both: the ``state_backend`` fixture)."""

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


@pytest.fixture()
def store(state_backend):
    """Where the briefing versions live: a data store folder, or a database URL."""
    return state_backend.location


def test_a_published_briefing_is_served(store, ds):
    edited = SHIPPED.replace("开化县乡村振兴党建示范带".encode(), "欢迎来到开化".encode())
    assert publish_briefing(store, edited, "mine.yaml", ds, no_check) == "v0001.yaml"
    served = served_briefing(ds, store, no_check)
    assert served.source == "v0001.yaml" and served.briefing.steps[0].title.zh == "欢迎来到开化"


def test_a_broken_file_is_refused_and_nothing_moves(store, ds):
    publish_briefing(store, SHIPPED, "a.yaml", ds, no_check)
    with pytest.raises(BriefingError) as err:
        publish_briefing(store, SHIPPED.replace(b"facts: [belts,", b"facts: [nonsense,"), "b.yaml", ds, no_check)
    assert err.value.problems[0].step == "1" and err.value.problems[0].field == "facts"
    assert briefing_versions(store) == ["v0001.yaml"] and published_briefing(store) == "v0001.yaml"
    if not isinstance(store, str):
        assert not [p for p in (store / "briefing").iterdir() if p.name.startswith(".tmp")]


def test_a_published_file_the_data_no_longer_fits_gives_way_to_the_last_good_one(store, ds):
    publish_briefing(store, SHIPPED, "good.yaml", ds, no_check)
    later = SHIPPED.replace(b"story: S01", b"story: S99")
    publish_briefing(store, later, "later.yaml", ds, no_check)  # fitted the data it was checked with
    served = served_briefing(ds, store, story_check)  # the data now has no S99
    assert served.source == "v0001.yaml"
    assert served.problems and served.problems[0].field == "view"


def test_rollback(store, ds):
    publish_briefing(store, SHIPPED, "a.yaml", ds, no_check)
    publish_briefing(store, SHIPPED, "b.yaml", ds, no_check)
    rollback_briefing(store, "v0001.yaml", ds, no_check)
    assert published_briefing(store) == "v0001.yaml"
    with pytest.raises(Exception, match="no briefing version"):
        rollback_briefing(store, "v0009.yaml", ds, no_check)


def test_without_a_store_the_shipped_briefing_is_served(ds):
    assert served_briefing(ds, None, no_check).source == "shipped"


def test_a_publish_made_through_one_server_is_served_by_another(database_url, ds):
    """Two processes' views of one database: nothing of the briefing is kept in a server's memory but the cache
    of a version already read (keyed by the published name)."""
    import subprocess
    import sys

    publish_briefing(database_url, SHIPPED, "first.yaml", ds, no_check)
    assert served_briefing(ds, database_url, no_check).source == "v0001.yaml"
    code = ("import sys; from geodata import open_dataset; from geodata.briefing_store import publish_briefing; "
            "raw = open(sys.argv[2], 'rb').read(); "
            "print(publish_briefing(sys.argv[1], raw, 'other.yaml', open_dataset(), lambda v: []))")
    out = subprocess.run([sys.executable, "-c", code, database_url, str(SHIPPED_BRIEFING)], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "v0002.yaml"
    assert served_briefing(ds, database_url, no_check).source == "v0002.yaml"
    assert briefing_versions(database_url) == ["v0001.yaml", "v0002.yaml"]
