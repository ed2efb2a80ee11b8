"""Layout of the data-management (admin) page, shown at /admin. Every text is a plain string: React
escapes it, so a village named ``<script>`` is shown as those characters, never run."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.i18n import t
from geodata.schema import LAYERS


def _field(label: str, control) -> html.Label:
    return html.Label(className="kb-admin-field", children=[html.Span(label), control])


def admin_page(lang: str) -> html.Div:
    layers = [{"label": f"{s.name} · {s.title_zh if lang == 'zh' else s.title_en}", "value": s.name}
              for s in LAYERS.values()]
    return html.Div(id=ids.ADMIN_PAGE, className="kb-admin", hidden=True, children=[
        html.H2(t("admin_title", lang)),
        html.P(t("admin_help", lang)),
        _field(t("admin_layer", lang), dcc.Dropdown(id=ids.ADMIN_LAYER, options=layers, clearable=True)),
        _field(t("admin_crs", lang), dcc.Input(id=ids.ADMIN_CRS, type="text")),
        dcc.Upload(id=ids.ADMIN_UPLOAD, className="kb-admin-upload", multiple=False,
                   children=html.Div(t("admin_upload", lang))),
        html.Div(id=ids.ADMIN_REPORT, className="kb-admin-report", role="status"),
        dcc.Store(id=ids.ADMIN_STAGED),
        _field(t("admin_note", lang), dcc.Input(id=ids.ADMIN_NOTE, type="text", maxLength=200)),
        html.Button(t("admin_publish", lang), id=ids.ADMIN_PUBLISH, disabled=True),
        html.Div(id=ids.ADMIN_STATUS, className="kb-admin-status", role="alert"),
        html.H3(t("admin_versions", lang)),
        html.Div(id=ids.ADMIN_VERSIONS),
        dcc.Dropdown(id=ids.ADMIN_ROLLBACK_TO, options=[], clearable=False),
        html.Button(t("admin_rollback", lang), id=ids.ADMIN_ROLLBACK),
        *briefing_section(lang),
        html.H3(t("admin_audit", lang)),
        html.Div(id=ids.ADMIN_AUDIT, className="kb-admin-audit"),
    ])


def briefing_section(lang: str) -> list:
    """The visitors' briefing file: download it, upload an edited one (checked, then published), its versions."""
    return [
        html.H3(t("admin_brief_title", lang)),
        html.P(t("admin_brief_help", lang)),
        html.Button(t("admin_brief_export", lang), id=ids.ADMIN_BRIEF_EXPORT),
        dcc.Download(id=ids.ADMIN_BRIEF_DOWNLOAD),
        html.Div(id=ids.ADMIN_BRIEF_STATUS, className="kb-admin-status", role="alert"),
        _field(t("admin_note", lang), dcc.Input(id=ids.ADMIN_BRIEF_NOTE, type="text", maxLength=200)),
        dcc.Upload(id=ids.ADMIN_BRIEF_UPLOAD, className="kb-admin-upload", multiple=False,
                   accept=".yaml,.yml,.json", children=html.Div(t("admin_brief_upload", lang))),
        html.Div(id=ids.ADMIN_BRIEF_REPORT, className="kb-admin-report", role="status"),
        html.H4(t("admin_brief_versions", lang)),
        html.Div(id=ids.ADMIN_BRIEF_VERSIONS),
    ]
