"""The five interactions the benchmark times, recorded as the callback requests a browser would send.

Each starts from the page as first loaded (the county view) and is picked from the dataset itself, so the
same code runs on the shipped county data and on a province GeoPackage (``--data``). On province data the page
is first drilled into the county of the chosen belt (not timed), so that a selection is timed as a selection
within a county, as a user makes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from benchmarks.dashclient import DashClient, Post, Request
from dashboard import ids
from geodata import Dataset
from geodata.vocabulary import vocabulary

MAP_CALLBACK = f"{ids.MAP}.figure"  # the callback that redraws the map


@dataclass(frozen=True)
class Action:
    """A user action: set one prop of one component."""

    name: str
    ident: object
    prop: str
    value: object


@dataclass
class Interaction:
    """An action and the chain of requests it caused."""

    name: str
    requests: list[Request]

    @property
    def bodies(self) -> list[dict]:
        return [r.body for r in self.requests]

    def map_request(self) -> Request | None:
        return next((r for r in self.requests if r.name == MAP_CALLBACK), None)

    @property
    def map_state(self):
        """The view state the map drew (what it wrote to ``ids.MAP_APPLIED``; a map click arrives as clickData
        and becomes a view state in the map's own callback), or None if the map was not redrawn."""
        req = self.map_request()
        if req is None:
            return None
        applied = ((req.response or {}).get("response") or {}).get(ids.MAP_APPLIED, {}).get("data")
        return applied if applied is not None else req.body["inputs"][0]["value"]


def _click(customdata: str) -> dict:
    # What plotly puts in clickData for a point; the app reads only ``customdata``.
    return {"points": [{"curveNumber": 0, "pointNumber": 0, "pointIndex": 0, "customdata": customdata}]}


def _county(ds: Dataset, belt: str) -> str | None:
    """The county to drill into first on province-scale data (None for one county)."""
    counties = ds.county()
    if len(counties) == 1:
        return None
    town = ds.belts().set_index("belt_id").township_codes[belt].split(",")[0]
    return town[:6]


def _belt(ds: Dataset) -> str:
    """The belt the actions select: the middle one by ID."""
    return sorted(ds.belts().belt_id)[len(ds.belts()) // 2]


def setup_for(ds: Dataset) -> Action | None:
    """What a user does before the timed actions: on province data, drill into a county."""
    county = _county(ds, _belt(ds))
    return Action("drill in", ids.MAP, "clickData", _click(f"county:{county}")) if county else None


def actions_for(ds: Dataset) -> list[Action]:
    """Select a belt, select a village, change the measure, change the year, search: on this dataset."""
    belt = _belt(ds)
    villages = ds.villages()
    county = _county(ds, belt)
    if county:
        villages = villages[villages.code.str.startswith(county)]
    village = villages.code.iloc[len(villages) // 3]
    years = vocabulary(ds).years
    name = str(villages.name.iloc[len(villages) // 2])
    return [
        Action("select belt", ids.MAP, "clickData", _click(f"belt:{belt}")),
        Action("select village", ids.MAP, "clickData", _click(f"village:{village}")),
        Action("change measure", ids.MEASURE, "value", "score"),
        Action("change year", ids.YEAR, "value", years[0]),
        Action("search", ids.SEARCH, "search_value", name[:2]),
    ]


def record(layout: dict, dependencies: list[dict], post: Post, ds: Dataset) -> list[Interaction]:
    """Play every action on a fresh page and keep the requests each caused."""
    out = []
    setup = setup_for(ds)
    for action in actions_for(ds):
        client = DashClient(layout, dependencies, post)
        if setup is not None:
            client.act(setup.ident, setup.prop, setup.value)  # not timed
        requests = client.act(action.ident, action.prop, action.value)
        failed = [r.name for r in requests if r.status not in (200, 204)]
        if failed:
            raise RuntimeError(f"{action.name}: callbacks failed: {failed}")
        out.append(Interaction(action.name, requests))
    return out
