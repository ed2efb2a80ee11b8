"""The admin page in a real browser: upload a CSV, read the report, publish, see the new version."""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.users import Role
from geodata import open_dataset
from tests.accounts import add_test_users
from tests.browser.conftest import LiveServer, log_in_page
from tests.unit.geodata.files import indicators_long, shipped_layer


@pytest.fixture()
def admin_server(tmp_path):
    """A live server on its own empty data store, with the test users (tests.accounts)."""
    settings = Settings(data_path=tmp_path / "store")
    add_test_users(settings.state)
    with LiveServer(create_app(settings)) as server:
        yield server


def _open_admin(page, server, role: Role = Role.ADMIN):
    log_in_page(page, server.url, role)
    page.goto(server.url + "/admin")
    page.wait_for_selector("#admin-page", state="visible", timeout=30000)
    assert page.locator("#main-page").is_hidden()


def _upload(page, name: str, data: bytes) -> None:
    page.set_input_files("#admin-upload input[type=file]",
                         files=[{"name": name, "mimeType": "text/csv", "buffer": data}])


def test_upload_validate_publish_and_see_the_new_version(page, admin_server):
    _open_admin(page, admin_server)
    page.wait_for_function("() => document.querySelector('#admin-versions').innerText.includes('no versions yet')",
                           timeout=30000)
    values = indicators_long(10).assign(value=3.5)
    _upload(page, "indicators.csv", values.to_csv(index=False).encode())
    page.wait_for_selector("#admin-report .kb-report-ok", timeout=30000)
    report = page.inner_text("#admin-report")
    assert "通过,可以发布" in report and "passed, can be published" in report
    publish = page.locator("#admin-publish")
    assert publish.is_enabled()
    page.fill("#admin-note", "2019 survey")
    publish.click()
    page.wait_for_function("() => document.querySelector('#admin-versions').innerText.includes('v0002')",
                           timeout=30000)
    versions = page.inner_text("#admin-versions")
    assert "2019 survey" in versions and "indicators.csv" in versions
    assert "已发布版本 v0002" in page.inner_text("#admin-status")
    assert page.locator("#admin-publish").is_disabled()  # a staged file is published once


SCRIPT = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">"


def test_script_in_a_village_name_is_stored_verbatim_and_shown_as_text(page, admin_server, tmp_path):
    _open_admin(page, admin_server)
    villages = shipped_layer("villages")
    villages.loc[villages.index[0], "name"] = SCRIPT
    _upload(page, "villages.geojson", villages.to_json().encode())
    page.wait_for_selector("#admin-report .kb-report-ok", timeout=30000)
    assert SCRIPT in page.inner_text("#admin-report")  # the preview shows the characters themselves
    page.locator("#admin-publish").click()
    page.wait_for_function("() => document.querySelector('#admin-versions').innerText.includes('v0002')",
                           timeout=30000)
    assert open_dataset(tmp_path / "store").villages().name.iloc[0] == SCRIPT  # stored verbatim
    assert page.locator("#admin-page script, #admin-page img").count() == 0
    assert page.evaluate("() => window.pwned") is None


def test_bad_code_in_an_upload_is_reported_by_row_as_text(page, admin_server):
    _open_admin(page, admin_server)
    frame = indicators_long(3).astype({"village_code": object})
    frame.loc[0, "village_code"] = SCRIPT
    _upload(page, "indicators.csv", frame.to_csv(index=False).encode())
    page.wait_for_selector("#admin-report .kb-report-failed", timeout=30000)
    report = page.inner_text("#admin-report")
    assert "row 1 · field village_code" in report and SCRIPT in report
    assert page.locator("#admin-report script, #admin-report img").count() == 0
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("#admin-publish").is_disabled()


def test_the_admin_page_is_for_admins_only(page, admin_server):
    page.goto(admin_server.url + "/admin")  # nobody logged in: sent to the login form
    page.wait_for_selector("input[name=username]", timeout=30000)
    assert "/login" in page.url
    log_in_page(page, admin_server.url, Role.STAFF)
    page.goto(admin_server.url + "/admin")  # staff: still not the admin page
    page.wait_for_selector("input[name=username]", timeout=30000)
    log_in_page(page, admin_server.url, Role.ADMIN)
    page.goto(admin_server.url + "/admin")
    page.wait_for_selector("#admin-page", state="visible", timeout=30000)
    page.wait_for_function("() => document.querySelector('#admin-audit').innerText.includes('login')", timeout=30000)
    assert "admin" in page.inner_text("#user-bar")


def test_roll_back_from_the_page(page, admin_server):
    _open_admin(page, admin_server)
    _upload(page, "indicators.csv", indicators_long(5).assign(value=1.0).to_csv(index=False).encode())
    page.wait_for_selector("#admin-report .kb-report-ok", timeout=30000)
    page.locator("#admin-publish").click()
    page.wait_for_function("() => document.querySelector('#admin-versions').innerText.includes('v0002')",
                           timeout=30000)
    page.locator("#admin-rollback-to").click()
    page.get_by_role("option", name="v0001").click()
    page.locator("#admin-rollback").click()
    page.wait_for_function("() => document.querySelector('.kb-versions .kb-current') &&"
                           "document.querySelector('.kb-versions .kb-current').innerText.startsWith('v0001')",
                           timeout=30000)
    assert "已恢复版本 v0001" in page.inner_text("#admin-status")
