"""Per-dataset caches: cached, distinct per dataset, bounded, thread-safe, freed with their dataset."""

from __future__ import annotations

import copy
import gc
import json
import threading
import weakref

import numpy as np
import pandas as pd
import pytest

from geodata.cache import FrozenDict, FrozenList, freeze, per_dataset, shallow_copy


class Owner:
    """Anything with a __dict__ can own caches; a Dataset is one such object."""


def test_results_are_cached_per_dataset():
    calls = []

    @per_dataset()
    def square(ds, x):
        calls.append((ds, x))
        return [x * x]

    a, b = Owner(), Owner()
    first = square(a, 3)
    assert square(a, 3) is first and square(a, x=3) is first and square(ds=a, x=3) is first
    assert square(b, 3) is not first  # another dataset computes its own
    assert calls == [(a, 3), (b, 3)]
    assert square.cache_info(a).hits == 3 and square.cache_info(a).currsize == 1
    assert square.cache_info(Owner()).currsize == 0


def test_a_default_left_out_and_given_is_one_entry():
    calls = []

    @per_dataset()
    def figures(ds, codes, year=2018):
        calls.append(year)
        return (codes, year)

    ds = Owner()
    assert figures(ds, "B01") is figures(ds, "B01", 2018) is figures(ds, "B01", year=2018)
    assert figures(ds, "B01", 2017) == ("B01", 2017)
    assert calls == [2018, 2017]


def test_the_dataset_may_be_any_parameter():
    @per_dataset(dataset="ds")
    def label(settings, ds, lang="zh"):
        return f"{settings}-{id(ds)}-{lang}"

    a = Owner()
    assert label("s", a) is label("s", ds=a)  # positional or keyword: the dataset is not part of the key
    assert label("s", a, "en") != label("s", a)
    assert label.cache_info(a).misses == 2


def test_maxsize_keeps_the_most_recently_used():
    @per_dataset(maxsize=2)
    def ident(ds, x):
        return object()

    ds = Owner()
    one, two = ident(ds, 1), ident(ds, 2)
    assert ident(ds, 1) is one  # 1 is now the most recent
    ident(ds, 3)  # evicts 2
    assert ident(ds, 1) is one and ident(ds, 2) is not two
    assert ident.cache_info(ds).currsize == 2


def test_unhashable_arguments_are_refused_as_lru_cache_refuses_them():
    @per_dataset()
    def f(ds, codes):
        return len(codes)

    with pytest.raises(TypeError):
        f(Owner(), ["a"])


def test_caches_are_freed_with_their_dataset():
    @per_dataset()
    def frame_of(ds, n):
        return pd.DataFrame({"x": np.arange(n)}), ds  # a result that even refers back to its dataset

    ds = Owner()
    result = weakref.ref(frame_of(ds, 1000)[0])
    gone = weakref.ref(ds)
    del ds
    gc.collect()
    assert gone() is None and result() is None


def test_threads_share_one_result():
    barrier = threading.Barrier(8)

    @per_dataset()
    def slow(ds):
        barrier.wait(timeout=5)  # every thread computes at once: only the first result is kept
        return object()

    ds = Owner()
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(slow(ds))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and len({id(s) for s in seen}) == 1
    assert slow(ds) is seen[0]


def test_handout_gives_each_caller_its_own_copy():
    @per_dataset(handout=shallow_copy)
    def table(ds):
        return pd.DataFrame({"x": [1, 2, 3]})

    ds = Owner()
    mine = table(ds)
    mine.loc[0, "x"] = 99
    mine["y"] = 0
    again = table(ds)
    assert again.x.tolist() == [1, 2, 3] and "y" not in again


def test_frozen_values_refuse_changes_but_serialise_and_deep_copy_as_plain_ones():
    figure = freeze({"data": [{"x": [1, 2], "marker": {"size": 3}, "z": np.arange(3)}], "layout": {"title": "t"}})
    assert isinstance(figure, FrozenDict) and isinstance(figure["data"], FrozenList)
    for change in (lambda: figure.__setitem__("a", 1), lambda: figure["data"].append({}),
                   lambda: figure["data"][0]["marker"].update(size=4), lambda: figure["layout"].pop("title"),
                   lambda: figure["data"][0]["x"].__setitem__(0, 5)):
        with pytest.raises(TypeError, match="read-only"):
            change()
    with pytest.raises(ValueError):
        figure["data"][0]["z"][0] = 7
    assert figure["data"][0]["x"] == [1, 2]  # still compares equal to a list
    assert json.loads(json.dumps({**figure, "data": [{k: v for k, v in figure["data"][0].items() if k != "z"}]}))
    thawed = copy.deepcopy(figure)
    assert type(thawed) is dict and type(thawed["data"]) is list and type(thawed["data"][0]["marker"]) is dict
    thawed["data"][0]["marker"]["size"] = 9
    assert figure["data"][0]["marker"]["size"] == 3
