"""A file that passes validation never takes the app down: every layer imported with only its required
columns, then the page, /admin and every callback (through Dash's dispatch) answer."""

from __future__ import annotations

import pyogrio
import pytest

from benchmarks.dashclient import UPDATE, DashClient
from benchmarks.interactions import actions_for
from dashboard.app import create_app
from dashboard.config import Settings
from geodata import DEFAULT_PATH, LAYERS, open_dataset
from geodata.dataset import forget
from geodata.importing import Options
from geodata.versions import publish, stage
from tests.accounts import Role, add_test_users, log_in


@pytest.fixture(scope="module")
def stripped(tmp_path_factory):
    """A store whose published version was imported from a GeoPackage holding every layer with only the
    schema's required columns (optional ones, the ``synthetic`` flags and any extra column dropped)."""
    root = tmp_path_factory.mktemp("required-only")
    shipped = open_dataset(DEFAULT_PATH)
    path = root / "required.gpkg"
    for name, spec in LAYERS.items():
        frame = shipped.layer(name)
        frame = frame[list(spec.columns) + ([frame.geometry.name] if spec.geometry else [])]
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG")
    store = root / "store"
    staged = stage(store, path, path.name, Options())
    assert staged.token, staged.report.lines("en")
    publish(store, staged.token)
    yield store, staged.report
    forget(store)


@pytest.fixture(scope="module")
def client(stripped):
    """An admin's session: every page and callback, /admin's too, is served to it."""
    add_test_users(stripped[0])  # users live in the data store
    client = create_app(Settings(data_path=stripped[0])).server.test_client()
    log_in(client, Role.ADMIN)
    return client


def _post(client, body: dict) -> tuple[int, dict | None]:
    resp = client.post(UPDATE, json=body)
    return resp.status_code, resp.json if resp.status_code == 200 else None


def test_the_stripped_file_passed_with_every_optional_column_filled(stripped):
    store, report = stripped
    filled = {(i.layer, i.field) for i in report.issues if i.level == "repaired"}
    declared = {(name, col) for name, spec in LAYERS.items() for col in spec.optional}
    assert filled == declared  # every optional column was missing, and each was filled
    ds = open_dataset(store)
    for name, spec in LAYERS.items():
        assert set(spec.kinds) <= set(ds.layer(name).columns), name


@pytest.mark.parametrize("url", ["/", "/_dash-layout", "/_dash-dependencies", "/admin", "/healthz"])
def test_pages_render(client, url):
    assert client.get(url).status_code == 200


def test_every_callback_answers(client):
    """Each server callback, fired as dash-renderer fires it on the first load (inputs as the page has them)."""
    dash = DashClient(client.get("/_dash-layout").json, client.get("/_dash-dependencies").json,
                      lambda body: _post(client, body))
    assert len(dash.deps) >= 10
    failed = []
    for dep in dash.deps:
        first = dep["inputs"][0]
        changed = [f"{key}.{first['property']}" for key in dash._expand(first["id"])]
        status, _ = _post(client, dash.body_for(dep, changed))
        if status not in (200, 204):
            failed.append((dep["output"], status))
    assert failed == []


def test_user_actions_answer(client, stripped):
    """Select a belt, a village, change measure and year, search: every callback each fires answers."""
    layout, deps = client.get("/_dash-layout").json, client.get("/_dash-dependencies").json
    for action in actions_for(open_dataset(stripped[0])):
        requests = DashClient(layout, deps, lambda body: _post(client, body)).act(action.ident, action.prop,
                                                                                  action.value)
        assert requests and [r.name for r in requests if r.status not in (200, 204)] == [], action.name
