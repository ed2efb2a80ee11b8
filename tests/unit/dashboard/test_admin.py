"""Admin actions are enforced on the server: audience, token, size; the report is shown as text."""

from __future__ import annotations

import base64
import json

import pytest

from callbacks.admin import handle_publish, handle_rollback, handle_upload, route, versions_view
from dashboard.app import create_app
from dashboard.config import Settings
from geodata import Audience, open_dataset
from geodata.store import POINTER
from tests.unit.geodata.files import indicators_long, shipped_layer

TOKEN = "correct horse battery staple"


def _csv_upload(frame=None) -> str:
    data = (indicators_long(5) if frame is None else frame).to_csv(index=False).encode()
    return "data:text/csv;base64," + base64.b64encode(data).decode()


def _text(component) -> str:
    return json.dumps(component, ensure_ascii=False, default=lambda o: o.to_plotly_json())


@pytest.fixture()
def settings(tmp_path):
    return Settings(data_path=tmp_path / "store", admin_token=TOKEN)


def test_route_toggles_pages():
    assert route("/admin") == (False, True)
    assert route("/admin/") == (False, True)
    assert route("/") == (True, False)
    assert route(None) == (True, False)
    assert route("/admin", Audience.PUBLIC) == (True, False)


def test_upload_publish_and_roll_back(settings):
    view, staged, disabled = handle_upload(settings, _csv_upload(), "indicators.csv", TOKEN, None, None)
    assert staged and not disabled
    assert "passed, can be published" in _text(view) and "通过,可以发布" in _text(view)
    assert "published version v0002" in _text(handle_publish(settings, staged, TOKEN, "note"))
    table, options = versions_view(settings, "en")
    assert "v0002 (current)" in _text(table) and options == [{"label": "v0001", "value": "v0001"}]
    assert "restored version v0001" in _text(handle_rollback(settings, "v0001", TOKEN))
    assert open_dataset(settings.store).version == open_dataset().version


@pytest.mark.parametrize("typed", [None, "", "wrong", TOKEN + " "])
def test_wrong_token_changes_nothing(settings, typed):
    view, staged, disabled = handle_upload(settings, _csv_upload(), "indicators.csv", typed, None, None)
    assert staged is None and disabled and "wrong admin token" in _text(view)
    _, staged, _ = handle_upload(settings, _csv_upload(), "indicators.csv", TOKEN, None, None)
    pointer = (settings.store / POINTER).read_bytes()
    assert "wrong admin token" in _text(handle_publish(settings, staged, typed, ""))
    assert "wrong admin token" in _text(handle_rollback(settings, "v0001", typed))
    assert (settings.store / POINTER).read_bytes() == pointer


def test_no_token_configured_refuses(tmp_path):
    s = Settings(data_path=tmp_path / "store")
    assert "no admin token is configured" in _text(handle_publish(s, "0" * 32, "", ""))
    assert "no admin token is configured" in _text(handle_upload(s, _csv_upload(), "a.csv", "x", None, None)[0])


def test_public_audience_refuses_everything(tmp_path):
    s = Settings(data_path=tmp_path / "store", admin_token=TOKEN, audience=Audience.PUBLIC)
    for out in (handle_upload(s, _csv_upload(), "a.csv", TOKEN, None, None)[0],
                handle_publish(s, "0" * 32, TOKEN, ""), handle_rollback(s, "v0001", TOKEN)):
        assert "not available on public displays" in _text(out)
    assert versions_view(s, "zh") == ([], [])
    assert not (tmp_path / "store").exists()


def test_fixed_file_cannot_be_published_to(settings):
    s = Settings(admin_token=TOKEN)  # the shipped .gpkg
    assert "fixed file" in _text(handle_rollback(s, "v0001", TOKEN))


def test_oversize_upload_refused_before_decoding(tmp_path):
    s = Settings(data_path=tmp_path / "store", admin_token=TOKEN, max_upload_mb=0.001)
    view, staged, _ = handle_upload(s, _csv_upload(indicators_long(200)), "indicators.csv", TOKEN, None, None)
    assert staged is None and "file too large (the limit is 0 MB)" in _text(view)


def test_script_in_report_is_plain_text(settings):
    frame = indicators_long(3).astype({"village_code": object})
    frame.loc[0, "village_code"] = "<script>window.pwned=1</script>"
    view, staged, _ = handle_upload(settings, _csv_upload(frame), "<img src=x onerror=alert(1)>.csv", TOKEN,
                                    None, None)
    text = _text(view)
    assert staged is None
    assert "dangerouslySetInnerHTML" not in text
    assert "&lt;" not in text  # not pre-escaped either: React escapes the plain string when rendering


def test_settings_read_admin_env_and_hide_token():
    s = Settings.from_env({"KAIHUA_ADMIN_TOKEN": "s3cret", "KAIHUA_MAX_UPLOAD_MB": "5",
                           "KAIHUA_DATA_STORE": "/tmp/kaihua-store"})
    assert s.admin_token == "s3cret" and s.limits.max_bytes == 5 * 1024 * 1024
    assert str(s.store) == "/tmp/kaihua-store"
    assert "s3cret" not in repr(s)
    assert Settings.from_env({"KAIHUA_DATA": "/tmp/x.gpkg"}).store is None
    with pytest.raises(ValueError):
        Settings.from_env({"KAIHUA_MAX_UPLOAD_MB": "-1"})


def test_app_serves_a_published_version_without_restart(settings):
    app = create_app(settings)
    client = app.server.test_client()
    before = client.get("/healthz").json["data_version"]
    villages = shipped_layer("villages")
    villages.loc[villages.index[0], "name"] = "新村"
    upload = "data:application/geo+json;base64," + base64.b64encode(villages.to_json().encode()).decode()
    _, staged, _ = handle_upload(settings, upload, "villages.geojson", TOKEN, None, None)
    assert staged
    handle_publish(settings, staged, TOKEN, "")
    after = client.get("/healthz").json["data_version"]
    assert after != before
    assert "新村" in client.get(f"/geo/{after}/villages.geojson").get_data(as_text=True)
    assert client.get(f"/geo/{before}/villages.geojson").status_code == 404


def test_oversized_requests_are_refused_by_the_server(tmp_path):
    app = create_app(Settings(data_path=tmp_path / "store", admin_token=TOKEN, max_upload_mb=1))
    resp = app.server.test_client().post("/_dash-update-component", data=b"x" * (3 * 1024 * 1024),
                                         content_type="application/json")
    assert resp.status_code == 413


def test_page_draws_repaired_multipart_geometry(settings, tmp_path):
    """A village repaired into two parts (MultiPolygon) and a belt in two pieces still draw."""
    import shapely

    villages = shipped_layer("villages")
    c, d = villages.geometry.iloc[5].representative_point(), 0.001  # a small bow-tie inside the village
    bowtie = [(c.x - d, c.y - d), (c.x + d, c.y + d), (c.x + d, c.y - d), (c.x - d, c.y + d)]
    villages.loc[villages.index[5], "geometry"] = shapely.Polygon(bowtie)
    belts = shipped_layer("belts")
    line = belts.geometry.iloc[0]
    belts.loc[belts.index[0], "geometry"] = shapely.MultiLineString([line, shapely.affinity.translate(line, 0.001)])
    for name, frame in (("villages.geojson", villages), ("belts.geojson", belts)):
        upload = "data:application/geo+json;base64," + base64.b64encode(frame.to_json().encode()).decode()
        _, staged, _ = handle_upload(settings, upload, name, TOKEN, None, None)
        assert staged, name
        handle_publish(settings, staged, TOKEN, "")
    ds = open_dataset(settings.store)
    assert ds.villages().geometry.iloc[5].geom_type == "MultiPolygon"
    assert ds.belts().geometry.iloc[0].geom_type == "MultiLineString"
    client = create_app(settings).server.test_client()
    assert client.get("/_dash-layout").status_code == 200
    assert client.get(f"/geo/{ds.version}/villages.geojson").status_code == 200
