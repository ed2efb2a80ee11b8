"""The one door to data. Nothing here does I/O at import time.

    >>> from geodata import open_dataset
    >>> ds = open_dataset()          # the shipped dataset, cached
    >>> ds.villages()                # a read-only GeoDataFrame (copy-on-write)
    >>> open_dataset("var/data")     # a data store: its published version (see geodata.versions)

New data enters only through ``python -m geodata validate|import`` or the /admin page (geodata.importing).
"""

from geodata.audience import Audience
from geodata.dataset import DEFAULT_PATH, Dataset, open_dataset
from geodata.errors import DataError
from geodata.schema import LAYERS, PILLARS

__all__ = ["Audience", "DEFAULT_PATH", "DataError", "Dataset", "LAYERS", "PILLARS", "open_dataset"]
