"""Hardening over HTTP: headers on every response, the Host allowlist, body limits, forged callbacks."""

from __future__ import annotations

import json
import logging

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.security import HEAVY_LIMITS, MAX_JSON_DEPTH, csp, json_depth
from dashboard.state import ViewState
from geodata import open_dataset

UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(Settings(state_dir=tmp_path_factory.mktemp("state")))


@pytest.fixture()
def client(app):
    return app.server.test_client()


def _script_src(policy: str) -> str:
    return next(d for d in policy.split(";") if d.strip().startswith("script-src"))


@pytest.mark.parametrize("path", ["/", "/_dash-layout", "/_dash-dependencies", "/login", "/healthz",
                                  "/no/such/page", "/assets/style.css", "/geo/stale/villages.geojson"])
def test_every_response_carries_the_security_headers(client, path):
    resp = client.get(path)
    policy = resp.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in _script_src(policy) and "'unsafe-eval'" not in _script_src(policy)
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"


def test_the_csp_allows_exactly_dashs_inline_scripts(app, client):
    page = client.get("/").get_data(as_text=True)
    policy = client.get("/").headers["Content-Security-Policy"]
    for sha in app.csp_hashes():
        assert sha in _script_src(policy)
    assert page.count("<script>") + page.count('<script type="application/javascript">') >= 1


def test_frame_ancestors_can_be_configured(tmp_path):
    client = create_app(Settings(state_dir=tmp_path, frame_ancestors="'self' http://wall.local")).server.test_client()
    assert "frame-ancestors 'self' http://wall.local" in client.get("/").headers["Content-Security-Policy"]
    assert "frame-ancestors x" in csp([], "x")


@pytest.mark.parametrize("host, status", [("localhost", 200), ("127.0.0.1:8050", 200), ("localhost:1", 200),
                                          ("evil.example", 400), ("127.0.0.1.evil.example:8050", 400)])
def test_only_allowed_hosts_are_answered(client, host, status):
    assert client.get("/healthz", headers={"Host": host}).status_code == status


def test_allowed_hosts_come_from_the_settings(tmp_path):
    client = create_app(Settings(state_dir=tmp_path, allowed_hosts=("wall.example",))).server.test_client()
    assert client.get("/healthz", headers={"Host": "wall.example:80"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "localhost"}).status_code == 400


def test_json_depth_is_measured_without_parsing():
    assert json_depth(b'{"a": [1, {"b": "[[[[["}]}') == 3
    assert json_depth(b"[" * 100000 + b"]" * 100000) == 100000


@pytest.mark.parametrize("body", [
    b"[" * 5000 + b"]" * 5000,  # deeper than any sane request
    b'{"output": "x"' + b', "y": [' * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1) + b"}",
    b"not json",
    b"[1, 2, 3]",
    b'{"output": "no-such-component.children", "inputs": []}',
    b'{"output": "map.figure", "inputs": "x"}',
    json.dumps({"output": "..map.figure...map-applied.data..", "inputs": [{"id": "view-state"}]}).encode(),
])
def test_forged_callback_bodies_answer_400_without_a_traceback(client, body, caplog):
    with caplog.at_level(logging.INFO):
        resp = client.post(UPDATE, data=body, content_type="application/json")
    assert resp.status_code == 400
    assert "Traceback" not in caplog.text and len(caplog.text) < 400


def test_a_well_formed_body_with_wrong_values_answers_400_in_one_line(client, caplog):
    deps = client.get("/_dash-dependencies").json
    dep = next(d for d in deps if d["output"].startswith("..map.figure"))
    body = {"output": dep["output"], "outputs": [{"id": "map", "property": "figure"}],  # one output of two
            "inputs": [{"id": ids.VIEW_STATE, "property": "data", "value": {"lang": "en"}}],
            "state": [{"id": ids.MAP_APPLIED, "property": "data", "value": [[["x"]]]}],
            "changedPropIds": [f"{ids.VIEW_STATE}.data"]}
    with caplog.at_level(logging.INFO):
        resp = client.post(UPDATE, json=body)
    assert resp.status_code in (400, 200)  # 200 only if Dash could make sense of it after all
    assert "Traceback" not in caplog.text


def test_callback_bodies_over_1_mb_are_refused_without_login(client):
    resp = client.post(UPDATE, data=b"x" * (2 << 20), content_type="application/json")
    assert resp.status_code == 413


def test_forms_are_small(client):
    assert client.post("/login", data={"username": "x" * (64 << 10)}).status_code == 413


def _language_switch(client, lang: str) -> dict:
    deps = client.get("/_dash-dependencies").json
    dep = next(d for d in deps if d["output"].startswith("..map.figure"))
    state = ViewState(lang=lang).to_dict()
    # The outputs as the page sends them, read from the dependency (so the body follows the callback's outputs)
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1)))
               for part in dep["output"].strip(".").split("...")]
    # Inputs and states likewise: the forged view state where the page sends one, nothing elsewhere
    values = {(ids.VIEW_STATE, "data"): state, (ids.MAP_APPLIED, "data"): ViewState().to_dict()}

    def sent(specs: list[dict]) -> list[dict]:
        return [{**spec, "value": values.get((spec["id"], spec["property"]))} for spec in specs]

    return {"output": dep["output"], "outputs": outputs,
            "inputs": sent(dep["inputs"]), "state": sent(dep["state"]),
            "changedPropIds": [f"{ids.VIEW_STATE}.data"]}


def test_a_forged_language_switch_is_no_cheap_amplifier(tmp_path):
    """Each answer is a whole map figure; an address asking for more of them than a person could is refused."""
    server = create_app(Settings(state_dir=tmp_path)).server
    client = server.test_client()
    body = _language_switch(client, "en")
    allowed = int(HEAVY_LIMITS.split()[0])
    first = client.post(UPDATE, json=body)
    assert first.status_code == 200 and len(first.data) > 300_000  # the amplification: ~300 B in
    statuses = [client.post(UPDATE, json=body).status_code for _ in range(allowed)]
    assert statuses[-1] == 429 and statuses.count(200) == allowed - 1
    other = server.test_client()  # per address: another client is still served
    other.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    assert other.post(UPDATE, json=body).status_code == 200


def test_callback_answers_are_not_cached_by_browsers_or_proxies(client):
    resp = client.post(UPDATE, json=_language_switch(client, "zh"))
    assert resp.headers["Cache-Control"] == "no-store"


def test_geojson_layers_hold_no_personal_field():
    from geodata import LAYERS
    from geodata.geojson import MAP_LAYERS

    for _name, (layer, _id, props) in MAP_LAYERS.items():
        assert not set(props) & LAYERS[layer].personal
    assert open_dataset().version  # the served layers are checked against the schema's marks
