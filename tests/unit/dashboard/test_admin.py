"""Admin actions are enforced on the server: role, size; the report is shown as text."""

from __future__ import annotations

import base64
import json

import pytest

from callbacks.admin import handle_publish, handle_rollback, handle_upload, route, versions_view
from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.users import Role
from geodata import open_dataset
from geodata.store import POINTER
from tests.unit.geodata.files import indicators_long, shipped_layer

ADMIN = Role.ADMIN


def _csv_upload(frame=None) -> str:
    data = (indicators_long(5) if frame is None else frame).to_csv(index=False).encode()
    return "data:text/csv;base64," + base64.b64encode(data).decode()


def _text(component) -> str:
    return json.dumps(component, ensure_ascii=False, default=lambda o: o.to_plotly_json())


@pytest.fixture()
def settings(tmp_path):
    return Settings(data_path=tmp_path / "store")


def test_route_toggles_pages():
    assert route("/admin", ADMIN) == (False, True)
    assert route("/admin/", ADMIN) == (False, True)
    assert route("/", ADMIN) == (True, False)
    assert route(None, ADMIN) == (True, False)
    assert route("/admin", Role.STAFF) == (True, False)
    assert route("/admin") == (True, False)  # nobody logged in


def test_upload_publish_and_roll_back(settings):
    view, staged, disabled = handle_upload(settings, _csv_upload(), "indicators.csv", ADMIN, None, None)
    assert staged and not disabled
    assert "passed, can be published" in _text(view) and "通过,可以发布" in _text(view)
    assert "published version v0002" in _text(handle_publish(settings, staged, ADMIN, "note"))
    table, options = versions_view(settings, "en", ADMIN)
    assert "v0002 (current)" in _text(table) and options == [{"label": "v0001", "value": "v0001"}]
    assert "restored version v0001" in _text(handle_rollback(settings, "v0001", ADMIN))
    assert open_dataset(settings.store).version == open_dataset().version


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.STAFF])
def test_anyone_but_an_admin_changes_nothing(settings, role):
    view, staged, disabled = handle_upload(settings, _csv_upload(), "indicators.csv", role, None, None)
    assert staged is None and disabled and "log in as an admin" in _text(view)
    _, staged, _ = handle_upload(settings, _csv_upload(), "indicators.csv", ADMIN, None, None)
    pointer = (settings.store / POINTER).read_bytes()
    assert "log in as an admin" in _text(handle_publish(settings, staged, role, ""))
    assert "log in as an admin" in _text(handle_rollback(settings, "v0001", role))
    assert (settings.store / POINTER).read_bytes() == pointer
    assert versions_view(settings, "zh", role) == ([], [])


def test_public_refused_before_the_store_is_touched(tmp_path):
    s = Settings(data_path=tmp_path / "store")
    for out in (handle_upload(s, _csv_upload(), "a.csv", Role.PUBLIC, None, None)[0],
                handle_publish(s, "0" * 32, Role.PUBLIC, ""), handle_rollback(s, "v0001", Role.PUBLIC)):
        assert "log in as an admin" in _text(out)
    assert not (tmp_path / "store").exists()


def test_fixed_file_cannot_be_published_to(settings):
    s = Settings()  # the shipped .gpkg
    assert "fixed file" in _text(handle_rollback(s, "v0001", ADMIN))


def test_oversize_upload_refused_before_decoding(tmp_path):
    s = Settings(data_path=tmp_path / "store", max_upload_mb=0.001)
    view, staged, _ = handle_upload(s, _csv_upload(indicators_long(200)), "indicators.csv", ADMIN, None, None)
    assert staged is None and "file too large (the limit is 0 MB)" in _text(view)


def test_script_in_report_is_plain_text(settings):
    frame = indicators_long(3).astype({"village_code": object})
    frame.loc[0, "village_code"] = "<script>window.pwned=1</script>"
    view, staged, _ = handle_upload(settings, _csv_upload(frame), "<img src=x onerror=alert(1)>.csv", ADMIN,
                                    None, None)
    text = _text(view)
    assert staged is None
    assert "dangerouslySetInnerHTML" not in text
    assert "&lt;" not in text  # not pre-escaped either: React escapes the plain string when rendering


def test_settings_read_admin_env():
    s = Settings.from_env({"KAIHUA_MAX_UPLOAD_MB": "5", "KAIHUA_DATA_STORE": "/tmp/kaihua-store"})
    assert s.limits.max_bytes == 5 * 1024 * 1024
    assert str(s.store) == "/tmp/kaihua-store" and str(s.state) == "/tmp/kaihua-store"
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
    _, staged, _ = handle_upload(settings, upload, "villages.geojson", ADMIN, None, None)
    assert staged
    handle_publish(settings, staged, ADMIN, "")
    after = client.get("/healthz").json["data_version"]
    assert after != before
    assert "新村" in client.get(f"/geo/{after}/villages.geojson").get_data(as_text=True)
    assert client.get(f"/geo/{before}/villages.geojson").status_code == 404


def test_oversized_requests_are_refused_by_the_server(tmp_path):
    app = create_app(Settings(data_path=tmp_path / "store", max_upload_mb=1))
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
        _, staged, _ = handle_upload(settings, upload, name, ADMIN, None, None)
        assert staged, name
        handle_publish(settings, staged, ADMIN, "")
    ds = open_dataset(settings.store)
    assert ds.villages().geometry.iloc[5].geom_type == "MultiPolygon"
    assert ds.belts().geometry.iloc[0].geom_type == "MultiLineString"
    client = create_app(settings).server.test_client()
    assert client.get("/_dash-layout").status_code == 200
    assert client.get(f"/geo/{ds.version}/villages.geojson").status_code == 200
