"""Layout of the five-pillar charts and the key-figures bar (filled in by the charts feature)."""

from __future__ import annotations

from dash import html

from dashboard import ids


def key_figures_bar(lang: str) -> html.Section:
    return html.Section(id=ids.KEY_FIGURES, className="kb-key-figures")


def charts_section(lang: str) -> html.Section:
    return html.Section(id=ids.CHARTS_SECTION, className="kb-charts")
