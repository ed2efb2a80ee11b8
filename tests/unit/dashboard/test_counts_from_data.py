"""Counts in headings come from the data, not from the county the app was first written for."""

from __future__ import annotations

import json

from callbacks.wall import wall_step
from dashboard.panels import belt_list


def texts(component) -> str:
    """All text of a Dash component tree, as JSON (Chinese kept as is)."""
    return json.dumps(component, ensure_ascii=False, default=lambda o: o.to_plotly_json())


def test_belt_list_heading_counts_the_belts_it_lists(dataset):
    belts = dataset.belts()
    assert "21条示范带" in texts(belt_list(belts, "zh"))
    assert "5条示范带" in texts(belt_list(belts.head(5), "zh"))
    assert "The 5 belts" in texts(belt_list(belts.head(5), "en"))


def test_wall_overview_names_the_number_of_belts_in_the_data(dataset):
    step = wall_step(dataset, None, "zh")
    assert step.theme.startswith(f"{len(dataset.belts())}条示范带")
