"""Which layers are illustrative, derived from the data: the ``provenance`` layer (one row per layer)
and the features' own ``synthetic`` flags. Nothing that shows a 示意 mark decides it by itself.

A layer is *illustrative* when its provenance row says synthetic or every feature it has is flagged
synthetic; *partly illustrative* when only some are (the real 马金溪 and 池淮溪 beside generated
tributaries). Importing surveyed village boundaries (``synthetic`` false) therefore takes the mark off
the village layer, and only off it.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import pandas as pd

from geodata.dataset import Dataset
from geodata.schema import LAYERS


@dataclass(frozen=True)
class Illustrative:
    """The illustrative layers of one dataset."""

    layers: frozenset[str]  # every feature synthetic (or the provenance says so)
    partly: frozenset[str]  # some features synthetic, some real

    def any_of(self, *names: str) -> bool:
        """True if any of the layers ``names`` is wholly illustrative."""
        return any(n in self.layers for n in names)

    def some_of(self, *names: str) -> bool:
        """True if any of the layers ``names`` is illustrative at least in part."""
        return any(n in self.layers or n in self.partly for n in names)


NOTHING = Illustrative(frozenset(), frozenset())  # surveyed data throughout

_CACHE: weakref.WeakKeyDictionary[Dataset, Illustrative] = weakref.WeakKeyDictionary()  # goes with its dataset
_LOCK = threading.Lock()


def _flags(frame: pd.DataFrame) -> pd.Series | None:
    if "synthetic" not in frame or frame.empty:
        return None
    return frame["synthetic"].fillna(True).astype(bool)


def derive(provenance: pd.DataFrame, layer_flags: dict[str, pd.Series | None]) -> Illustrative:
    """Pure rule: ``provenance`` rows (layer, synthetic) and each layer's feature flags (None: no flags)."""
    said = dict(zip(provenance.layer, provenance.synthetic.fillna(False).astype(bool)))
    whole, partly = set(), set()
    for name in set(said) | set(layer_flags):
        flags = layer_flags.get(name)
        if said.get(name, False) or (flags is not None and bool(flags.all())):
            whole.add(name)
        elif flags is not None and bool(flags.any()):
            partly.add(name)
    return Illustrative(frozenset(whole), frozenset(partly))


def illustration(ds: Dataset) -> Illustrative:
    """The illustrative and partly illustrative layers of ``ds`` (cached per dataset)."""
    with _LOCK:
        cached = _CACHE.get(ds)
    if cached is not None:
        return cached
    prov = ds.provenance()
    said = dict(zip(prov.layer, prov.synthetic.fillna(False).astype(bool)))
    # A layer its provenance calls synthetic is illustrative whatever its rows say: no need to read it.
    # (The provenance layer's own ``synthetic`` column describes the other layers, not its rows.)
    flags = {name: _flags(ds.layer(name)) for name in prov.layer
             if not said.get(name, False) and name != "provenance" and name in LAYERS}
    result = derive(prov, flags)
    with _LOCK:
        _CACHE[ds] = result
    return result


def illustrative_layers(ds: Dataset) -> frozenset[str]:
    """Names of the layers of ``ds`` that are wholly illustrative."""
    return illustration(ds).layers


def partly_illustrative_layers(ds: Dataset) -> frozenset[str]:
    """Names of the layers of ``ds`` of which some features are illustrative and some real."""
    return illustration(ds).partly


def as_of(ds: Dataset) -> str:
    """The year the data describes (the ledger's year), '' when the dataset does not say."""
    return str(ds.meta().get("ledger_year", ""))


def source_document(ds: Dataset) -> str:
    return str(ds.meta().get("source_document", ""))
