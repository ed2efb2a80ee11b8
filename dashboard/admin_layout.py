"""Layout of the data-management (admin) page (filled in by the data-management feature)."""

from __future__ import annotations

from dash import html

from dashboard import ids


def admin_page(lang: str) -> html.Div:
    return html.Div(id=ids.ADMIN_PAGE, className="kb-admin", hidden=True)
