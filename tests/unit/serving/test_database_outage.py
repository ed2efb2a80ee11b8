"""PostgreSQL stops while the app runs, then starts again: what each request gets, what is logged, the recovery.

A cluster of its own (``tests.services.PostgresCluster``: the session's server is shared and must stay up), the
shipped data imported into it, the app created on it with a password in ``DATABASE_URL`` (the cluster trusts
every login, so the password is only there to be looked for in answers and logs).
"""

from __future__ import annotations

import logging
import time

import pytest

from benchmarks.dashclient import DashClient
from dashboard import ids, outage
from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.users import Role
from geodata import DEFAULT_PATH, backend_for, db
from geodata.dataset import forget
from geodata.importing import Options
from tests.accounts import NAMES, PASSWORDS, add_test_users, csrf_of, log_in
from tests.services import PostgresCluster

PASSWORD = "Sekr1t-pw-4711"
UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def cluster():
    made = PostgresCluster()
    made.start()
    yield made
    made.remove()


@pytest.fixture
def url(cluster):
    """The cluster's database with the shipped data published, named by a URL that carries a password."""
    url = cluster.base.replace("kaihua@", f"kaihua:{PASSWORD}@") + "/kaihua"
    store = backend_for(url)
    if store.current_id() is None:
        staged = store.stage(DEFAULT_PATH, DEFAULT_PATH.name, Options())
        assert staged.token, staged.report.lines("en")
        store.publish(staged.token, "the shipped dataset")
        add_test_users(url)
    yield url
    cluster.start()  # whatever the test did, the next one finds it up
    forget(url)


def _played_belt_click(client) -> list[int]:
    """Statuses of the callbacks a click on a belt fires (as dash-renderer would send them)."""
    statuses: list[int] = []

    def post(body):
        resp = client.post(UPDATE, json=body)
        statuses.append(resp.status_code)
        assert "Traceback" not in resp.get_data(as_text=True)
        return resp.status_code, (resp.json if resp.status_code == 200 else None)

    dash = DashClient(client.get("/_dash-layout").json, client.get("/_dash-dependencies").json, post)
    dash.act(ids.VIEW_STATE, "data", {"belt": "B05"})
    return statuses


def _assert_unavailable(resp, lang: str = "zh") -> None:
    text = resp.get_data(as_text=True)
    assert resp.status_code == 503, (resp.status_code, text[:200])
    # rate-limited routes (the login form, callbacks) may say later: Flask-Limiter sends the larger of the two
    assert int(resp.headers["Retry-After"]) >= outage.RETRY_AFTER_S
    assert text.strip() == outage.MESSAGES[lang]
    assert "Traceback" not in text and PASSWORD not in text


def _wait_until_healthy(client, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = client.get("/healthz").json
        if body["status"] == "ok" or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def test_the_app_serves_what_it_holds_answers_503_for_the_rest_and_recovers(cluster, url, tmp_path, caplog):
    app = create_app(Settings(database_url=url, state_dir=tmp_path))
    public, staff = app.server.test_client(), app.server.test_client()
    assert log_in(staff, Role.STAFF).status_code == 302
    assert public.get("/healthz").json["status"] == "ok"
    public_layout, staff_layout = public.get("/_dash-layout").data, staff.get("/_dash-layout").data
    caplog.set_level(logging.INFO)
    caplog.clear()

    cluster.stop()
    # served from the version this process holds: the page, its layout, the callbacks of a click, the geometry
    assert public.get("/").status_code == 200
    assert public.get("/_dash-layout").data == public_layout
    assert _played_belt_click(public) and set(_played_belt_click(public)) <= {200, 204}
    health = public.get("/healthz")
    assert health.status_code == 200 and health.json["status"] == "degraded"
    assert health.json["database"] == "down" and PASSWORD not in health.get_data(as_text=True)
    # what needs the database: a logged-in user's role, logging in (in Chinese, or the language asked for)
    _assert_unavailable(staff.get("/_dash-layout"))
    _assert_unavailable(staff.get("/_dash-layout", headers={"Accept-Language": "en-GB,en;q=0.8"}), "en")
    _assert_unavailable(staff.get("/admin?lang=en"), "en")
    form = {"username": NAMES[Role.STAFF], "password": PASSWORDS[Role.STAFF], "csrf_token": csrf_of(public)}
    _assert_unavailable(public.post("/login", data=form))
    time.sleep(db.RETRY_S + 0.2)  # the app tries again (and fails again): still the one line
    _assert_unavailable(staff.get("/_dash-layout"))

    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(problems) == 1, [r.getMessage() for r in problems]
    assert "database unavailable" in problems[0].getMessage()
    assert PASSWORD not in caplog.text and "Traceback" not in caplog.text and not any(r.exc_info for r in problems)

    cluster.start()  # no restart of the app: it finds the database again by itself
    assert _wait_until_healthy(public) == {**health.json, "status": "ok", "problem": None, "database": "ok"}
    assert staff.get("/_dash-layout").data == staff_layout
    assert log_in(public, Role.STAFF).status_code == 302
    assert any("database reachable again" in r.getMessage() for r in caplog.records)
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


def test_a_process_that_never_read_the_data_answers_503_and_healthz_down(cluster, url, tmp_path, caplog):
    app = create_app(Settings(database_url=url, state_dir=tmp_path))
    client = app.server.test_client()
    cluster.stop()
    forget(url)  # as a worker started during the outage: nothing held to serve
    caplog.set_level(logging.INFO)
    _assert_unavailable(client.get("/_dash-layout"))
    _assert_unavailable(client.get("/_dash-layout?lang=en"), "en")
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json["status"] == "down" and down.json["database"] == "down"
    assert PASSWORD not in down.get_data(as_text=True) and PASSWORD not in caplog.text
    cluster.start()
    assert _wait_until_healthy(client)["status"] == "ok"
    assert client.get("/_dash-layout").status_code == 200


@pytest.mark.parametrize(("asked", "accepted", "default", "expected"), [
    (None, [], "zh", "zh"),
    (None, [], "en", "en"),
    ("en", ["zh-CN"], "zh", "en"),
    ("fr", ["fr-FR", "en-US", "zh"], "zh", "en"),
    (None, ["zh-Hant-TW", "en"], "en", "zh"),
    (None, ["de"], "zh", "zh"),
])
def test_the_answer_is_in_the_language_asked_for(asked, accepted, default, expected):
    assert outage.choose_language(asked, accepted, default) == expected


def test_a_password_is_masked_wherever_it_appears():
    url = f"postgresql://kaihua:{PASSWORD}@db.example:5432/kaihua"
    assert db.mask(f"could not connect to {url}", url) == "could not connect to <database>"
    assert db.mask(f"password {PASSWORD} refused", url) == "password *** refused"
    assert db.mask("nothing secret", None) == "nothing secret"
