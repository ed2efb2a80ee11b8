"""The briefing file on /admin, its callbacks called as plain functions: upload, versions, rollback, download,
roles, and what a browser may send."""

from __future__ import annotations

import base64
import json

import pytest

from callbacks.admin_briefing import (
    briefing_download,
    briefing_versions_view,
    clicked_version,
    handle_briefing_rollback,
    handle_briefing_upload,
)
from dashboard.brief import briefing_of
from dashboard.config import Settings
from dashboard.users import Role
from geodata import audit, open_dataset
from geodata.briefing import MAX_BYTES, SHIPPED_BRIEFING
from geodata.briefing_store import list_briefing_versions, published_briefing

ADMIN = Role.ADMIN
SHIPPED = SHIPPED_BRIEFING.read_bytes()
WELCOME = SHIPPED.replace("开化县乡村振兴党建示范带".encode(), "欢迎来开化".encode())
BROKEN = WELCOME.replace(b"chart: ranking", b"chart: piechart", 1)


def _upload(data: bytes) -> str:
    return "data:application/x-yaml;base64," + base64.b64encode(data).decode()


def _text(component) -> str:
    return json.dumps(component, ensure_ascii=False, default=lambda o: o.to_plotly_json())


def _served_title(settings) -> str:
    return briefing_of(settings, open_dataset(settings.data_path)).briefing.steps[0].title.zh


@pytest.fixture()
def settings(tmp_path):
    return Settings(data_path=tmp_path / "store")


def test_a_good_upload_is_published_and_listed(settings):
    assert briefing_versions_view(settings, "zh", ADMIN) != []  # says the shipped briefing is served
    assert "随附简报" in _text(briefing_versions_view(settings, "zh", ADMIN))
    out, version = handle_briefing_upload(settings, _upload(WELCOME), "welcome.yaml", " 2019 visit ", ADMIN, "wang")
    assert version == "v0001.yaml"
    assert "published briefing version v0001.yaml" in _text(out) and "已发布简报版本 v0001.yaml" in _text(out)
    listed = list_briefing_versions(settings.store)
    assert [(v.name, v.who, v.note, v.source, v.current) for v in listed] == [
        ("v0001.yaml", "wang", "2019 visit", "welcome.yaml", True)]
    assert _served_title(settings) == "欢迎来开化"
    handle_briefing_upload(settings, _upload(SHIPPED), "shipped.yaml", "", ADMIN, "wang")
    view = _text(briefing_versions_view(settings, "en", ADMIN))
    assert "v0002.yaml (current)" in view and "2019 visit" in view and "welcome.yaml" in view
    assert '"version": "v0001.yaml"' in view  # a restore button for the earlier version only
    assert '"version": "v0002.yaml"' not in view


def test_a_broken_upload_names_step_and_field_and_changes_nothing(settings):
    handle_briefing_upload(settings, _upload(WELCOME), "welcome.yaml", "", ADMIN, "wang")
    out, version = handle_briefing_upload(settings, _upload(BROKEN), "mine.yaml", "", ADMIN, "wang")
    out = _text(out)
    assert version is None
    assert "mine.yaml 未通过校验,未发布" in out
    assert "mine.yaml,第 1 步,字段 chart:未知图表 “piechart”" in out
    assert "mine.yaml, step 1, field chart: unknown chart 'piechart'" in out
    assert [v.name for v in list_briefing_versions(settings.store)] == ["v0001.yaml"]
    assert _served_title(settings) == "欢迎来开化"
    actions = [(e["action"], e["who"], e["detail"]) for e in audit.read(settings.state)]
    assert actions == [("publish", "wang", "briefing v0001.yaml"),
                       ("upload", "wang", "briefing refused: 1 problem(s)")]


@pytest.mark.parametrize("contents, filename, reason", [
    (_upload(SHIPPED), "briefing.exe", "only .yaml, .yml or .json"),
    (_upload(SHIPPED), {"name": "x.yaml"}, "only .yaml, .yml or .json"),
    ({"data": "x"}, "a.yaml", "the upload is damaged"),
    ("data:text/yaml;base64,@@@not base64@@@", "a.yaml", "the upload is damaged"),
    (_upload(b"x" * (MAX_BYTES + 1)), "a.yaml", "file too large"),
    (_upload(b"!!python/object/apply:os.system ['echo pwned']\n"), "a.yaml", "cannot be read"),
    (_upload(b'{"version": 1, "title": "t", "steps": "nope"}'), "a.json", "field steps"),
])
def test_what_a_browser_may_send_is_checked(settings, contents, filename, reason):
    out = _text(handle_briefing_upload(settings, contents, filename, ["not", "a", "note"], ADMIN, "wang"))
    assert reason in out
    assert published_briefing(settings.store) is None


@pytest.mark.parametrize("role", [Role.PUBLIC, Role.STAFF])
def test_only_admins_upload_roll_back_download_or_see_versions(settings, role):
    handle_briefing_upload(settings, _upload(WELCOME), "a.yaml", "", ADMIN, "wang")
    handle_briefing_upload(settings, _upload(SHIPPED), "b.yaml", "", ADMIN, "wang")
    assert "log in as an admin" in _text(handle_briefing_upload(settings, _upload(WELCOME), "c.yaml", "", role, "x"))
    assert "log in as an admin" in _text(handle_briefing_rollback(settings, "v0001.yaml", role, "x"))
    assert briefing_download(settings, role, "x") is None
    assert briefing_versions_view(settings, "zh", role) == []
    assert published_briefing(settings.store) == "v0002.yaml"
    assert len(list_briefing_versions(settings.store)) == 2


def test_rollback_and_download(settings):
    handle_briefing_upload(settings, _upload(WELCOME), "a.yaml", "", ADMIN, "wang")
    handle_briefing_upload(settings, _upload(SHIPPED), "b.yaml", "", ADMIN, "wang")
    assert base64.b64decode(briefing_download(settings, ADMIN, "wang")["content"]) == SHIPPED
    assert "briefing version v0001.yaml is published again" in _text(
        handle_briefing_rollback(settings, "v0001.yaml", ADMIN, "wang"))
    assert _served_title(settings) == "欢迎来开化"
    download = briefing_download(settings, ADMIN, "wang")
    assert download["filename"] == "briefing-v0001.yaml" and base64.b64decode(download["content"]) == WELCOME
    for forged in ("v0099.yaml", "../CURRENT", {"v": 1}, "x" * 500):
        assert "not restored" in _text(handle_briefing_rollback(settings, forged, ADMIN, "wang"))
    assert published_briefing(settings.store) == "v0001.yaml"
    assert [e["action"] for e in audit.read(settings.state)] == ["publish", "publish", "export", "rollback",
                                                                  "export"]


def test_download_with_nothing_published_gives_the_shipped_file(settings):
    download = briefing_download(settings, ADMIN, "wang")
    assert download["filename"] == "briefing.yaml" and base64.b64decode(download["content"]) == SHIPPED


def test_a_fixed_data_file_has_no_briefing_store():
    assert "fixed file" in _text(handle_briefing_upload(Settings(), _upload(SHIPPED), "a.yaml", "", ADMIN, "wang"))


def test_only_a_click_rolls_back():
    button = {"type": "admin-brief-rollback", "version": "v0001.yaml"}
    assert clicked_version(button, [{"prop_id": "x.n_clicks", "value": 1}]) == "v0001.yaml"
    assert clicked_version(button, [{"prop_id": "x.n_clicks", "value": None}]) is None  # a button just drawn
    assert clicked_version(None, [{"prop_id": ".", "value": None}]) is None
    assert clicked_version({"type": "admin-brief-rollback", "version": 3}, [{"value": 1}]) is None


def _dispatch_body(app, contents, filename, note) -> dict:
    output = next(k for k in app.callback_map if "admin-brief-report.children" in k)
    outputs = [{"id": part.split(".")[0], "property": part.split(".")[1].split("@")[0]}
               for part in output.strip(".").split("...")]
    return {"output": output, "outputs": outputs, "changedPropIds": ["admin-brief-upload.contents"],
            "inputs": [{"id": "admin-brief-upload", "property": "contents", "value": contents}],
            "state": [{"id": "admin-brief-upload", "property": "filename", "value": filename},
                      {"id": "admin-brief-note", "property": "value", "value": note}]}


@pytest.mark.parametrize("role", [None, Role.STAFF, Role.ADMIN])
def test_the_upload_callback_through_the_server_decides_by_the_session(tmp_path, role):
    from dashboard.app import create_app
    from tests.accounts import add_test_users, log_in

    settings = Settings(data_path=tmp_path / "store")
    add_test_users(settings.state)
    app = create_app(settings)
    client = app.server.test_client()
    if role is not None:
        log_in(client, role)
    resp = client.post("/_dash-update-component", json=_dispatch_body(app, _upload(WELCOME), "a.yaml", {"x": 1}))
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    if role is Role.ADMIN:
        assert "published briefing version v0001.yaml" in body and published_briefing(settings.store) == "v0001.yaml"
        assert list_briefing_versions(settings.store)[0].who == "admin" and not list_briefing_versions(
            settings.store)[0].note  # a note that is not text is dropped
    else:
        assert "log in as an admin" in body and published_briefing(settings.store) is None
