"""What the data says about itself: which layers are illustrative, as of when, from which source."""

from __future__ import annotations

from functools import lru_cache

from geodata.dataset import Dataset


@lru_cache(maxsize=8)
def illustrative_layers(ds: Dataset) -> tuple[str, ...]:
    """Layers the provenance table flags synthetic (empty when every layer is surveyed data)."""
    prov = ds.provenance()
    return tuple(str(name) for name, synthetic in zip(prov.layer, prov.synthetic) if bool(synthetic))


def as_of(ds: Dataset) -> str:
    """The year the data describes (the ledger's year), '' when the dataset does not say."""
    return str(ds.meta().get("ledger_year", ""))


def source_document(ds: Dataset) -> str:
    return str(ds.meta().get("source_document", ""))
