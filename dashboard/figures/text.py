"""Text from data, made safe for plotly. plotly renders a subset of HTML in every text it draws (hover
labels, trace names, titles, tick and bar labels, annotations): ``<a href>`` becomes a live link, ``<b>``,
``<span style>`` restyle. Every builder passes data text through :func:`escape_plotly_text` (or
:func:`escape_frame` for whole tables), so a name is always drawn as the characters it holds; plotly turns
the entities back into those characters. The markup the builders add themselves (``<br>``, ``<sup>``) is
theirs and stays.

Dash components (the panels, the admin report) need none of this: React renders strings as text.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_plotly_text(value):
    """``value`` with ``&``, ``<`` and ``>`` as entities if it is a string; anything else as it is."""
    return value.translate(_ENTITIES) if isinstance(value, str) else value


def escape_list(values) -> list:
    return [escape_plotly_text(v) for v in values]


def escape_frame(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """A copy of ``frame`` whose text columns are escaped (codes and IDs never hold ``<&>``, so they stay equal)."""
    if frame is None:
        return None
    text_columns = [c for c in frame.columns if c != "geometry" and (frame[c].dtype == object
                                                                      or pd.api.types.is_string_dtype(frame[c]))]
    if not text_columns:
        return frame
    out = frame.copy()
    for column in text_columns:
        out[column] = [escape_plotly_text(v) for v in frame[column]]
    return out


def escape_frames(record):
    """A copy of a dataclass whose DataFrame fields (and nested dataclasses of frames) are escaped."""
    changes = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, pd.DataFrame):
            changes[f.name] = escape_frame(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes[f.name] = escape_frames(value)
    return dataclasses.replace(record, **changes)
