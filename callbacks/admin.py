"""Data management at /admin: upload, validate, publish, list versions, roll back.

The work is in plain functions (tested directly); ``register`` only wires them. Every action is
checked on the server against the role of the request's session: only admins see the page, the version
history and the audit log, and only they may upload, publish or roll back (each audited).
"""

from __future__ import annotations

import base64
import binascii
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from dash import Dash, Input, Output, State, html, no_update

from dashboard import ids
from dashboard.auth import Role, client_address, current_role, current_user_name, record
from dashboard.config import Settings
from dashboard.i18n import t
from geodata import DataError, audit
from geodata.backend import Backend, backend_for
from geodata.importing import Options
from geodata.report import Refused, Report

ADMIN_PATH = "/admin"
log = logging.getLogger(__name__)


class Denied(Exception):
    """An admin action refused, with the reason in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def both(zh: str, en: str) -> list:
    return [html.Div(zh, lang="zh-CN"), html.Div(en, lang="en")]


def authorise(settings: Settings, role: Role) -> Backend:
    """The backend (store folder or database) an admin action may change, or :class:`Denied`."""
    if role is not Role.ADMIN:
        raise Denied("需要以管理员身份登录", "log in as an admin to manage data")
    backend = backend_for(settings)
    if not backend.publishable:
        raise Denied("数据为固定文件(KAIHUA_DATA 指向 .gpkg),不能发布", "the data is a fixed file (KAIHUA_DATA names a "
                     ".gpkg): set it to a store folder to publish")
    return backend


def route(pathname: str | None, role: Role = Role.PUBLIC) -> tuple[bool, bool]:
    """(admin page hidden, main page hidden) for the URL path; only admins ever see the admin page."""
    admin = (pathname or "").rstrip("/") == ADMIN_PATH and role is Role.ADMIN
    return not admin, admin


def decode_upload(contents: str, limits_bytes: int) -> bytes:
    """The bytes of a dcc.Upload ``data:...;base64,...`` string; size checked before decoding."""
    _, _, payload = contents.partition(",")
    if len(payload) * 3 // 4 > limits_bytes:
        raise Refused(f"文件过大(上限 {limits_bytes / 1e6:.0f} MB)", f"file too large (the limit is "
                      f"{limits_bytes / 1e6:.0f} MB)")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Refused("上传内容损坏", "the upload is damaged") from exc


def report_view(report: Report) -> html.Div:
    """The report in Chinese and English, as text."""
    items = [html.Li(className=f"kb-issue kb-issue-{i.level}", children=both(i.text("zh"), i.text("en")))
             for i in report.issues]
    verdict = "kb-report-ok" if report.ok else "kb-report-failed"
    return html.Div(className=verdict, children=[
        html.P(both(report.summary("zh"), report.summary("en"))), html.Ul(items),
        *[preview_table(layer, rows) for layer, rows in report.preview.items()]])


def preview_table(layer: str, rows: list[dict[str, str]]) -> html.Table:
    """The first rows read from the file, as text cells (so the user can check names and encoding)."""
    columns = list(rows[0]) if rows else []
    return html.Table(className="kb-preview", children=[
        html.Caption(layer), html.Thead(html.Tr([html.Th(c) for c in columns])),
        html.Tbody([html.Tr([html.Td(r.get(c, "")) for c in columns]) for r in rows])])


def handle_upload(settings: Settings, contents: str | None, filename: str | None, role: Role,
                  layer: str | None, crs: str | None) -> tuple[object, str | None, bool]:
    """Validate an upload and stage it: (report view, staged token, publish button disabled)."""
    name = PurePosixPath((filename or "upload").replace("\\", "/")).name
    try:
        backend = authorise(settings, role)
        data = decode_upload(contents or "", settings.limits.max_bytes)
        with tempfile.TemporaryDirectory(prefix="kaihua-upload-") as tmp:
            src = Path(tmp) / "offered"
            src.write_bytes(data)
            staged = backend.stage(src, name, Options(layer=layer or None, crs=(crs or "").strip() or None,
                                                     limits=settings.limits))
    except Denied as exc:
        return html.Div(both(exc.zh, exc.en), className="kb-denied"), None, True
    except DataError as exc:  # refused before reading, or the store itself is unusable
        report = Report(name)
        report.refuse(exc if isinstance(exc, Refused) else Refused(str(exc), str(exc)))
        return report_view(report), None, True
    except OSError as exc:  # the upload could not even be written down (a full disk): say so, never a 500
        report = Report(name)
        reason = exc.strerror or str(exc)
        report.error(None, f"无法保存上传的文件:{reason}", f"cannot store the upload: {reason}")
        return report_view(report), None, True
    log.info("upload validated: %d errors", len(staged.report.errors))  # the file name is the user's text: not logged
    return report_view(staged.report), staged.token, staged.token is None


def _act(settings: Settings, role: Role, action: Callable[[Backend], str], failed: tuple[str, str],
         done: tuple[str, str, str]) -> list:
    """Run ``action(backend)`` if the user may; the status message (what was done, or why not)."""
    try:
        result = action(authorise(settings, role))
    except Denied as exc:
        return both(exc.zh, exc.en)
    except DataError as exc:
        return both(f"{failed[0]}:{exc}", f"{failed[1]}: {exc}")
    log.info("%s %s", done[1], result)  # a version id only: no token, no personal data
    audit.record(settings.state_location, done[2], current_user_name(), client_address(), result)
    return both(f"{done[0]} {result}", f"{done[1]} {result}")


def handle_publish(settings: Settings, staged: str | None, role: Role, note: str | None) -> list:
    """Publish the staged upload; the status message."""

    def action(backend: Backend) -> str:
        if not staged:
            raise Denied("没有已校验的文件", "no validated file to publish")
        return backend.publish(staged, (note or "").strip())

    return _act(settings, role, action, ("未发布", "not published"), ("已发布版本", "published version", "publish"))


def handle_rollback(settings: Settings, version: str | None, role: Role) -> list:
    """Publish an earlier version again; the status message."""

    def action(backend: Backend) -> str:
        backend.rollback(version or "")
        return version or ""

    return _act(settings, role, action, ("未恢复", "not restored"), ("已恢复版本", "restored version", "rollback"))


def versions_view(settings: Settings, lang: str, role: Role) -> tuple[object, list[dict]]:
    """The version table and the rollback choices (nothing for anyone but an admin)."""
    backend = backend_for(settings)
    if role is not Role.ADMIN or not backend.publishable:
        return [], []
    listed = backend.list_versions()
    head = html.Tr([html.Th(c) for c in t("admin_columns", lang).split("|")])
    rows = [html.Tr(className="kb-current" if v.current else None, children=[
        html.Td(f"{v.id} ({t('admin_current', lang)})" if v.current else v.id), html.Td(v.created),
        html.Td(v.source), html.Td(v.note),
        *[html.Td(str(v.counts.get(k, ""))) for k in ("villages", "belts", "indicators")],
    ]) for v in listed]
    if not listed:
        return html.P(both("尚无版本:正在使用随附的示意数据", "no versions yet: the shipped illustrative data is "
                           "served")), []
    options = [{"label": v.id, "value": v.id} for v in listed if not v.current]
    return html.Table(className="kb-versions", children=[html.Thead(head), html.Tbody(rows)]), options


def audit_view(settings: Settings, role: Role) -> object:
    """The last entries of the audit log, newest first, as text (admins only)."""
    if role is not Role.ADMIN:
        return []
    entries = list(reversed(audit.read(settings.state_location, last=200)))
    head = html.Tr([html.Th(c) for c in ("time", "action", "who", "from", "detail")])
    rows = [html.Tr([html.Td(str(e.get(k, ""))) for k in ("time", "action", "who", "from", "detail")])
            for e in entries]
    return html.Table(className="kb-audit", children=[html.Thead(head), html.Tbody(rows)])


def register(app: Dash) -> None:
    settings: Settings = app.server.config["KAIHUA_SETTINGS"]
    lang = settings.language

    @app.callback(Output(ids.ADMIN_PAGE, "hidden"), Output(ids.MAIN_PAGE, "hidden"),
                  Output(ids.ADMIN_VERSIONS, "children"), Output(ids.ADMIN_ROLLBACK_TO, "options"),
                  Output(ids.ADMIN_AUDIT, "children"), Input(ids.URL, "pathname"))
    def _route(pathname):
        role = current_role()
        admin_hidden, main_hidden = route(pathname, role)
        if admin_hidden:
            return admin_hidden, main_hidden, no_update, no_update, no_update
        return admin_hidden, main_hidden, *versions_view(settings, lang, role), audit_view(settings, role)

    @app.callback(Output(ids.ADMIN_REPORT, "children"), Output(ids.ADMIN_STAGED, "data"),
                  Output(ids.ADMIN_PUBLISH, "disabled"),
                  Input(ids.ADMIN_UPLOAD, "contents"), State(ids.ADMIN_UPLOAD, "filename"),
                  State(ids.ADMIN_LAYER, "value"), State(ids.ADMIN_CRS, "value"), prevent_initial_call=True)
    def _upload(contents, filename, layer, crs):
        view, token, disabled = handle_upload(settings, contents, filename, current_role(), layer, crs)
        if token:
            record("upload", f"staged {token[:8]}")
        return view, token, disabled

    @app.callback(Output(ids.ADMIN_STATUS, "children"), Output(ids.ADMIN_VERSIONS, "children", allow_duplicate=True),
                  Output(ids.ADMIN_ROLLBACK_TO, "options", allow_duplicate=True),
                  Output(ids.ADMIN_PUBLISH, "disabled", allow_duplicate=True),
                  Output(ids.ADMIN_AUDIT, "children", allow_duplicate=True),
                  Input(ids.ADMIN_PUBLISH, "n_clicks"), State(ids.ADMIN_STAGED, "data"),
                  State(ids.ADMIN_NOTE, "value"), prevent_initial_call=True)
    def _publish(_clicks, staged, note):
        role = current_role()
        status = handle_publish(settings, staged, role, note)
        return status, *versions_view(settings, lang, role), True, audit_view(settings, role)

    @app.callback(Output(ids.ADMIN_STATUS, "children", allow_duplicate=True),
                  Output(ids.ADMIN_VERSIONS, "children", allow_duplicate=True),
                  Output(ids.ADMIN_ROLLBACK_TO, "options", allow_duplicate=True),
                  Output(ids.ADMIN_AUDIT, "children", allow_duplicate=True),
                  Input(ids.ADMIN_ROLLBACK, "n_clicks"), State(ids.ADMIN_ROLLBACK_TO, "value"),
                  prevent_initial_call=True)
    def _rollback(_clicks, version):
        role = current_role()
        status = handle_rollback(settings, version, role)
        return status, *versions_view(settings, lang, role), audit_view(settings, role)
