"""Answers built once as the JSON tree Dash sends, so a cached answer is not serialised component by component
on every request."""

from __future__ import annotations

import json

from plotly.io.json import to_json_plotly


def json_tree(value: object) -> object:
    """``value`` (Dash components, figures, lists of them) as plain JSON data: a component becomes the
    ``{"type", "namespace", "props"}`` object dash-renderer receives for it.

    Dash turns a component into that object on every answer (a call per component, recursively: a belt's
    panel is about a hundred); the plain form it sends as it is, and dash-renderer cannot tell the two apart.

    Parameters
    ----------
    value : object
        Anything Dash can send as a callback's output.

    Returns
    -------
    object
        The same value as dicts, lists, strings and numbers.
    """
    return json.loads(to_json_plotly(value))
