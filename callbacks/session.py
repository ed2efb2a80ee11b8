"""The header's user bar: who is logged in (name and role) with a logout button, or a login link.

Filled per request from the server's session, so the page itself stays the same for everyone of one
audience (and can be cached per audience).
"""

from __future__ import annotations

from dash import Dash, Input, Output, dcc, html

from dashboard import ids
from dashboard.auth import LOGIN_PATH, LOGOUT_PATH, csrf_token, current_role, current_user_name
from dashboard.i18n import t
from dashboard.users import Role


def user_bar(name: str | None, role: Role, token: str, prefix: str, lang: str, pathname: str | None) -> list:
    """The header's user control: text only (a user name is the user's own text, never markup)."""
    base = prefix.rstrip("/")
    if not name:
        here = pathname if isinstance(pathname, str) and pathname.startswith("/") else "/"
        return [html.A(t("login", lang), href=f"{base}{LOGIN_PATH}?next={here}", className="kb-login-link")]
    return [html.Span(name, className="kb-user-name"), " · ",
            html.Span(t(f"role_{role.label}", lang), className="kb-user-role"),
            html.Form(method="POST", action=f"{base}{LOGOUT_PATH}", className="kb-logout", children=[
                dcc.Input(type="hidden", name="csrf_token", value=token),
                html.Button(t("logout", lang), type="submit")])]


def register(app: Dash) -> None:
    settings = app.server.config["KAIHUA_SETTINGS"]

    @app.callback(Output(ids.USER_BAR, "children"), Input(ids.URL, "pathname"))
    def _user_bar(pathname):
        name = current_user_name()
        return user_bar(name, current_role(), csrf_token() if name else "", app.config.requests_pathname_prefix,
                        settings.language, pathname)
