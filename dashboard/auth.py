"""Who is asking, per request: sessions (Flask-Login), the login form, rate limits (Flask-Limiter), audit.

- :func:`current_role` / :func:`current_audience` decide what *this* request may see: the role of the user
  logged in to this session (nobody = :attr:`Role.PUBLIC`), capped by ``KAIHUA_AUDIENCE``. Outside a
  request (start-up, tests, the CLI) the answer is public.
- :func:`audience_for` lowers that further for pages that are always public (the wall, the briefing).
- ``/login`` is a plain HTML form (``username``, ``password`` and a CSRF token), ``/logout`` a POST.
  Failed logins are rate-limited per address and per user name (429 with ``Retry-After``), logged in the
  audit log, and answered the same whether or not the user exists.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
from html import escape
from pathlib import Path
from urllib.parse import urlparse

from flask import Flask, Response, has_request_context, redirect, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_user, logout_user

from dashboard.config import Settings
from dashboard.users import Role, User, load_user, verify
from geodata import Audience, audit, state_db
from geodata.errors import DatabaseUnavailable

__all__ = ["Role", "User", "audience_for", "current_audience", "current_role", "current_user_name",
           "init_auth", "record"]

LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
SECRET_FILE = "secret_key"
CSRF_KEY = "_csrf"
# Wrong passwords a client may try: per address and per user name (whatever the address).
LOGIN_LIMITS = "5 per minute;20 per hour"
log = logging.getLogger(__name__)


def _settings() -> Settings:
    from flask import current_app

    return current_app.config["KAIHUA_SETTINGS"]


def current_role() -> Role:
    """The role of the current request's session (public outside a request or when nobody is logged in),
    never above the server's cap (``KAIHUA_AUDIENCE=public`` makes every request public)."""
    if not has_request_context():
        return Role.PUBLIC
    try:
        user = current_user._get_current_object()
    except DatabaseUnavailable:
        raise  # the session names a user whose role is in the database: 503 (dashboard.outage), not "public"
    except Exception:  # no login manager on this app (a bare Flask app in a test): nobody is logged in
        return Role.PUBLIC
    role = user.role if isinstance(user, User) else Role.PUBLIC
    if _settings().audience_cap is Audience.PUBLIC:
        return Role.PUBLIC
    return role


def role_audience(role: Role) -> Audience:
    return Audience.STAFF if role >= Role.STAFF else Audience.PUBLIC


def current_audience() -> Audience:
    """What the current request may see: :attr:`Audience.STAFF` for staff and admins, else public."""
    return role_audience(current_role())


def audience_for(page_cap: Audience | None) -> Audience:
    """The lower of the session's audience and ``page_cap`` (None = no cap of the page's own)."""
    audience = current_audience()
    if page_cap is Audience.PUBLIC:
        return Audience.PUBLIC
    return audience


def current_user_name() -> str | None:
    if not has_request_context():
        return None
    user = current_user._get_current_object()
    return user.name if isinstance(user, User) else None


def client_address() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(action: str, detail: str = "") -> None:
    """Write ``action`` by the current user, from the current address, to the audit log."""
    settings = _settings()
    try:
        audit.record(settings.state_location, action, current_user_name(), client_address(), detail)
    except OSError as err:  # the log must not take the app down; say so once per event, without data
        log.error("audit log not written (%s): %s", action, err.strerror)


# --- secret key -------------------------------------------------------------------------------------------


def secret_key(settings: Settings) -> str:
    """``KAIHUA_SECRET_KEY``, else the key generated once into ``<state>/secret_key`` (mode 0600), or into the
    database when ``DATABASE_URL`` is set (so that a session signed by one app server is good on every other)."""
    if settings.secret_key:
        return settings.secret_key
    if settings.database_url:
        return state_db.shared_secret(settings.state_location, "session_key", lambda: secrets.token_urlsafe(48))
    path = Path(settings.state) / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker wrote it first: use theirs
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return key


# --- CSRF token of the session (for the two plain forms) ---------------------------------------------------


def csrf_token() -> str:
    token = session.get(CSRF_KEY)
    if not token:
        token = session[CSRF_KEY] = secrets.token_urlsafe(32)
    return token


def csrf_ok() -> bool:
    sent = request.form.get("csrf_token", "")
    expected = session.get(CSRF_KEY, "")
    return bool(sent) and bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())


# --- the login page -----------------------------------------------------------------------------------------

LOGIN_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>登录 · Log in</title><link rel="stylesheet" href="{prefix}assets/login.css"></head>
<body class="kb-login"><main>
<h1>开化示范带 · 登录 <span lang="en">Log in</span></h1>
{message}
<form method="post" action="{prefix}login">
<input type="hidden" name="csrf_token" value="{token}">
<input type="hidden" name="next" value="{next}">
<label>用户名 <span lang="en">User name</span> <input name="username" autocomplete="username" required
 maxlength="64" autofocus></label>
<label>密码 <span lang="en">Password</span> <input name="password" type="password"
 autocomplete="current-password" required maxlength="1024"></label>
<button type="submit">登录 · Log in</button>
</form>
<p><a href="{prefix}">返回公开页面 · Back to the public pages</a></p>
</main></body></html>"""

WRONG = '<p class="kb-login-error" role="alert">用户名或密码不正确 · Wrong user name or password</p>'


def safe_next(target: str | None, prefix: str) -> str:
    """Where to go after logging in: a path on this server only (never another site)."""
    parsed = urlparse(target or "")
    if not target or parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return prefix
    return target


def login_page(prefix: str, message: str = "", status: int = 200) -> Response:
    body = LOGIN_PAGE.format(prefix=prefix, message=message, token=escape(csrf_token()),
                             next=escape(safe_next(request.values.get("next"), prefix)))
    return Response(body, status=status, mimetype="text/html",
                    headers={"Cache-Control": "no-store"})


def _login_user_key() -> str:
    name = (request.form.get("username") or "").strip()[:64].lower()
    return f"user:{name}"


def _failed(response: Response) -> bool:
    return response.status_code != 302  # every answer but the redirect of a good login counts


def _storage_options(storage_uri: str) -> dict:
    """Short timeouts for a Redis counter store: while it is down, the limiter counts in memory (Flask-Limiter's
    fallback, with a warning) instead of failing the request."""
    if not storage_uri.startswith(("redis://", "rediss://", "unix://")):
        return {}
    from dashboard.redis_shared import CONNECT_TIMEOUT, SOCKET_TIMEOUT

    return {"socket_connect_timeout": CONNECT_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT}


def init_auth(server: Flask, settings: Settings, prefix: str = "/") -> Limiter:
    """Sessions, the login and logout routes and the rate limiter on ``server``; the limiter."""
    server.secret_key = secret_key(settings)
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                         SESSION_COOKIE_SECURE=settings.https, REMEMBER_COOKIE_HTTPONLY=True,
                         REMEMBER_COOKIE_SAMESITE="Lax", REMEMBER_COOKIE_SECURE=settings.https,
                         SESSION_COOKIE_NAME="kaihua_session")
    manager = LoginManager()
    manager.init_app(server)
    manager.session_protection = "basic"
    manager.user_loader(lambda name: load_user(settings.state_location, name))
    limiter = Limiter(get_remote_address, app=server, storage_uri=settings.rate_limit_storage,
                      storage_options=_storage_options(settings.rate_limit_storage), headers_enabled=True,
                      strategy="fixed-window", in_memory_fallback_enabled=True, swallow_errors=True)
    server.extensions["kaihua_limiter"] = limiter

    def login() -> Response:
        if request.method == "GET":
            return login_page(prefix)
        if not csrf_ok():
            return login_page(prefix, '<p class="kb-login-error" role="alert">表单已过期,请重试 · The form '
                                      'expired: please try again</p>', 400)
        name = (request.form.get("username") or "").strip()
        user = verify(settings.state_location, name, request.form.get("password") or "")
        if user is None:
            # the name typed is recorded only if it is a user's: a password typed into the wrong field
            # must not end up in the log
            known = load_user(settings.state_location, name) is not None
            audit.record(settings.state_location, "login_failed", name if known else "(unknown)", client_address())
            log.warning("failed login from %s", client_address())
            return login_page(prefix, WRONG, 401)
        session.clear()  # a new session for the new identity (no fixation)
        login_user(user)
        csrf_token()
        record("login", user.role.label)
        return redirect(safe_next(request.form.get("next"), prefix), code=302)

    def logout() -> Response:
        if not csrf_ok():
            return Response("bad request", status=400, mimetype="text/plain")
        if current_user_name():
            record("logout")
        logout_user()
        session.clear()
        return redirect(prefix, code=302)

    limited = login
    for key in (get_remote_address, _login_user_key):
        limited = limiter.limit(LOGIN_LIMITS, key_func=key, methods=["POST"], deduct_when=_failed,
                                scope=f"login-{key.__name__}")(limited)
    server.add_url_rule(LOGIN_PATH, "login", limited, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_PATH, "logout", logout, methods=["POST"])
    return limiter
