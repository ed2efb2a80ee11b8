"""Caches that live on the dataset they were computed from, so they go when it goes.

A module-level ``functools.lru_cache`` keyed on a :class:`~geodata.dataset.Dataset` holds that dataset (and
every frame derived from it) for as long as the entry stays in the cache: after a few publishes a worker
keeps several versions in memory. :func:`per_dataset` stores the results in a dict on the dataset instance
instead, so a dataset that nobody uses any more is freed together with everything computed from it.

    >>> @per_dataset(maxsize=256)
    ... def belt_detail(ds, belt_id, year): ...

Results are shared between callers (and threads): hand out something a caller cannot change, with
``handout`` (e.g. :func:`shallow_copy` for frames, whose copies are copy-on-write) or by caching immutable
values (tuples, frozensets, :class:`types.MappingProxyType`, :func:`freeze` for figure dicts).
"""

from __future__ import annotations

import copy
import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")
ATTRIBUTE = "_per_dataset_caches"  # the dict of caches in a dataset's __dict__


class CacheInfo(NamedTuple):
    """Statistics of one function's cache on one dataset (as ``functools.lru_cache`` reports them)."""

    hits: int
    misses: int
    maxsize: int | None
    currsize: int


class _FunctionCache:
    """One function's results on one dataset: a dict, or an LRU of at most ``maxsize`` entries."""

    def __init__(self, maxsize: int | None) -> None:
        self.maxsize = maxsize
        self.lock = threading.Lock()
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> tuple[bool, Any]:
        with self.lock:
            try:
                value = self.entries[key]
            except KeyError:
                self.misses += 1
                return False, None
            self.hits += 1
            if self.maxsize is not None:
                self.entries.move_to_end(key)
            return True, value

    def put(self, key: Hashable, value: Any) -> Any:
        """Store ``value`` unless another thread stored one first; return the stored one (so every caller
        shares one result)."""
        with self.lock:
            value = self.entries.setdefault(key, value)
            if self.maxsize is not None:
                self.entries.move_to_end(key)
                while len(self.entries) > self.maxsize:
                    self.entries.popitem(last=False)
            return value


def _caches_of(owner: object) -> dict[str, _FunctionCache]:
    state = vars(owner)  # a Dataset keeps its caches in its own __dict__, so they die with it
    caches = state.get(ATTRIBUTE)
    if caches is None:
        caches = state.setdefault(ATTRIBUTE, {})  # dict.setdefault is atomic: two threads get one dict
    return caches


def _function_cache(owner: object, name: str, maxsize: int | None) -> _FunctionCache:
    caches = _caches_of(owner)
    cache = caches.get(name)
    if cache is None:
        cache = caches.setdefault(name, _FunctionCache(maxsize))
    return cache


def per_dataset(maxsize: int | None = None, handout: Callable[[Any], Any] | None = None,
                dataset: str = "ds") -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Cache a function's results on the dataset it is called with.

    Parameters
    ----------
    maxsize : int or None
        At most this many results per dataset, least recently used dropped first; None keeps every result
        (for functions of the dataset alone, or of a few values such as a year).
    handout : callable, optional
        Applied to the cached value on every call, to give each caller its own view (e.g.
        :func:`shallow_copy`); the cached value itself is never changed.
    dataset : str
        The name of the parameter holding the dataset (any position).

    Returns
    -------
    callable
        A decorator. The wrapped function keeps its signature; the other arguments must be hashable
        (they are the key, as with ``functools.lru_cache``). ``wrapped.cache_info(ds)`` reports
        hits, misses and size on ``ds``.

    Notes
    -----
    Thread-safe: each function's cache on each dataset has its own lock, held only to read or store an
    entry, never while computing (two threads may compute the same result once each; both get the one
    stored first). Nothing is kept outside the dataset, so no module-level state grows with publishing.
    """

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        name = f"{fn.__module__}.{fn.__qualname__}"
        signature = inspect.signature(fn)
        position = list(signature.parameters).index(dataset)
        every = len(signature.parameters)

        def split(args: tuple, kwargs: dict) -> tuple[object, Hashable]:
            # The key is every argument but the dataset, defaults filled in, so that f(ds, x) and
            # f(ds, x, year=2018) (the default) share one entry instead of computing it twice.
            if not kwargs and len(args) == every:
                return args[position], args[:position] + args[position + 1:]
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            owner = arguments.pop(dataset)
            return owner, tuple(arguments.values())

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            owner, key = split(args, kwargs)
            cache = _function_cache(owner, name, maxsize)
            found, value = cache.get(key)
            if not found:
                value = cache.put(key, fn(*args, **kwargs))
            return handout(value) if handout is not None else value

        def cache_info(owner: object) -> CacheInfo:
            cache = _caches_of(owner).get(name)
            if cache is None:
                return CacheInfo(0, 0, maxsize, 0)
            with cache.lock:
                return CacheInfo(cache.hits, cache.misses, maxsize, len(cache.entries))

        def cache_clear(owner: object) -> None:
            """Forget this function's results on ``owner`` (tests that replace what the function calls)."""
            cache = _caches_of(owner).get(name)
            if cache is not None:
                with cache.lock:
                    cache.entries.clear()

        wrapper.cache_info = cache_info  # type: ignore[attr-defined]
        wrapper.cache_clear = cache_clear  # type: ignore[attr-defined]
        return wrapper

    return decorate


# --- read-only results ----------------------------------------------------------------------------


def shallow_copy(frame: T) -> T:
    """A new DataFrame/Series object over the same data: with pandas copy-on-write, a caller that changes
    it changes only its own copy, never the cached one."""
    return frame.copy(deep=False)  # type: ignore[attr-defined]


class FrozenDict(dict):
    """A dict that refuses every change; it serialises to JSON as a dict (plotly, Dash, ``json``).

    ``copy.deepcopy`` gives a plain, mutable dict (and lists), so a caller that needs to change a frozen
    figure deep-copies it, as it had to before.
    """

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError("this cached value is read-only: copy it (copy.deepcopy) to change it")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __deepcopy__(self, memo: dict) -> dict:
        return {copy.deepcopy(k, memo): copy.deepcopy(v, memo) for k, v in self.items()}

    def __copy__(self) -> dict:
        return dict(self)

    def __reduce__(self):
        return dict, (dict(self),)


class FrozenList(list):
    """A list that refuses every change; compares equal to a list and serialises as one."""

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError("this cached value is read-only: copy it (copy.deepcopy) to change it")

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = clear = extend = insert = pop = remove = reverse = sort = _refuse

    def __deepcopy__(self, memo: dict) -> list:
        return [copy.deepcopy(v, memo) for v in self]

    def __copy__(self) -> list:
        return list(self)

    def __reduce__(self):
        return list, (list(self),)


# Values that are immutable already. Checked by exact type first: a figure holds thousands of them (the
# coordinates of every trace), and the isinstance chain below for each one cost more than building the figure.
_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


def freeze(value: Any) -> Any:
    """``value`` made read-only all the way down: dicts become :class:`FrozenDict`, lists
    :class:`FrozenList`, numpy arrays non-writeable copies, frames shallow copies; other values as they are."""
    if type(value) in _IMMUTABLE:
        return value
    if isinstance(value, dict):
        return FrozenDict({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        if all(type(v) in _IMMUTABLE for v in value):
            return FrozenList(value)
        return FrozenList(freeze(v) for v in value)
    if isinstance(value, tuple) and type(value) is tuple:
        return tuple(freeze(v) for v in value)
    if isinstance(value, np.ndarray):
        out = value.copy()
        out.flags.writeable = False
        return out
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return shallow_copy(value)
    return value


def readonly_mapping(mapping: dict) -> MappingProxyType:
    """A read-only view of ``mapping`` (for cached lookup tables)."""
    return MappingProxyType(mapping)
