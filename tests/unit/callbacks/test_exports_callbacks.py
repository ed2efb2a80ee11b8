"""The export link and the dossier link, called as plain functions with what a browser may send."""

from __future__ import annotations

import pytest

from callbacks.exports import export_href, export_links, export_pdf_href
from callbacks.panel import panel_outputs
from dashboard import ids
from dashboard.state import ViewState
from geodata import Audience


def test_export_link_follows_the_state_the_map_shows(dataset):
    state = ViewState(belt="B03", measure="score", year=2016).to_dict()
    assert export_href(state, "a4", "/", dataset) == "/export/map.png?belt=B03&measure=score&year=2016&size=a4"


@pytest.mark.parametrize("size, pdf_size", [("a3-portrait", "a3-portrait"), ("4k", "a4"), ("<x>", "a4")])
def test_pdf_link_takes_the_chosen_paper_or_a4(dataset, size, pdf_size):
    state = ViewState(belt="B03").to_dict()
    assert export_pdf_href(state, size, "/", dataset) == f"/export/map.pdf?belt=B03&size={pdf_size}"


@pytest.mark.parametrize("size", [None, 4, "8k", {"a": 1}, "../x"])
def test_export_link_falls_back_to_4k_for_an_unknown_size(dataset, size):
    assert export_href(ViewState().to_dict(), size, "/", dataset).endswith("?size=4k")


@pytest.mark.parametrize("state", [None, "x", {"belt": "B99"}, {"belt": ["B01"]}, {"year": "<script>"}])
def test_export_link_drops_what_it_does_not_know(dataset, state):
    href = export_href(state, "4k", "/", dataset)
    assert href == "/export/map.png?size=4k"


def test_one_call_gives_every_link_of_the_page_for_the_state_it_shows(dataset):
    png, pdf, data, html, county = export_links(ViewState(belt="B03", year=2016).to_dict(), "a3", "/kb/", dataset)
    assert png == "/kb/export/map.png?belt=B03&year=2016&size=a3"
    assert pdf == "/kb/export/map.pdf?belt=B03&year=2016&size=a3"
    assert len(data) == len(ids.EXPORT_DATA_FORMATS) and all("belt=B03" in h and "year=2016" in h for h in data)
    assert html.startswith("/kb/export/map.html?") and "belt=B03" in html
    assert county.startswith("/kb/export/county.pdf")


def test_belt_panel_links_its_dossier_in_the_states_language_and_year(dataset):
    panel, _ = panel_outputs(dataset, Audience.STAFF, ViewState(belt="B05", year=2017, lang="en"), "/kb/")
    links = [c for c in panel.children if getattr(c, "id", None) == "dossier-link"]
    assert len(links) == 1 and links[0].href == "/kb/export/belt/B05.pdf?lang=en&year=2017"


def test_only_a_belt_has_a_dossier_link(dataset):
    code = dataset.villages().code.iloc[0]
    panel, _ = panel_outputs(dataset, Audience.STAFF, ViewState(village=code), "/")
    assert "dossier-link" not in str(panel)
