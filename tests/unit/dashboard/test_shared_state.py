"""Two app servers on one database (``DATABASE_URL``): one set of users, one audit log, one session key."""

from __future__ import annotations

from dashboard.app import create_app
from dashboard.auth import current_role, secret_key
from dashboard.config import Settings
from dashboard.users import Role, add_user
from geodata import audit
from tests.accounts import log_in


def two_servers(database_url, tmp_path):
    """Two apps sharing ``database_url``, each with its own state folder (as on two machines)."""
    return [create_app(Settings(database_url=database_url, state_dir=tmp_path / name)) for name in ("a", "b")]


def test_a_user_added_through_one_server_logs_in_on_the_other(database_url, tmp_path):
    a, b = two_servers(database_url, tmp_path)
    add_user(a.server.config["KAIHUA_SETTINGS"].state_location, "wang", Role.STAFF, "wang's password")
    client = b.server.test_client()
    assert log_in(client, None, "wang", "wrong password").status_code == 401
    assert log_in(client, None, "wang", "wang's password").status_code == 302
    with client:
        client.get("/healthz")
        assert current_role() is Role.STAFF
    assert not (tmp_path / "a" / "users.json").exists() and not (tmp_path / "b" / "users.json").exists()


def test_a_session_signed_by_one_server_is_good_on_the_other(database_url, tmp_path):
    a, b = two_servers(database_url, tmp_path)
    assert secret_key(Settings(database_url=database_url, state_dir=tmp_path / "c")) == a.server.secret_key
    assert a.server.secret_key == b.server.secret_key and len(a.server.secret_key) > 40
    add_user(database_url, "li", Role.ADMIN, "li's password")
    client_a = a.server.test_client()
    log_in(client_a, None, "li", "li's password")
    cookie = client_a.get_cookie("kaihua_session")
    client_b = b.server.test_client()
    client_b.set_cookie(cookie.key, cookie.value)
    with client_b:
        client_b.get("/healthz")
        assert current_role() is Role.ADMIN
    assert not (tmp_path / "a" / "secret_key").exists()  # the key is the database's, in no server's folder


def test_audit_entries_of_two_servers_end_up_in_one_log(database_url, tmp_path):
    a, b = two_servers(database_url, tmp_path)
    add_user(database_url, "zhao", Role.STAFF, "zhao's password")
    for app, address in ((a, "10.0.0.1"), (b, "10.0.0.2")):
        client = app.server.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        log_in(client, None, "zhao", "zhao's password")
    audit.record(database_url, "publish", "cli:root", "local", "v0002")
    entries = audit.read(database_url)
    assert [(e["action"], e["who"], e["from"]) for e in entries] == [
        ("login", "zhao", "10.0.0.1"), ("login", "zhao", "10.0.0.2"), ("publish", "cli:root", "local")]
    assert audit.read(database_url, last=1) == entries[-1:]
    assert not (tmp_path / "a" / audit.AUDIT_FILE).exists()


def test_an_audit_entry_the_database_cannot_take_is_an_oserror(tmp_path):
    """As a full disk is for the file: ``dashboard.auth.record`` logs it and the request goes on."""
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql://nobody@127.0.0.1:{port}/none"
    try:
        audit.record(url, "export", "x", "y")
    except OSError as exc:
        assert "database" in exc.strerror
    else:
        raise AssertionError("an audit entry that could not be written must raise OSError")
