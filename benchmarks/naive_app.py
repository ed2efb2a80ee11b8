"""The naive baseline as a real app: the same map in a tiny Dash app whose one callback rebuilds the whole figure.

``python -m benchmarks.naive_app --port 8171 [--data FILE.gpkg] [--width 1000 --height 700]`` serves it on
127.0.0.1. It is how a first Dash map is usually written: ``dcc.Graph`` with plotly.js as Dash serves it, one
callback from ``clickData`` to ``figure`` that builds a validated :class:`plotly.graph_objects.Figure` with the
village geometry inline (:func:`benchmarks.baseline.naive_figure`: the app's own styling steps, so it draws
the same map, framed and labelled the same) and sends all of it, Dash's own development server, no
compression. A click on a belt, village, township or story selects it (checked by the app's own
``callbacks.explorer.select``); anything else shows the whole county. The benchmark serves it beside the
real app and clicks both in the same browser, so the ratio is measured, not computed.

Offline: plotly.js comes from dash's own package and the world topojson from the project's ``assets/``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dash import Dash, Input, Output, dcc, html
from flask import send_from_directory

from benchmarks.baseline import naive_figure
from callbacks.explorer import select
from dashboard.config import Settings
from dashboard.state import ViewState
from geodata import DEFAULT_PATH, open_dataset

ROOT = Path(__file__).resolve().parents[1]
TOPOJSON = ROOT / "assets" / "topojson"
GRAPH = "map"  # the same id as the app's map, so the benchmark's page scripts read both


def create_naive_app(data_path: Path | None = None, size: tuple[int, int] = (1000, 700)) -> Dash:
    """The naive app for ``data_path`` (default: the shipped data), its map ``size`` (width, height) px."""
    settings = Settings(data_path=data_path or DEFAULT_PATH)
    ds = open_dataset(settings.data_path)
    # An empty assets folder: none of the real app's scripts or styles (its plotly bundle included).
    app = Dash(__name__, assets_folder=str(ROOT / "benchmarks" / "naive_assets"), title="naive baseline")

    def figure_for(state: ViewState):
        return naive_figure(state.to_dict(), settings, ds, size)

    @app.server.route("/topojson/<path:name>")
    def _topojson(name: str):
        return send_from_directory(TOPOJSON, name)

    app.layout = html.Div([
        dcc.Graph(id=GRAPH, figure=figure_for(ViewState()),
                  config={"topojsonURL": "/topojson/", "displaylogo": False},
                  style={"width": f"{size[0]}px", "height": f"{size[1]}px"}),
    ])

    @app.callback(Output(GRAPH, "figure"), Input(GRAPH, "clickData"), prevent_initial_call=True)
    def _click(click_data):
        try:
            kind, _, ident = str(click_data["points"][0].get("customdata") or "").partition(":")
        except (TypeError, KeyError, IndexError, AttributeError):
            kind = ident = ""
        state = select(ds, ViewState(), kind, ident) or ViewState()
        return figure_for(state)

    return app


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.naive_app", description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--data", type=Path)
    p.add_argument("--width", type=int, default=1000)
    p.add_argument("--height", type=int, default=700)
    args = p.parse_args(argv)
    app = create_naive_app(args.data, (args.width, args.height))
    app.run(host="127.0.0.1", port=args.port, debug=False, threaded=True)


if __name__ == "__main__":
    main()
