"""Users, logging in and out, rate limits, the audit log and the secret key, on both state backends (files in
the state folder, and the database of ``DATABASE_URL``): the ``state_backend`` fixture."""

from __future__ import annotations

import json
import logging
import re
import stat

import pytest

from dashboard.app import create_app
from dashboard.auth import audience_for, current_audience, current_role, safe_next, secret_key
from dashboard.cli import main as dashboard_main
from dashboard.config import Settings
from dashboard.users import Role, UserError, add_user, list_users, remove_user, set_password, users_path, verify
from geodata import Audience, audit
from tests.accounts import NAMES, PASSWORDS, add_test_users, csrf_of, log_in


@pytest.fixture()
def backend(state_backend):
    add_test_users(state_backend.location)
    return state_backend


@pytest.fixture()
def state(backend):
    """Where users and the audit log are (a folder or a database URL)."""
    return backend.location


@pytest.fixture()
def app(backend):
    return create_app(backend.settings())


def stored_users_text(backend) -> str:
    """Everything stored about the users, as text (the file, or every row of the table)."""
    if not backend.database:
        return users_path(backend.location).read_text()
    import sqlalchemy as sa

    from geodata import state_db
    from geodata.db import engine
    with engine(backend.location).connect() as conn:
        return repr(conn.execute(sa.select(state_db.USERS)).all())


def stored_audit_text(backend) -> str:
    if not backend.database:
        return (backend.location / audit.AUDIT_FILE).read_text()
    return json.dumps(audit.read(backend.location, last=10_000), ensure_ascii=False)


def test_users_are_kept_hashed(backend, state):
    text = stored_users_text(backend)
    assert PASSWORDS[Role.STAFF] not in text and "$argon2id$" in text and NAMES[Role.STAFF] in text
    if not backend.database:
        assert stat.S_IMODE(users_path(state).stat().st_mode) == 0o600
    assert [(u.name, u.role) for u in list_users(state)] == [("admin", Role.ADMIN), ("staffer", Role.STAFF)]
    assert verify(state, "staffer", PASSWORDS[Role.STAFF]).role is Role.STAFF
    assert verify(state, "staffer", "wrong password") is None
    assert verify(state, "nobody", PASSWORDS[Role.STAFF]) is None
    set_password(state, "staffer", "a new password")
    assert verify(state, "staffer", PASSWORDS[Role.STAFF]) is None and verify(state, "staffer", "a new password")
    remove_user(state, "staffer")
    assert verify(state, "staffer", "a new password") is None


@pytest.mark.parametrize("name, role, password", [("x y", Role.STAFF, "long enough"), ("ok", Role.STAFF, "short"),
                                                  ("ok", Role.PUBLIC, "long enough"), ("admin", Role.ADMIN, "x" * 9)])
def test_bad_users_are_refused(state, name, role, password):
    with pytest.raises(UserError):
        add_user(state, name, role, password)


def test_nobody_is_public_and_outside_a_request_too(app):
    assert current_role() is Role.PUBLIC and current_audience() is Audience.PUBLIC
    with app.server.test_request_context("/"):
        assert current_role() is Role.PUBLIC and audience_for(None) is Audience.PUBLIC


def test_login_sets_the_role_and_logout_ends_it(app):
    client = app.server.test_client()
    form = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in form and 'name="password"' in form and 'name="csrf_token"' in form
    resp = log_in(client, Role.STAFF)
    assert resp.status_code == 302 and resp.location == "/"
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    bar = client.post("/_dash-update-component", json=_user_bar_body(client))
    text = json.dumps(bar.json, ensure_ascii=False)
    assert NAMES[Role.STAFF] in text and "工作人员" in text and "/logout" in text
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    token = _prop_where(bar.json, "name", "csrf_token")["value"]
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    bar = json.dumps(client.post("/_dash-update-component", json=_user_bar_body(client)).json, ensure_ascii=False)
    assert NAMES[Role.STAFF] not in bar and "/login" in bar


def _prop_where(node, key: str, value: str) -> dict | None:
    """The props of the first component in ``node`` whose prop ``key`` is ``value``."""
    if isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and props.get(key) == value:
            return props
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _prop_where(child, key, value)
        if found:
            return found
    return None


def _user_bar_body(client) -> dict:
    deps = client.get("/_dash-dependencies").json
    dep = next(d for d in deps if d["output"] == "user-bar.children")
    return {"output": dep["output"], "outputs": {"id": "user-bar", "property": "children"},
            "inputs": [{"id": "url", "property": "pathname", "value": "/"}], "changedPropIds": ["url.pathname"]}


def test_session_audience_and_page_cap(app):
    client = app.server.test_client()
    log_in(client, Role.ADMIN)
    with client:
        client.get("/healthz")
        assert current_role() is Role.ADMIN and current_audience() is Audience.STAFF
        assert audience_for(None) is Audience.STAFF and audience_for(Audience.PUBLIC) is Audience.PUBLIC


def test_the_audience_cap_makes_every_request_public(backend):
    client = create_app(backend.settings(audience_cap=Audience.PUBLIC)).server.test_client()
    log_in(client, Role.ADMIN)
    with client:
        client.get("/healthz")
        assert current_role() is Role.PUBLIC


def test_a_wrong_login_says_the_same_whether_or_not_the_user_exists(app):
    def attempt(name):
        client = app.server.test_client()
        resp = client.post("/login", data={"username": name, "password": "wrong password",
                                           "csrf_token": csrf_of(client)})
        return resp.status_code, re.sub(r'value="[^"]*"', "", resp.get_data(as_text=True))

    assert attempt(NAMES[Role.STAFF]) == attempt("no-such-user")
    assert attempt("no-such-user")[0] == 401


def test_a_login_without_the_form_token_is_refused(app):
    client = app.server.test_client()
    resp = client.post("/login", data={"username": NAMES[Role.STAFF], "password": PASSWORDS[Role.STAFF]})
    assert resp.status_code == 400


def test_brute_force_meets_429_per_address_and_per_user(app):
    client = app.server.test_client()
    codes = []
    for _ in range(10):
        resp = client.post("/login", data={"username": NAMES[Role.ADMIN], "password": "guess",
                                           "csrf_token": csrf_of(client)})
        codes.append(resp.status_code)
    assert codes[:5] == [401] * 5 and codes[5:] == [429] * 5  # within 10 wrong tries
    limited = client.post("/login", data={"username": "x", "password": "y", "csrf_token": csrf_of(client)})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    # the same user from many addresses: limited by user name too
    codes = []
    for i in range(10):
        other = app.server.test_client()
        other.environ_base["REMOTE_ADDR"] = f"10.0.0.{i + 1}"
        codes.append(other.post("/login", data={"username": NAMES[Role.STAFF], "password": "guess",
                                                "csrf_token": csrf_of(other)}).status_code)
    assert codes[:5] == [401] * 5 and codes[5:] == [429] * 5


def test_logins_and_failures_are_audited_without_secrets(app, backend, state):
    client = app.server.test_client()
    client.post("/login", data={"username": "typo-of-a-password", "password": "x", "csrf_token": csrf_of(client)})
    log_in(client, Role.STAFF)
    entries = audit.read(state)
    actions = [(e["action"], e["who"]) for e in entries]
    assert ("login_failed", "(unknown)") in actions and ("login", NAMES[Role.STAFF]) in actions
    assert all(e["from"] == "127.0.0.1" and e["time"] for e in entries)
    text = stored_audit_text(backend)
    assert "typo-of-a-password" not in text and PASSWORDS[Role.STAFF] not in text and "login_failed" in text
    if not backend.database:
        assert stat.S_IMODE((state / audit.AUDIT_FILE).stat().st_mode) == 0o600


def test_secret_key_is_generated_once_privately(tmp_path):
    settings = Settings(state_dir=tmp_path)
    key = secret_key(settings)
    assert len(key) > 40 and secret_key(settings) == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert secret_key(Settings(state_dir=tmp_path, secret_key="from-the-environment")) == "from-the-environment"


def test_secure_cookies_over_https(backend):
    client = create_app(backend.settings(https=True)).server.test_client()
    assert "Secure" in log_in(client, Role.STAFF).headers["Set-Cookie"]


@pytest.mark.parametrize("target, expected", [("/admin", "/admin"), ("https://evil.example/", "/"),
                                              ("//evil.example", "/"), ("/\\evil", "/"), (None, "/")])
def test_after_login_only_this_server(target, expected):
    assert safe_next(target, "/") == expected


def test_users_and_audit_commands(backend, state, capsys, monkeypatch):
    import io

    monkeypatch.setenv("KAIHUA_DATA_STORE", str(backend.folder))
    monkeypatch.delenv("KAIHUA_DATA", raising=False)
    if backend.database:
        monkeypatch.setenv("DATABASE_URL", state)
    else:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("a long password\n"))
    assert dashboard_main(["users", "add", "wang", "--role", "staff", "--password-stdin"]) == 0
    assert verify(state, "wang", "a long password").role is Role.STAFF
    monkeypatch.setattr("sys.stdin", io.StringIO("another long one\n"))
    assert dashboard_main(["users", "passwd", "wang", "--password-stdin"]) == 0
    assert verify(state, "wang", "another long one")
    capsys.readouterr()
    assert dashboard_main(["users", "list"]) == 0
    listed = capsys.readouterr().out
    assert "wang\tstaff" in listed and "admin\tadmin" in listed and "argon2" not in listed
    assert dashboard_main(["users", "remove", "wang"]) == 0
    assert dashboard_main(["users", "remove", "wang"]) == 1
    audit.record(state, "publish", "admin", "127.0.0.1", "v0002")
    capsys.readouterr()
    assert dashboard_main(["audit"]) == 0
    assert "publish\tadmin\t127.0.0.1\tv0002" in capsys.readouterr().out


def test_failed_logins_are_logged_without_the_name(app, caplog):
    client = app.server.test_client()
    with caplog.at_level(logging.WARNING):
        client.post("/login", data={"username": "secret-name", "password": "x", "csrf_token": csrf_of(client)})
    assert "failed login" in caplog.text and "secret-name" not in caplog.text
    assert json.dumps([r.getMessage() for r in caplog.records]).count("failed login") == 1
