"""Browser tier: the real app on a live local server, driven by Playwright in Debian's Chromium.

Every request the page makes is recorded; requests to any host but 127.0.0.1 are refused and
make the test fail (see ``external_requests``).
"""

from __future__ import annotations

import os
import shutil
import threading
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

from dashboard.app import create_app
from dashboard.config import Settings
from dashboard.users import Role
from tests.accounts import NAMES, PASSWORDS, add_test_users
from tests.browser.mapdriver import TRACK_CALLBACKS

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--enable-unsafe-swiftshader", "--disable-dev-shm-usage"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def chromium_path() -> str:
    path = os.environ.get("KAIHUA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail("Chromium not found: `make test` installs Debian's chromium (or set KAIHUA_CHROMIUM)")
    return path


class LiveServer:
    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on the shipped data; its users (tests.accounts) live in a folder of this test session."""
    state = tmp_path_factory.mktemp("state")
    add_test_users(state)
    with LiveServer(create_app(Settings(state_dir=state))) as server:
        yield server


def log_in_page(pg, server_url: str, role: Role) -> None:
    """Log ``pg`` in through the real login form as the test user of ``role``."""
    pg.goto(f"{server_url}/login")
    pg.fill("input[name=username]", NAMES[role])
    pg.fill("input[name=password]", PASSWORDS[role])
    with pg.expect_navigation():
        pg.click("button[type=submit]")
    assert "/login" not in pg.url, "login failed"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context_browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield context_browser
        context_browser.close()


@pytest.fixture()
def external_requests():
    """URLs the page tried to fetch from anywhere but this machine (refused)."""
    return []


def guard_requests(pg, refused: list[str]) -> None:
    """Let ``pg`` fetch only from this machine; record (and refuse) everything else."""

    def guard(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    pg.route("**/*", guard)


def new_page(browser, refused: list[str], **context_options):
    """A fresh context and page as the app is viewed (1600x1000, zh-CN, ``context_options`` on top), its
    Dash callbacks tracked (see ``wait_idle``) and its requests guarded (refused URLs go to ``refused``)."""
    context = browser.new_context(**({"viewport": {"width": 1600, "height": 1000}, "locale": "zh-CN"}
                                     | context_options))
    context.add_init_script(TRACK_CALLBACKS)
    pg = context.new_page()
    guard_requests(pg, refused)
    return context, pg


@pytest.fixture()
def page(browser, external_requests):
    context, pg = new_page(browser, external_requests)
    yield pg
    context.close()
    assert external_requests == [], f"page requested URLs outside 127.0.0.1: {external_requests}"


@pytest.fixture()
def staff_page(browser, external_requests, live_server):
    """A page logged in as staff on ``live_server``."""
    context, pg = new_page(browser, external_requests)
    log_in_page(pg, live_server.url, Role.STAFF)
    yield pg
    context.close()
    assert external_requests == [], f"page requested URLs outside 127.0.0.1: {external_requests}"
