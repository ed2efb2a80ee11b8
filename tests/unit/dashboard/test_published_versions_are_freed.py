"""A running app lets a replaced version go: after a publish, nothing the app cached keeps the old dataset."""

from __future__ import annotations

import gc
import weakref

from benchmarks.memory import exercise, publish_change
from dashboard.app import create_app
from dashboard.config import Settings
from geodata import open_dataset
from geodata.dataset import Dataset
from geodata.queries import belt_detail
from geodata.vocabulary import vocabulary


def _live_versions() -> list[str]:
    gc.collect()
    return sorted(str(o.path) for o in gc.get_objects() if isinstance(o, Dataset))


def test_the_app_frees_each_version_once_a_newer_one_is_published(tmp_path):
    store, work = tmp_path / "store", tmp_path / "work"
    work.mkdir()
    client = create_app(Settings(data_path=store)).server.test_client()
    publish_change(store, 1, work)
    exercise(client, store)  # page, layout, GeoJSON and every interaction: every cache filled on this version
    first = open_dataset(store)
    assert open_dataset(store) is first  # unchanged: the same dataset (and its caches) serve every request
    gone = weakref.ref(first)
    # what the dataset holds: a layer as read, and results cached on it (by queries and by the app)
    held = [weakref.ref(first._layers["villages"]), weakref.ref(vocabulary(first)),
            weakref.ref(belt_detail(first, "B05", 2018))]
    del first
    publish_change(store, 2, work)
    exercise(client, store)
    current = open_dataset(store)
    assert gone() is None and all(ref() is None for ref in held)
    assert str(current.path) in _live_versions()
    assert not [p for p in _live_versions() if str(store) in p and p != str(current.path)]
