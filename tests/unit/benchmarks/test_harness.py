"""The benchmark harness runs end to end on a tiny configuration and prints every row of its table.

No timing is asserted here: figures depend on the machine. The browser and PNG parts are left out
(they have their own tiers); the load run uses a real gunicorn for two seconds, and the memory run
publishes twice to a temporary store in this process.
"""

from __future__ import annotations

import pytest

from benchmarks.__main__ import main
from benchmarks.dashclient import DashClient, parse_outputs, stringify_id
from benchmarks.report import Stat, percentile

ROWS = [
    "select belt: map callback, server", "select belt: all ", "select belt: bytes sent",
    "select village: map callback, server", "change measure: map callback, server",
    "change year: map callback, server", "search: all 1 callback, server", "first page load",
    "first full map render, warm", "click belt on the map → selection highlighted", "wall step → map redrawn",
    "brief step → panel and map redrawn", "select belt, a view state never seen",
    "wall JS heap over a 0.2-minute tour", "presenter → wall (room)", "4K PNG of the map",
    "4K PNG of a belt-selected map", "2 viewers × 2 s", "peak RSS of one worker", "memory: RSS after 2 publishes vs 1",
]


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("bench") / "table.md"
    text = main(["--tiny", "--no-browser", "--no-png", "--out", str(out)])
    assert out.read_text(encoding="utf-8").strip() == text.strip()
    return text


def test_table_has_every_row_and_machine_facts(table):
    for row in ROWS:  # ("all N callbacks": N is however many the app chains on that click)
        assert f"| {row}" in table, row
    for fact in ("CPUs", "Python", "dash 4.4.1", "plotly 7.1.0", "villages"):
        assert fact in table


def test_skipped_parts_say_not_run_and_measured_parts_have_verdicts(table):
    lines = {line.split("|")[1].strip(): line for line in table.splitlines() if line.startswith("| ")}
    assert "not run" in lines["first page load, all resources (gzip)"]
    assert "not run" in lines["presenter → wall (room)"]
    belt = lines["select belt: map callback, server"]
    assert "pass" in belt or "miss" in belt
    load = next(line for name, line in lines.items() if "viewers" in name)
    assert " 0 errors" in load
    memory = lines["memory: RSS after 2 publishes vs 1"]  # measured, in process: a ratio and a verdict
    assert ("pass" in memory or "miss" in memory) and " MB vs " in memory


def test_statistics_are_nearest_rank():
    assert percentile([1, 2, 3, 4, 100], 95) == 100
    assert Stat.of([3, 1, 2]).p50 == 2


def test_callback_ids_are_read_as_dash_writes_them():
    assert parse_outputs("..map.figure...map-applied.data..") == [("map", "figure"), ("map-applied", "data")]
    assert parse_outputs("view-state.data@abc") == [("view-state", "data")]
    assert stringify_id({"type": "label", "key": "x"}) == '{"key":"x","type":"label"}'


def test_the_stand_in_client_does_not_fire_a_callback_again_for_its_own_output():
    # As dash-renderer: a callback that writes one of its own inputs is not fired again by that write, but the
    # callbacks that follow its outputs are.
    deps = [
        {"output": "..a.figure...state.data@1..", "inputs": [{"id": "state", "property": "data"},
                                                                  {"id": "a", "property": "clickData"}], "state": []},
        {"output": "panel.children", "inputs": [{"id": "state", "property": "data"}], "state": []},
    ]
    layout = {"type": "Div", "namespace": "dash_html_components",
              "props": {"children": [{"type": "Store", "namespace": "dash_core_components",
                                      "props": {"id": "state", "data": None}},
                                     {"type": "Graph", "namespace": "dash_core_components",
                                      "props": {"id": "a", "clickData": None}},
                                     {"type": "Div", "namespace": "dash_html_components",
                                      "props": {"id": "panel"}}]}}
    sent = []

    def post(body):
        sent.append(body["output"])
        if body["output"].startswith(".."):
            return 200, {"response": {"a": {"figure": {}}, "state": {"data": {"belt": "B01"}}}}
        return 200, {"response": {"panel": {"children": "B01"}}}

    DashClient(layout, deps, post).act("a", "clickData", {"points": []})
    assert sent == ["..a.figure...state.data@1..", "panel.children"]
