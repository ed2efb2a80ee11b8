"""What every format reader returns: layers as read, before CRS conversion and schema checks."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class RawLayer:
    """One layer of an imported file.

    ``name`` is what the file calls it (a GeoPackage layer, a sheet, or the file's stem); the
    importer maps it to a schema layer. ``frame`` is a GeoDataFrame (with the CRS the file
    declares, possibly none) for spatial data, a DataFrame of text for tables.
    """

    name: str
    frame: pd.DataFrame
