"""The naive baseline app answers a belt click with the whole figure, geometry inline, the belt selected."""

from __future__ import annotations

import json

from benchmarks.interactions import _belt
from benchmarks.naive_app import GRAPH, create_naive_app
from dashboard.figures.map_style import belt_emphasis
from geodata import DEFAULT_PATH, open_dataset


def _click(client, customdata: str) -> dict:
    body = {"output": f"{GRAPH}.figure", "outputs": {"id": GRAPH, "property": "figure"},
            "inputs": [{"id": GRAPH, "property": "clickData",
                        "value": {"points": [{"customdata": customdata}]}}], "changedPropIds": [f"{GRAPH}.clickData"]}
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200
    return json.loads(resp.get_data())["response"][GRAPH]["figure"]


def test_a_belt_click_rebuilds_the_whole_figure_with_the_belt_selected():
    belt = _belt(open_dataset(DEFAULT_PATH))
    client = create_naive_app(size=(800, 600)).server.test_client()
    fig = _click(client, f"belt:{belt}")
    villages = next(t for t in fig["data"] if t["uid"] == "villages")
    assert isinstance(villages["geojson"], dict) and villages["geojson"]["features"]  # geometry inline, every time
    widths = {t["uid"]: t["line"]["width"] for t in fig["data"] if t["uid"].startswith("belt-")}
    assert widths[f"belt-{belt}"] == belt_emphasis([belt], belt)[0][0]
    # anything it does not know shows the whole county again
    plain = _click(client, "none")
    assert {t["line"]["width"] for t in plain["data"] if t["uid"].startswith("belt-")} == {
        belt_emphasis(["x"], None)[0][0]}
