"""A dataset whose every text field carries plotly markup, to prove that data text is drawn as text."""

from __future__ import annotations

from pathlib import Path

from geodata import LAYERS, open_dataset
from geodata.build.generate import write_gpkg

PAYLOAD = '<a href="http://x">x</a><b>b</b>'
# Every free-text column (names, titles, themes, stories, labels); codes, IDs and fixed vocabularies the app
# computes with (kind, status, pillar, rating, role) stay as they are, so the app still runs.
TEXT_COLUMNS = {"name", "name_en", "official_name", "title", "title_en", "text", "theme", "residence",
                "river_name", "field", "topic", "label_zh", "label_en", "name_zh", "quote", "source_document"}


def poisoned_gpkg(out: Path) -> Path:
    """The shipped dataset with :data:`PAYLOAD` in front of every text field, written to ``out``."""
    ds = open_dataset()
    layers = {}
    for name, spec in LAYERS.items():
        frame = ds.layer(name).copy()
        for column in frame.columns:
            if column in TEXT_COLUMNS and spec.columns.get(column) == "str":
                frame[column] = [PAYLOAD + v if isinstance(v, str) else v for v in frame[column]]
        if name == "meta":
            frame["value"] = [PAYLOAD + v if k == "source_document" else v for k, v in zip(frame.key, frame.value)]
        layers[name] = frame
    write_gpkg(layers, out)
    return out
