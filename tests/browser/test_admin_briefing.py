"""The briefing file on /admin in headless Chromium: a broken upload is reported by step and field and changes
nothing, a good one is published and /brief shows it; restore an earlier version; download the current file."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.users import Role
from geodata.briefing import SHIPPED_BRIEFING
from tests.accounts import add_test_users
from tests.browser.conftest import LiveServer, log_in_page

SHIPPED = SHIPPED_BRIEFING.read_bytes()
WELCOME = SHIPPED.replace("开化县乡村振兴党建示范带".encode(), "欢迎来开化".encode())
BROKEN = WELCOME.replace(b"chart: ranking", b"chart: piechart", 1)


@pytest.fixture()
def admin_server(tmp_path):
    """A live server on its own empty data store, with the test users (tests.accounts)."""
    settings = Settings(data_path=tmp_path / "store")
    add_test_users(settings.state)
    with LiveServer(create_app(settings)) as server:
        yield server


def _open_admin(page, server) -> None:
    log_in_page(page, server.url, Role.ADMIN)
    page.goto(server.url + "/admin")
    expect(page.locator("#admin-page")).to_be_visible(timeout=30000)
    expect(page.locator("#admin-brief-versions")).to_contain_text("随附简报", timeout=30000)


def _upload(page, name: str, data: bytes) -> None:
    page.set_input_files("#admin-brief-upload input[type=file]",
                         files=[{"name": name, "mimeType": "application/x-yaml", "buffer": data}])


def test_a_broken_then_a_good_briefing_file_and_brief_shows_it(page, admin_server):
    _open_admin(page, admin_server)
    _upload(page, "mine.yaml", BROKEN)
    report = page.locator("#admin-brief-report .kb-report-failed")
    expect(report).to_contain_text("mine.yaml 未通过校验,未发布", timeout=30000)
    expect(report).to_contain_text("第 1 步,字段 chart")
    expect(report).to_contain_text("piechart")
    expect(page.locator("#admin-brief-versions")).not_to_contain_text("v0001")  # nothing published
    page.fill("#admin-brief-note", "来访 2019")
    _upload(page, "welcome.yaml", WELCOME)
    expect(page.locator("#admin-brief-report .kb-report-ok")).to_contain_text("已发布简报版本 v0001.yaml",
                                                                               timeout=30000)
    expect(page.locator("#admin-brief-note")).to_have_value("")  # the note went with the version
    row = page.locator("#admin-brief-versions .kb-current")
    expect(row).to_contain_text("v0001.yaml")
    expect(row).to_contain_text("来访 2019")
    expect(row).to_contain_text("welcome.yaml")
    expect(page.locator("#admin-audit")).to_contain_text("briefing v0001.yaml")
    page.goto(admin_server.url + "/brief")
    expect(page.locator("h1")).to_have_text("欢迎来开化", timeout=30000)


def test_restore_an_earlier_version_and_download_the_current_file(page, admin_server, tmp_path):
    _open_admin(page, admin_server)
    _upload(page, "welcome.yaml", WELCOME)
    expect(page.locator("#admin-brief-report")).to_contain_text("v0001.yaml", timeout=30000)
    _upload(page, "shipped.yaml", SHIPPED)
    expect(page.locator("#admin-brief-report")).to_contain_text("v0002.yaml", timeout=30000)
    expect(page.locator("#admin-brief-versions .kb-current")).to_contain_text("v0002.yaml")
    with page.expect_download() as info:
        page.locator("#admin-brief-export").click()
    saved = tmp_path / "got.yaml"
    info.value.save_as(saved)
    assert info.value.suggested_filename == "briefing-v0002.yaml" and saved.read_bytes() == SHIPPED
    page.locator(".kb-brief-versions tr", has_text="v0001.yaml").get_by_role("button").click()
    expect(page.locator("#admin-brief-status")).to_contain_text("已恢复简报版本 v0001.yaml", timeout=30000)
    expect(page.locator("#admin-brief-versions .kb-current")).to_contain_text("v0001.yaml")
    page.goto(admin_server.url + "/brief")
    expect(page.locator("h1")).to_have_text("欢迎来开化", timeout=30000)
