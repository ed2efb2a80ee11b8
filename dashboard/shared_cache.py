"""Figures and panels computed once for every worker and server: Flask-Caching's ``RedisCache`` behind the
per-dataset caches, when ``REDIS_URL`` is set.

A view state's charts and panel are immutable for a data version, an audience and a release of the code, so
what one worker computed any other may serve. :func:`shared_per_dataset` puts two levels behind a function:

1. the worker's own :func:`geodata.cache.per_dataset` cache (as before, and all there is without Redis);
2. Redis, under a key of the namespace, the data version, the **audience**, the code's release and the other
   arguments; on a miss the value is computed and written there for the others.

The audience is part of every key by construction: a function is accepted only if its parameters start with
``ds, audience`` (:class:`TypeError` otherwise), so a staff-only result is never stored where a public request
looks. When Redis fails, the value is computed locally, with one warning per outage
(:class:`dashboard.redis_shared.Breaker`), never an error for the request. Values are pickled (Flask-Caching's
serializer): Redis is the operator's own server, as trusted as the database.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context

from dashboard.redis_shared import ERRORS, Breaker, client
from geodata import Audience
from geodata.cache import freeze, per_dataset

T = TypeVar("T")
EXTENSION = "kaihua_shared_cache"
KEY_PREFIX = "kaihua:cache:"
TIMEOUT = 24 * 3600  # seconds: a data version's figures are asked for again within a day or not at all
CODE = Path(__file__).resolve().parents[1]
log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def code_release() -> str:
    """A short hash of the code that computes figures and panels (geodata, dashboard, callbacks): a new release
    never reads what an older one stored."""
    digest = hashlib.sha256()
    for package in ("geodata", "dashboard", "callbacks"):
        for path in sorted((CODE / package).rglob("*.py")):
            digest.update(path.relative_to(CODE).as_posix().encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class SharedCache:
    """Flask-Caching's Redis backend, with a breaker: ``get``/``set`` never raise."""

    def __init__(self, url: str, timeout: int = TIMEOUT) -> None:
        from flask_caching.backends.rediscache import RedisCache

        self.backend = RedisCache(host=client(url), key_prefix=KEY_PREFIX, default_timeout=timeout)
        self.breaker = Breaker("the shared figure cache")

    def get(self, key: str) -> tuple[bool, Any]:
        """(True, value) when Redis has ``key``; (False, None) when not, or when Redis cannot be asked."""
        if not self.breaker.closed():
            return False, None
        try:
            value = self.backend.get(key)
        except ERRORS as exc:
            self.breaker.failed(exc)
            return False, None
        except Exception as exc:  # a value another release wrote that no longer unpickles: a miss
            log.info("shared cache entry unreadable (%s): computing again", type(exc).__name__)
            return False, None
        return (value is not None), value

    def set(self, key: str, value: Any) -> None:
        if not self.breaker.closed():
            return
        try:
            self.backend.set(key, value)
        except ERRORS as exc:
            self.breaker.failed(exc)


def install(server: Flask, redis_url: str | None) -> SharedCache | None:
    """Give ``server`` a shared cache when ``redis_url`` is set (None: the workers' own caches only)."""
    cache = SharedCache(redis_url) if redis_url else None
    server.extensions[EXTENSION] = cache
    return cache


def current() -> SharedCache | None:
    """The shared cache of the app handling this request (None outside an app, or without Redis)."""
    return current_app.extensions.get(EXTENSION) if has_app_context() else None


def _part(value: object) -> object:
    """An argument as it goes into a key: a view state by its fields, an audience by its name."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Audience):
        return value.value
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"no shared cache key for a {type(value).__name__}")


def cache_key(namespace: str, data_version: str, audience: Audience, args: tuple) -> str:
    """The Redis key of one result: readable up to the hash of the other arguments."""
    rest = hashlib.sha256(json.dumps([_part(a) for a in args], sort_keys=True, default=str).encode()).hexdigest()
    return f"{namespace}:{data_version}:{Audience(audience).value}:{code_release()}:{rest[:32]}"


def shared_per_dataset(namespace: str, maxsize: int | None = 256,
                       load: Callable[[Any], Any] = freeze) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Cache ``fn(ds, audience, *args)`` per dataset in the worker, and in Redis for every worker and server.

    Parameters
    ----------
    namespace : str
        The first part of the Redis key (one per function).
    maxsize : int or None
        Bound of the worker's own cache, as for :func:`geodata.cache.per_dataset`.
    load : callable
        Applied to a value read from Redis before it is shared in the worker (default :func:`freeze`: cached
        values are read-only, as computed ones are).
    """

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        params = list(inspect.signature(fn).parameters)
        if params[:2] != ["ds", "audience"]:
            raise TypeError(f"{fn.__qualname__}: a shared result's parameters start with (ds, audience), "
                            "so that the audience is part of every key")

        @functools.wraps(fn)
        def through_redis(ds, audience, *args):
            cache = current()
            if cache is None:
                return fn(ds, audience, *args)
            key = cache_key(namespace, ds.version, audience, args)
            found, value = cache.get(key)
            if found:
                return load(value)
            value = fn(ds, audience, *args)
            cache.set(key, value)
            return value

        return per_dataset(maxsize=maxsize)(through_redis)

    return decorate
