"""The one door to data. Nothing here does I/O at import time.

    >>> from geodata import open_dataset
    >>> ds = open_dataset()          # the shipped dataset, cached
    >>> ds.villages()                # a read-only GeoDataFrame (copy-on-write)
    >>> open_dataset("var/data")     # a data store: its published version (see geodata.versions)
    >>> open_dataset("postgresql://...")   # PostgreSQL + PostGIS: its published version (geodata.postgis)
    >>> backend_for(settings).kind   # "gpkg" | "postgis": who stores the versions (geodata.backend)

New data enters only through ``python -m geodata validate|import`` or the /admin page (geodata.importing).
"""

from geodata.audience import Audience
from geodata.dataset import DEFAULT_PATH, Dataset, open_dataset
from geodata.errors import DataError
from geodata.schema import LAYERS, PILLARS

__all__ = ["Audience", "DEFAULT_PATH", "DataError", "Dataset", "LAYERS", "PILLARS", "backend_for", "open_dataset"]


def backend_for(source: object):  # -> geodata.backend.Backend (imported on use: it pulls in the importer)
    """The backend serving ``source`` (Settings, a ``postgresql://`` URL, a store folder or a .gpkg): see
    :func:`geodata.backend.backend_for`."""
    from geodata.backend import backend_for as _backend_for

    return _backend_for(source)
