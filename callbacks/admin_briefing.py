"""The visitors' briefing file on /admin: upload (checked, then published), versions, rollback, download.

Plain functions (tested directly) and ``register``. Admins only, checked on the server for every action
(:func:`callbacks.admin.authorise`); everything the browser sends is checked before use: the upload's size
before decoding (the briefing's own limit), its name's extension, the note's type and length, the version a
rollback button names. A file is read with ``yaml.safe_load`` (or ``json``) only, by
:func:`geodata.briefing.parse_briefing`. Every action is written to the audit log. The store is reached only
through :mod:`geodata.briefing_store`'s public functions.
"""

from __future__ import annotations

import base64
import logging
from pathlib import PurePosixPath

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update

from callbacks.admin import Denied, audit_view, authorise, both, decode_upload
from dashboard import ids
from dashboard.auth import Role, client_address, current_role, current_user_name
from dashboard.brief import briefing_of, view_checker
from dashboard.config import Settings
from dashboard.i18n import t
from geodata import DataError, audit, open_dataset
from geodata.briefing import MAX_BYTES, BriefingError
from geodata.briefing_store import (
    current_briefing_file,
    list_briefing_versions,
    publish_briefing,
    resolve_briefing_version,
    rollback_briefing,
)
from geodata.report import Refused

EXTENSIONS = (".yaml", ".yml", ".json")
MAX_NOTE = 200
log = logging.getLogger(__name__)


def _audit(settings: Settings, action: str, who: str | None, detail: str) -> None:
    try:
        audit.record(settings.state_location, action, who, client_address(), detail)
    except OSError as err:  # the log must not take the page down
        log.error("audit log not written (%s): %s", action, err.strerror)


def briefing_location(settings: Settings, role: Role):
    """Where an admin's briefing action goes: the database with ``DATABASE_URL``, else the data store
    (:class:`Denied` for anyone but an admin, or a fixed GeoPackage)."""
    authorise(settings, role)
    return settings.content_location


def upload_name(filename: object) -> str:
    """The uploaded file's own name (no folders), or :class:`Refused` when it is not a YAML or JSON file."""
    name = PurePosixPath(str(filename or "").replace("\\", "/")).name[:120] if isinstance(filename, str) else ""
    if not name.lower().endswith(EXTENSIONS):
        raise Refused("只接受 .yaml、.yml 或 .json 文件", "only .yaml, .yml or .json files are accepted")
    return name


def problems_view(exc: BriefingError) -> html.Div:
    """Every problem of a refused briefing file, by file, step and field, in Chinese and English, as text."""
    count = len(exc.problems)
    items = [html.Li(className="kb-issue kb-issue-error", children=both(p.text("zh", exc.file), p.text("en", exc.file)))
             for p in exc.problems]
    return html.Div(className="kb-report-failed", children=[
        html.P(both(f"{exc.file} 未通过校验,未发布(共 {count} 处问题)",
                    f"{exc.file} failed validation and was not published ({count} problem(s))")),
        html.Ul(items)])


def handle_briefing_upload(settings: Settings, contents: object, filename: object, note: object, role: Role,
                           who: str | None) -> tuple[html.Div, str | None]:
    """Check an uploaded briefing file and, if it passes, publish it as the next version: (what happened, the
    version published or None)."""
    try:
        store = briefing_location(settings, role)
        name = upload_name(filename)
        if not isinstance(contents, str):
            raise Refused("上传内容损坏", "the upload is damaged")
        raw = decode_upload(contents, MAX_BYTES)
        note_text = note.strip()[:MAX_NOTE] if isinstance(note, str) else ""
        ds = open_dataset(settings.data_path)
        version = publish_briefing(store, raw, name, ds, view_checker(ds), note_text, who or "")
    except Denied as exc:
        return html.Div(both(exc.zh, exc.en), className="kb-denied"), None
    except BriefingError as exc:
        _audit(settings, "upload", who, f"briefing refused: {len(exc.problems)} problem(s)")
        return problems_view(exc), None
    except Refused as exc:
        _audit(settings, "upload", who, "briefing refused before reading")
        return html.Div(both(exc.message_zh, exc.message_en), className="kb-report-failed"), None
    except DataError as exc:  # the store could not be written (a full disk): nothing was changed
        return html.Div(both(f"未发布:{exc}", f"not published: {exc}"), className="kb-report-failed"), None
    _audit(settings, "publish", who, f"briefing {version}")
    return html.Div(className="kb-report-ok", children=[
        html.P(both(f"已发布简报版本 {version}", f"published briefing version {version}"))]), version


def handle_briefing_rollback(settings: Settings, version: object, role: Role, who: str | None) -> list:
    """Publish the earlier briefing version ``version`` again, if it still fits the data; the message."""
    try:
        store = briefing_location(settings, role)
        if not isinstance(version, str) or len(version) > 20:
            raise DataError("no such briefing version")
        name = resolve_briefing_version(store, version)
        ds = open_dataset(settings.data_path)
        rollback_briefing(store, name, ds, view_checker(ds))
    except Denied as exc:
        return both(exc.zh, exc.en)
    except BriefingError as exc:  # an earlier file that no longer fits the data: refused, nothing changes
        return [problems_view(exc)]
    except DataError as exc:
        return both(f"未恢复:{exc}", f"not restored: {exc}")
    _audit(settings, "rollback", who, f"briefing {name}")
    return both(f"已恢复简报版本 {name}", f"briefing version {name} is published again")


def briefing_download(settings: Settings, role: Role, who: str | None) -> dict | None:
    """The published briefing file (the shipped one when none is) for dcc.Download; None for non-admins."""
    try:
        store = briefing_location(settings, role)
    except Denied:
        return None
    name, raw = current_briefing_file(store)
    _audit(settings, "export", who, f"briefing {name}")
    filename = name if name.startswith("briefing") else f"briefing-{name}"
    return {"content": base64.b64encode(raw).decode("ascii"), "filename": filename, "base64": True,
            "type": "application/json" if name.endswith(".json") else "application/yaml"}


def briefing_versions_view(settings: Settings, lang: str, role: Role) -> object:
    """Which briefing is served, and every version with its time, author and note; a restore button on
    each one not published now (nothing for anyone but an admin)."""
    if role is not Role.ADMIN or settings.content_location is None:
        return []
    served = briefing_of(settings, open_dataset(settings.data_path))
    shown = both(f"正在使用:{'随附简报' if served.source == 'shipped' else served.source}",
                 f"served: {'the shipped briefing' if served.source == 'shipped' else served.source}")
    notice = []
    if served.problems:  # the published file no longer fits the data: say why an earlier one is served
        notice = [problems_view(BriefingError(served.problem_file, list(served.problems)))]
    listed = list_briefing_versions(settings.content_location)
    if not listed:
        return [html.P(shown), *notice]
    head = html.Tr([html.Th(c) for c in t("admin_brief_columns", lang).split("|")])
    rows = [html.Tr(className="kb-current" if v.current else None, children=[
        html.Td(f"{v.name} ({t('admin_current', lang)})" if v.current else v.name), html.Td(v.created),
        html.Td(v.who), html.Td(v.note), html.Td(v.source),
        html.Td([] if v.current else html.Button(t("admin_brief_rollback", lang), id=ids.briefing_rollback(v.name),
                                                 className="kb-brief-rollback")),
    ]) for v in listed]
    return [html.P(shown), *notice,
            html.Table(className="kb-versions kb-brief-versions", children=[html.Thead(head), html.Tbody(rows)])]


def clicked_version(triggered_id: object, triggered: list) -> str | None:
    """The version of the rollback button actually clicked (not one merely drawn), else None."""
    if not isinstance(triggered_id, dict) or not any(isinstance(t, dict) and t.get("value") for t in triggered):
        return None
    version = triggered_id.get("version")
    return version if isinstance(version, str) else None


def register(app: Dash) -> None:
    settings: Settings = app.server.config["KAIHUA_SETTINGS"]
    lang = settings.language

    @app.callback(Output(ids.ADMIN_BRIEF_VERSIONS, "children"), Input(ids.URL, "pathname"))
    def _versions(_pathname):
        return briefing_versions_view(settings, lang, current_role())

    @app.callback(Output(ids.ADMIN_BRIEF_REPORT, "children"),
                  Output(ids.ADMIN_BRIEF_VERSIONS, "children", allow_duplicate=True),
                  Output(ids.ADMIN_AUDIT, "children", allow_duplicate=True),
                  Output(ids.ADMIN_BRIEF_NOTE, "value"),
                  Input(ids.ADMIN_BRIEF_UPLOAD, "contents"), State(ids.ADMIN_BRIEF_UPLOAD, "filename"),
                  State(ids.ADMIN_BRIEF_NOTE, "value"), prevent_initial_call=True)
    def _upload(contents, filename, note):
        role = current_role()
        report, version = handle_briefing_upload(settings, contents, filename, note, role, current_user_name())
        # the note belongs to the version just published; after a refusal it stays for the corrected file
        return (report, briefing_versions_view(settings, lang, role), audit_view(settings, role),
                "" if version else no_update)

    @app.callback(Output(ids.ADMIN_BRIEF_STATUS, "children"),
                  Output(ids.ADMIN_BRIEF_VERSIONS, "children", allow_duplicate=True),
                  Output(ids.ADMIN_AUDIT, "children", allow_duplicate=True),
                  Input(ids.briefing_rollback(ALL), "n_clicks"), prevent_initial_call=True)
    def _rollback(_clicks):
        version = clicked_version(ctx.triggered_id, ctx.triggered)
        if version is None:
            return no_update, no_update, no_update
        role = current_role()
        status = handle_briefing_rollback(settings, version, role, current_user_name())
        return status, briefing_versions_view(settings, lang, role), audit_view(settings, role)

    @app.callback(Output(ids.ADMIN_BRIEF_DOWNLOAD, "data"),
                  Output(ids.ADMIN_BRIEF_STATUS, "children", allow_duplicate=True),
                  Output(ids.ADMIN_AUDIT, "children", allow_duplicate=True),
                  Input(ids.ADMIN_BRIEF_EXPORT, "n_clicks"), prevent_initial_call=True)
    def _download(_clicks):
        role = current_role()
        data = briefing_download(settings, role, current_user_name())
        if data is None:
            return no_update, both("需要以管理员身份登录", "log in as an admin to manage data"), no_update
        return data, no_update, audit_view(settings, role)
