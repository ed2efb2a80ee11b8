"""Behind a load balancer: the client's address from ``X-Forwarded-For`` only when ``KAIHUA_TRUSTED_PROXIES`` says
how many proxies are in front, so the per-address limits count each client, and nobody can forge an address."""

from __future__ import annotations

import pytest
from flask import request

from dashboard.app import create_app
from dashboard.config import Settings
from geodata import audit
from tests.accounts import csrf_of

BALANCER = "192.0.2.10"  # the address every request arrives from behind a proxy (TEST-NET-1)


def _app(tmp_path, proxies: int):
    app = create_app(Settings(state_dir=tmp_path, trusted_proxies=proxies))
    # what the app takes the client to be, as Flask, Flask-Limiter and the audit log read it
    app.server.add_url_rule("/_test/client", "test_client_seen",
                            lambda: f"{request.remote_addr} {request.scheme}")
    return app


def _client(app, forwarded: str | None = None):
    """A test client connecting from the balancer, with the ``X-Forwarded-For`` it (or a forger) sends."""
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = BALANCER
    if forwarded is not None:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded
    return client


def _wrong_login(client, n: int) -> int:
    """One failed login under a user name of its own (so only the per-address limit can refuse it)."""
    return client.post("/login", data={"username": f"nobody-{n}", "password": "guess",
                                       "csrf_token": csrf_of(client)}).status_code


def test_by_default_a_forged_forwarded_for_does_not_change_the_address(tmp_path):
    app = _app(tmp_path, 0)
    assert _client(app, "203.0.113.7").get("/_test/client").text == f"{BALANCER} http"
    # a new forged address for every try: still one address, limited after five
    codes = [_wrong_login(_client(app, f"203.0.113.{n}"), n) for n in range(7)]
    assert codes == [401] * 5 + [429] * 2
    assert {entry["from"] for entry in audit.read(tmp_path)} == {BALANCER}


def test_with_one_proxy_two_clients_behind_it_are_limited_apart(tmp_path):
    app = _app(tmp_path, 1)
    first, second = "198.51.100.1", "198.51.100.2"
    seen = _client(app, first).get("/_test/client", headers={"X-Forwarded-Proto": "https"}).text
    assert seen == f"{first} https"
    codes = [_wrong_login(_client(app, first), n) for n in range(6)]
    assert codes == [401] * 5 + [429]
    assert _wrong_login(_client(app, second), 99) == 401  # the other client is not held back by the first
    # a client's own X-Forwarded-For entries come before the one the proxy appends: only the last is trusted
    assert _wrong_login(_client(app, f"{second}, {first}"), 100) == 429
    assert _client(app, f"{second}, {first}").get("/_test/client").text.startswith(first)
    assert {entry["from"] for entry in audit.read(tmp_path)} == {first, second}


@pytest.mark.parametrize("value", ["-1", "11", "1.5", "two", "0x1", "+1", "１", "1 2"])
def test_bad_values_are_refused_at_start_up(value):
    with pytest.raises(ValueError, match="KAIHUA_TRUSTED_PROXIES must be a whole number from 0 to 10"):
        Settings.from_env({"KAIHUA_TRUSTED_PROXIES": value})


@pytest.mark.parametrize(("value", "expected"), [(None, 0), ("", 0), ("0", 0), ("1", 1), (" 2 ", 2), ("10", 10)])
def test_good_values_are_read(value, expected):
    env = {} if value is None else {"KAIHUA_TRUSTED_PROXIES": value}
    assert Settings.from_env(env).trusted_proxies == expected


@pytest.mark.parametrize("value", [-1, 11, True, "1"])
def test_settings_made_in_code_are_checked_too(value):
    with pytest.raises(ValueError, match="KAIHUA_TRUSTED_PROXIES"):
        Settings(trusted_proxies=value)
