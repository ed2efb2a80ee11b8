"""What ``GET /healthz`` reports besides the data: the database and Redis, each asked now with a short timeout.

Each is ``"ok"``, ``"down"`` or None (not configured). Used by load balancers: the answer must come quickly
even when a service hangs, so every probe is bounded by :data:`TIMEOUT_S`.
"""

from __future__ import annotations

from geodata import backend_for

TIMEOUT_S = 0.5


def database_status(settings) -> str | None:
    """``"ok"``/``"down"`` for ``settings.database_url``; None without one."""
    if not settings.database_url:
        return None
    return backend_for(settings).ping()


def redis_status(settings) -> str | None:
    """``"ok"`` if Redis at ``settings.redis_url`` answers PING within :data:`TIMEOUT_S`, ``"down"`` if not;
    None without one."""
    if not settings.redis_url:
        return None
    import redis

    client = redis.Redis.from_url(settings.redis_url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S)
    try:
        return "ok" if client.ping() else "down"
    except (redis.RedisError, OSError):
        return "down"
    finally:
        client.close()
