"""The explorer (``/``, with the data management page ``/admin`` inside it)."""

from __future__ import annotations

from dash import Dash, html

from dashboard import layout as explorer_layout
from dashboard.auth import current_audience
from dashboard.config import Settings
from dashboard.map_legend import legend_groups
from dashboard.pages.common import graph_config, page_figure
from dashboard.state import ViewState
from geodata import Audience, Dataset, open_dataset
from geodata.cache import per_dataset
from geodata.provenance import illustration
from geodata.vocabulary import vocabulary


def layout(app: Dash, settings: Settings, with_figure: bool = True) -> html.Div:
    """The explorer for the dataset currently published, as this request's audience may see it (built once per
    data version and audience)."""
    return cached_layout(app, settings, open_dataset(settings.data_path), current_audience(), with_figure)


@per_dataset(maxsize=8)  # on the dataset: a replaced version's page goes with it
def cached_layout(app: Dash, settings: Settings, ds: Dataset, audience: Audience, with_figure: bool = True) -> html.Div:
    state = ViewState(lang=settings.language)
    figure = page_figure(app, audience, ds, state) if with_figure else {}
    vocab = vocabulary(ds)
    counties = ds.county().drop(columns="geometry")  # the panel lists them on province data
    return explorer_layout.page(figure, graph_config(app), counties, ds.belts(), ds.indicator_catalogue(), vocab.years,
                                ds.meta()["source_document"], state, audience is Audience.STAFF,
                                illustration(ds), legend_groups(figure, state.layers) if figure else ())
