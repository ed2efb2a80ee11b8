"""Redis as the app uses it (``REDIS_URL``): one client per URL and process, and a breaker for outages.

Redis holds what several workers and servers must share (figures and panels already computed, rate-limit
counters, presenter rooms). None of it is the only copy of anything: when Redis cannot be reached, each use
falls back to its local path (compute again, count in memory, the rooms folder) and :class:`Breaker` logs one
warning and keeps the app from waiting on a dead server at every request; it tries again after
:data:`RETRY_SECONDS`.
"""

from __future__ import annotations

import logging
import threading
import time

import redis

# Short timeouts: a shared cache that is slower than computing again is worse than none.
CONNECT_TIMEOUT = 0.5
SOCKET_TIMEOUT = 1.0
RETRY_SECONDS = 15.0
ERRORS = (redis.RedisError, OSError)
log = logging.getLogger(__name__)
_clients: dict[str, redis.Redis] = {}  # per process: a client is a connection pool, not data
_clients_lock = threading.Lock()


def client(url: str) -> redis.Redis:
    """The Redis client of ``url`` for this process (redis-py's pool reconnects after a fork by itself)."""
    with _clients_lock:
        found = _clients.get(url)
        if found is None:
            found = _clients[url] = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT,
                                                         socket_timeout=SOCKET_TIMEOUT)
        return found


class Breaker:
    """Whether to try Redis now, for one use of it (``what``): after a failure, not for :data:`RETRY_SECONDS`.

    The state is this process's knowledge of an outage, not data: each worker finds out for itself.
    """

    def __init__(self, what: str) -> None:
        self.what = what
        self._down_until = 0.0
        self._lock = threading.Lock()

    def closed(self) -> bool:
        """True when Redis may be tried."""
        return time.monotonic() >= self._down_until

    def failed(self, exc: BaseException) -> None:
        """Record a failure: one warning (no URL: it may hold a password), then the local path for a while."""
        with self._lock:
            first = self.closed()
            self._down_until = time.monotonic() + RETRY_SECONDS
        if first:
            log.warning("Redis unavailable for %s (%s): using the local fallback for %.0f s", self.what,
                        type(exc).__name__, RETRY_SECONDS)
