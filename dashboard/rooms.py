"""Presenter rooms: the step a presenter shows in room R, shared by every worker and app server.

A briefing at ``/brief?room=R`` writes its step here; every ``/wall?room=R`` reads it (short polling of
``GET /rooms/R.json``, a few hundred bytes) and shows that step while the presenter is active. The state
lives in shared storage, never in one process's memory: a folder (the data store's ``rooms/``) by default,
Redis when ``REDIS_URL`` is set, so it works across gunicorn workers and across app servers.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

ROOM_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_QUERY = 2000


def valid_room(name: object) -> bool:
    return isinstance(name, str) and bool(ROOM_NAME.match(name))


@dataclass(frozen=True)
class RoomState:
    """What room ``room`` shows: the briefing step (its index and id), the step's view as a link query, whether
    the presenter is still presenting, and when it last moved (server time, seconds since the epoch)."""

    room: str
    step: int
    step_id: str
    query: str
    active: bool
    updated: float

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> RoomState | None:
        try:
            data = json.loads(text)
            return cls(room=str(data["room"]), step=int(data["step"]), step_id=str(data["step_id"]),
                       query=str(data["query"])[:MAX_QUERY], active=bool(data["active"]),
                       updated=float(data["updated"]))
        except (ValueError, KeyError, TypeError):
            return None

    def following(self, idle_seconds: float, now: float | None = None) -> bool:
        """Whether a wall with ``idle_seconds`` of patience should still follow this room."""
        now = time.time() if now is None else now
        return self.active and (now - self.updated) < idle_seconds


class Rooms(Protocol):
    def get(self, room: str) -> RoomState | None: ...

    def put(self, state: RoomState) -> None: ...


class FolderRooms:
    """Rooms as small JSON files in ``folder``, each replaced atomically (readers never see half a file)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, room: str) -> Path:
        if not valid_room(room):
            raise ValueError(f"invalid room name {room!r}")
        return self.folder / f"{room}.json"

    def get(self, room: str) -> RoomState | None:
        try:
            return RoomState.from_json(self._path(room).read_bytes())
        except FileNotFoundError:
            return None

    def put(self, state: RoomState) -> None:
        path = self._path(state.room)
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".room-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(state.to_json())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class RedisRooms:
    """Rooms in Redis (``REDIS_URL``): one key per room, expiring after a day without a move. While Redis cannot
    be reached, rooms are read and written in ``fallback`` (the folder: one machine's walls still follow), with
    one warning per outage instead of an error."""

    TTL = 24 * 3600
    PREFIX = "kaihua:room:"

    def __init__(self, url: str, fallback: Rooms | None = None) -> None:
        from dashboard.redis_shared import Breaker, client  # only when configured

        self.client = client(url)
        self.fallback = fallback
        self.breaker = _breakers.setdefault(url, Breaker("presenter rooms"))

    def _redis(self, action, local):
        from dashboard.redis_shared import ERRORS

        if self.fallback is not None and not self.breaker.closed():
            return local()
        try:
            return action()
        except ERRORS as exc:
            if self.fallback is None:
                raise
            self.breaker.failed(exc)
            return local()

    def get(self, room: str) -> RoomState | None:
        if not valid_room(room):
            raise ValueError(f"invalid room name {room!r}")

        def read() -> RoomState | None:
            raw = self.client.get(self.PREFIX + room)
            return RoomState.from_json(raw) if raw else None

        return self._redis(read, lambda: self.fallback.get(room))

    def put(self, state: RoomState) -> None:
        if not valid_room(state.room):
            raise ValueError(f"invalid room name {state.room!r}")
        self._redis(lambda: self.client.set(self.PREFIX + state.room, state.to_json(), ex=self.TTL),
                    lambda: self.fallback.put(state))


_breakers: dict = {}  # per process and URL: whether Redis was found down lately (a fact, not data)


def open_rooms(folder: Path, redis_url: str | None = None) -> Rooms:
    """The room storage: Redis when ``redis_url`` is given (the folder while Redis is down), else the folder."""
    return RedisRooms(redis_url, fallback=FolderRooms(folder)) if redis_url else FolderRooms(folder)


def room_storage(settings) -> Rooms:
    """The rooms of the app configured by ``settings``: Redis when ``REDIS_URL`` is set, else the ``rooms/`` folder
    where the app keeps its users and audit log (the data store), shared by every worker on the machine."""
    return open_rooms(settings.state / "rooms", settings.redis_url)


def register_room_routes(server, settings, role_of) -> None:
    """``GET /rooms/<room>.json`` (anyone: a wall follows without signing in) and ``POST /rooms/<room>/close``
    (a presenter leaving: staff only). ``role_of()`` is the role of the current request."""
    from flask import abort, jsonify

    def read(room: str):
        if not valid_room(room):
            abort(404)
        state = room_storage(settings).get(room)
        body = {"room": room, "active": False, "now": time.time()}
        if state is not None:
            body.update(asdict(state))
            body["now"] = time.time()  # the server's clock: a wall compares `updated` with it, not its own
        response = jsonify(body)
        response.headers["Cache-Control"] = "no-store"
        return response

    def close(room: str):
        from dashboard.auth import Role

        if not valid_room(room):
            abort(404)
        if role_of() < Role.STAFF:
            abort(403)
        rooms = room_storage(settings)
        state = rooms.get(room)
        if state is not None:
            rooms.put(RoomState(state.room, state.step, state.step_id, state.query, False, time.time()))
        return ("", 204)

    server.add_url_rule("/rooms/<room>.json", "room_state", read, methods=["GET"])
    server.add_url_rule("/rooms/<room>/close", "room_close", close, methods=["POST"])
