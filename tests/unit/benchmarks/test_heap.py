"""The heap split by kind: a snapshot's nodes summed by what they are, and the wall's row that reads it."""

from __future__ import annotations

import math
from dataclasses import replace

from benchmarks.heap import growth, kinds_of
from benchmarks.run import PRESETS, wall_rows
from benchmarks.wall import WallResult

FIELDS = ["type", "name", "id", "self_size", "edge_count"]
TYPES = ["hidden", "array", "string", "object", "code", "closure", "native"]


def _snapshot(*nodes: tuple[str, int]) -> dict:
    """A V8 heap snapshot holding ``nodes`` as (type, self size), in V8's flat layout."""
    flat: list[int] = []
    for ident, (kind, size) in enumerate(nodes):
        flat += [TYPES.index(kind), 0, ident, size, 0]
    return {"snapshot": {"meta": {"node_fields": FIELDS, "node_types": [TYPES, "string", "number"]}},
            "nodes": flat, "strings": [""]}


def test_nodes_are_summed_by_kind():
    snap = _snapshot(("object", 100), ("code", 40), ("array", 7), ("native", 3), ("code", 2), ("closure", 1))
    assert kinds_of(snap) == {"page objects": 108, "compiled code": 42, "browser objects": 3}


def test_growth_per_kind_and_nan_for_an_empty_kind():
    grown = growth({"page objects": 100, "compiled code": 50, "browser objects": 0},
                   {"page objects": 105, "compiled code": 75, "browser objects": 9})
    assert grown["page objects"] == 5.0 and grown["compiled code"] == 50.0
    assert math.isnan(grown["browser objects"])


def test_the_wall_row_judges_page_objects_and_names_every_kind():
    first = {"page objects": 1000, "compiled code": 500, "browser objects": 200}
    last = {"page objects": 1300, "compiled code": 900, "browser objects": 210}
    wall = WallResult(transition_ms=[100.0, 120.0], heap=[(0.0, 1700), (60.0, 2410)], steps=30, minutes=1,
                      kinds=[first, last])
    row = next(r for r in wall_rows(wall, replace(PRESETS["tiny"], wall_minutes=1))
               if r.figure.startswith("wall heap by kind"))
    assert row.value == 30.0 and not row.check(row.value)  # page objects grew 30 %: a miss, whatever the code did
    for part in ("page objects 1.0 KB → 1.3 KB (+30.0 %)", "compiled code 0.5 KB → 0.9 KB (+80.0 %)",
                 "browser objects"):
        assert part in row.note
