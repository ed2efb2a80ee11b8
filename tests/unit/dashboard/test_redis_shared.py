"""What Redis shares between app servers (a real Redis: the ``redis_url`` fixture): the login counters, the
presenter rooms, the computed charts and panels (never across audiences); and what happens when it is down."""

from __future__ import annotations

import logging
import socket
import time

import pytest
import redis

from callbacks.charts import chart_outputs
from callbacks.panel import panel_answer
from dashboard import ids
from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.rooms import FolderRooms, RedisRooms, RoomState, open_rooms, room_storage
from dashboard.shared_cache import KEY_PREFIX, cache_key, shared_per_dataset
from dashboard.state import ViewState
from dashboard.users import Role
from geodata import Audience, open_dataset
from tests.accounts import NAMES, add_test_users, csrf_of, log_in


def closed_port_url() -> str:
    """A Redis URL nobody answers (a port just freed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def server(state, redis_url: str | None, **kwargs):
    """One app server of a deployment: shared state folder, Redis for cache, counters and rooms."""
    return create_app(Settings(state_dir=state, redis_url=redis_url,
                               rate_limit_storage=redis_url or "memory://", **kwargs))


@pytest.fixture()
def state(tmp_path):
    add_test_users(tmp_path)
    return tmp_path


def wrong_logins(app, times: int, address: str = "10.1.1.1") -> list[int]:
    codes = []
    for _ in range(times):
        client = app.server.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        codes.append(client.post("/login", data={"username": NAMES[Role.STAFF], "password": "guess",
                                                 "csrf_token": csrf_of(client)}).status_code)
    return codes


# --- rate limits --------------------------------------------------------------------------------------------


def test_two_servers_count_wrong_logins_on_one_counter(state, redis_url):
    a, b = server(state, redis_url), server(state, redis_url)
    assert wrong_logins(a, 5) == [401] * 5
    assert wrong_logins(b, 1) == [429]  # the 6th try, on the other server
    keys = [k.decode() for k in redis.Redis.from_url(redis_url).keys("*login*")]
    assert keys, "the counters are in Redis"


def test_without_redis_each_server_counts_alone(state):
    a, b = server(state, None), server(state, None)
    assert wrong_logins(a, 5) == [401] * 5
    assert wrong_logins(b, 1) == [401]  # what Redis is for: this server never saw the other's tries


# --- presenter rooms --------------------------------------------------------------------------------------


def _room(step=3, active=True):
    return RoomState(room="lobby", step=step, step_id="sorghum", query="?story=S01", active=active,
                     updated=time.time())


def test_a_room_round_trips_through_redis_and_expires(tmp_path, redis_url):
    rooms = open_rooms(tmp_path / "rooms", redis_url)
    assert isinstance(rooms, RedisRooms) and rooms.get("lobby") is None
    moved = _room(step=4)
    rooms.put(moved)
    assert rooms.get("lobby") == moved
    client = redis.Redis.from_url(redis_url)
    assert 0 < client.ttl(RedisRooms.PREFIX + "lobby") <= RedisRooms.TTL
    assert not (tmp_path / "rooms").exists()  # nothing in the folder while Redis answers
    with pytest.raises(ValueError):
        rooms.get("../etc")


def test_a_presenter_on_one_server_moves_the_walls_of_another(tmp_path, redis_url):
    a = server(tmp_path / "a", redis_url)
    b = server(tmp_path / "b", redis_url)  # another machine: its own folder, the same Redis
    add_test_users(tmp_path / "a")
    room_storage(a.server.config["KAIHUA_SETTINGS"]).put(_room(step=5))
    wall = b.server.test_client()
    body = wall.get("/rooms/lobby.json").json
    assert body["step"] == 5 and body["active"] is True and body["step_id"] == "sorghum"
    presenter = a.server.test_client()
    log_in(presenter, Role.STAFF)
    token = csrf_of(presenter)
    assert presenter.post("/rooms/lobby/close", data={"csrf_token": token}).status_code == 204
    assert wall.get("/rooms/lobby.json").json["active"] is False
    # the folder of either server was never used
    assert not (tmp_path / "a" / "rooms").exists() and not (tmp_path / "b" / "rooms").exists()


def test_rooms_fall_back_to_the_folder_while_redis_is_down(tmp_path, caplog):
    rooms = open_rooms(tmp_path / "rooms", closed_port_url())
    with caplog.at_level(logging.WARNING):
        rooms.put(_room(step=2))
        assert rooms.get("lobby").step == 2
    assert FolderRooms(tmp_path / "rooms").get("lobby").step == 2
    assert caplog.text.count("Redis unavailable for presenter rooms") == 1  # once per outage, not per call


# --- shared charts and panels -----------------------------------------------------------------------------


def as_json(value) -> str:
    """What Dash would send for ``value`` (numpy arrays and NaN compare as sent, not by identity)."""
    import json

    import plotly

    return json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True, ensure_ascii=False)


def _hits(url: str) -> int:
    return redis.Redis.from_url(url).info("stats")["keyspace_hits"]


def test_charts_computed_on_one_server_are_served_from_redis_on_another(state, redis_url):
    ds = open_dataset()
    a, b = server(state, redis_url), server(state, redis_url)
    view = ViewState(belt="B03", year=2016)
    with a.server.app_context():
        computed = chart_outputs(ds, Audience.STAFF, view)
        panel = panel_answer(ds, Audience.STAFF, view, "/")
    keys = sorted(k.decode() for k in redis.Redis.from_url(redis_url).keys(KEY_PREFIX + "*"))
    assert len(keys) == 2 and all(f":{ds.version}:staff:" in k for k in keys)
    chart_outputs.cache_clear(ds)  # the other server's worker has never computed it
    panel_answer.cache_clear(ds)
    before = _hits(redis_url)
    with b.server.app_context():
        shared = chart_outputs(ds, Audience.STAFF, view)
        shared_panel = panel_answer(ds, Audience.STAFF, view, "/")
    assert _hits(redis_url) == before + 2
    assert as_json(shared) == as_json(computed) and "三色" in as_json(shared["ratings"])  # the staff's ratings
    assert as_json(shared_panel) == as_json(panel)
    with pytest.raises(TypeError, match="read-only"):
        shared["radar"]["layout"] = {}  # as read-only as a value computed here


def test_a_staff_result_in_redis_is_never_served_to_the_public(state, redis_url):
    ds = open_dataset()
    a, b = server(state, redis_url), server(state, redis_url)
    view = ViewState(belt="B07")
    with a.server.app_context():
        staff = chart_outputs(ds, Audience.STAFF, view)
    assert "三色" in as_json(staff["ratings"]) and staff["ratings"]["data"]
    chart_outputs.cache_clear(ds)
    with b.server.app_context():
        public = chart_outputs(ds, Audience.PUBLIC, view)
    assert not isinstance(public["ratings"], dict) and "三色" not in as_json(public)  # no_update: nothing sent
    assert cache_key("charts", ds.version, Audience.STAFF, (view,)) != cache_key("charts", ds.version,
                                                                                   Audience.PUBLIC, (view,))
    audiences = sorted(k.decode().split(":")[4] for k in redis.Redis.from_url(redis_url).keys(KEY_PREFIX + "*"))
    assert audiences == ["public", "staff"]


def test_a_shared_function_must_take_the_audience():
    with pytest.raises(TypeError, match="audience"):
        @shared_per_dataset("nope")
        def figure(ds, state):  # pragma: no cover - refused before it can be called
            return {}


# --- Redis down: the local path, a warning, no 500 ------------------------------------------------------


def test_with_redis_down_the_app_serves_from_its_own_caches_and_counts_in_memory(state, caplog):
    from benchmarks.dashclient import DashClient

    url = closed_port_url()
    app = server(state, url)
    ds = open_dataset()
    chart_outputs.cache_clear(ds)
    panel_answer.cache_clear(ds)
    client = app.server.test_client()
    statuses: list[int] = []

    def post(body):
        resp = client.post("/_dash-update-component", json=body)
        statuses.append(resp.status_code)
        return resp.status_code, (resp.json if resp.status_code == 200 else None)

    with caplog.at_level(logging.WARNING):
        dash = DashClient(client.get("/_dash-layout").json, client.get("/_dash-dependencies").json, post)
        dash.act(ids.URL, "pathname", "/")
        dash.act(ids.VIEW_STATE, "data", {"belt": "B02"})
        assert wrong_logins(app, 6) == [401] * 5 + [429]  # the limiter counts in this worker's memory
        assert client.get("/rooms/lobby.json").status_code == 200
    assert statuses and all(s in (200, 204) for s in statuses)
    assert chart_outputs.cache_info(ds).currsize >= 1  # computed and kept locally
    assert "Redis unavailable for the shared figure cache" in caplog.text
    assert "falling back to in-memory storage" in caplog.text  # Flask-Limiter's own warning
    assert "Redis unavailable for presenter rooms" in caplog.text


def test_over_http_the_public_on_one_server_never_gets_what_staff_left_in_redis_on_another(state, redis_url):
    """Staff and the public click through the same views on server A, then the public on server B (whose worker
    has computed nothing): B's answers come from Redis and carry no personal name and no rating."""
    from benchmarks.dashclient import DashClient
    from tests.unit.dashboard.test_roles import found_names, personal_names

    ds = open_dataset()
    names = personal_names(ds)
    a, b = server(state, redis_url), server(state, redis_url)

    def play(app, role):
        client = app.server.test_client()
        log_in(client, role)
        bodies: list[str] = []

        def post(body):
            resp = client.post("/_dash-update-component", json=body)
            bodies.append(resp.get_data(as_text=True))
            return resp.status_code, (resp.json if resp.status_code == 200 else None)

        dash = DashClient(client.get("/_dash-layout").json, client.get("/_dash-dependencies").json, post)
        dash.act(ids.URL, "pathname", "/")
        for view in ({"belt": "B05"}, {"village": ds.villages().code.iloc[3]}, {"story": "S08"}):
            dash.act(ids.VIEW_STATE, "data", view)
        return bodies

    chart_outputs.cache_clear(ds)
    panel_answer.cache_clear(ds)
    staff = play(a, Role.STAFF)
    assert found_names(staff, names)  # the staff's answers name people: they are what must not leak
    play(a, None)
    chart_outputs.cache_clear(ds)
    panel_answer.cache_clear(ds)
    before = _hits(redis_url)
    public = play(b, None)
    assert _hits(redis_url) > before  # B served from Redis
    assert found_names(public, names) == set()
    text = "\n".join(public)
    assert "三色" not in text and '"uid": "ratings"' not in text and '"uid":"ratings"' not in text
