"""Who sees what, over HTTP, on one server: nobody logged in, staff, admin.

Every personal name in the data (every field the schema marks personal) is gathered, then the page, every
callback a user's clicks fire (played by benchmarks.dashclient, the stand-in for dash-renderer), the GeoJSON
layers and the exports are searched for them. The public must never receive one; staff do.
"""

from __future__ import annotations

import json

import pytest

from benchmarks.dashclient import DashClient
from dashboard import ids
from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.users import Role
from geodata import LAYERS, open_dataset
from geodata.audience import NAME_SEPARATOR
from geodata.geojson import MAP_LAYERS
from tests.accounts import add_test_users, log_in

ALL_LAYERS = ["villages", "townships", "county", "belts", "rivers", "ponds", "advisers", "projects", "sites",
              "teams", "pairings", "stories"]


def personal_names(ds) -> set[str]:
    """Every value of every field the schema marks personal, across the dataset."""
    names: set[str] = set()
    for name, spec in LAYERS.items():
        if not spec.personal:
            continue
        frame = ds.layer(name)
        for column in spec.personal:
            for value in frame[column].dropna():
                names.update(v for v in str(value).split(NAME_SEPARATOR) if v)
    return names


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    state = tmp_path_factory.mktemp("state")
    add_test_users(state)
    return create_app(Settings(state_dir=state))


@pytest.fixture(scope="module")
def names():
    found = personal_names(open_dataset())
    assert len(found) > 200 and "陈强龙" in found  # chiefs, cadres, advisers, and the story's veteran
    return found


def played_session(app, role: Role | None) -> tuple[list[str], list[int]]:
    """Log in as ``role`` and play a tour of the app as dash-renderer would: (bodies received, statuses)."""
    client = app.server.test_client()
    log_in(client, role)
    bodies = [client.get("/").get_data(as_text=True), client.get("/_dash-layout").get_data(as_text=True)]
    statuses: list[int] = []

    def post(body):
        resp = client.post("/_dash-update-component", json=body)
        bodies.append(resp.get_data(as_text=True))
        statuses.append(resp.status_code)
        return resp.status_code, (resp.json if resp.status_code == 200 else None)

    dash = DashClient(client.get("/_dash-layout").json, client.get("/_dash-dependencies").json, post)
    ds = open_dataset()
    dash.act(ids.URL, "pathname", "/")
    dash.act(ids.LAYER_SWITCHES, "value", ALL_LAYERS)
    dash.act(ids.LANGUAGE, "value", "en")  # the whole figure, with every overlay's hover text
    dash.act(ids.LANGUAGE, "value", "zh")
    dash.act(ids.MEASURE, "value", "rating")
    for code in ds.villages().code[:15]:
        dash.act(ids.VIEW_STATE, "data", {"village": code})
    for story in ds.layer("stories").story_id:
        dash.act(ids.VIEW_STATE, "data", {"story": story})
    for belt in ds.belts().belt_id[:5]:
        dash.act(ids.VIEW_STATE, "data", {"belt": belt})
    for adviser in ds.layer("advisers").name[:5]:
        dash.act(ids.SEARCH, "search_value", adviser)
    dash.act(ids.URL, "search", "?measure=rating")
    for name, (_layer, _id, _props) in MAP_LAYERS.items():
        bodies.append(client.get(f"/geo/{ds.version}/{name}.geojson").get_data(as_text=True))
    return bodies, statuses


def found_names(bodies: list[str], names: set[str]) -> set[str]:
    # JSON bodies may carry \uXXXX escapes: search each body as sent and as decoded text
    text = "\n".join(bodies)
    decoded = []
    for body in bodies:
        try:
            decoded.append(json.dumps(json.loads(body), ensure_ascii=False))
        except ValueError:
            decoded.append(body)
    text += "\n".join(decoded)
    return {n for n in names if n in text}


def test_nobody_logged_in_never_receives_a_personal_name(app, names):
    bodies, statuses = played_session(app, None)
    assert statuses and all(s in (200, 204) for s in statuses)
    assert found_names(bodies, names) == set()
    text = "\n".join(bodies)
    assert "三色" not in text and '"uid": "ratings"' not in text and '"uid":"ratings"' not in text


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admins_receive_names_on_the_same_server(app, names, role):
    bodies, statuses = played_session(app, role)
    assert statuses and all(s in (200, 204) for s in statuses)
    seen = found_names(bodies, names)
    assert "陈强龙" in seen and len(seen) > 100  # chiefs on the map, the story's veteran, advisers found by name


def test_a_public_page_after_a_staff_page_gets_the_public_one(app, names):
    """The page caches are keyed by audience: whoever came first, the public gets the public page."""
    staff = app.server.test_client()
    log_in(staff, Role.STAFF)
    staff_layout = staff.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    public_layout = app.server.test_client().get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert staff_layout.data != public_layout.data
    public_text = app.server.test_client().get("/_dash-layout").get_data(as_text=True)
    assert found_names([public_text], names) == set()


def test_exports_follow_the_session(app, names, monkeypatch):
    """What the PNG and PDF routes would render (the renderer replaced by one that returns the figure)."""
    from dashboard.exports import products, routes

    monkeypatch.setattr(products, "render_png", lambda fig, size: json.dumps(fig, ensure_ascii=False).encode())
    monkeypatch.setattr(products, "render_pdf", lambda pages: json.dumps(pages, ensure_ascii=False).encode())
    routes.map_png.cache_clear(open_dataset())
    public = app.server.test_client()
    staff = app.server.test_client()
    log_in(staff, Role.STAFF)
    query = "/export/map.png?layers=" + ",".join(ALL_LAYERS) + "&size=1080p"
    public_png = public.get(query).get_data(as_text=True)
    staff_png = staff.get(query).get_data(as_text=True)
    assert found_names([public_png], names) == set()
    assert found_names([staff_png], names)  # the chiefs' names in the hover texts of the staff map
    assert public.get("/export/map.png?measure=rating").status_code == 400
    assert staff.get("/export/map.png?measure=rating&size=1080p").status_code == 200
    for client in (public, staff):  # a dossier is drawn as for the public, whoever asks
        assert found_names([client.get("/export/belt/B05.pdf").get_data(as_text=True)], names) == set()


def test_admin_page_redirects_everyone_but_admins(app):
    public, staff, admin = (app.server.test_client() for _ in range(3))
    log_in(staff, Role.STAFF)
    log_in(admin, Role.ADMIN)
    assert public.get("/admin").status_code == 302 and "/login" in public.get("/admin").location
    assert staff.get("/admin").status_code == 302
    assert admin.get("/admin").status_code == 200
