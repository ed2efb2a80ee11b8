"""The known identifiers of a dataset, used to validate anything a client sends."""

from __future__ import annotations

from dataclasses import dataclass

from geodata.cache import per_dataset
from geodata.dataset import Dataset
from geodata.schema import PILLARS


@dataclass(frozen=True)
class Vocabulary:
    belts: frozenset[str]
    villages: frozenset[str]
    townships: frozenset[str]
    indicators: frozenset[str]
    years: tuple[int, ...]
    stories: frozenset[str] = frozenset()
    counties: frozenset[str] = frozenset()
    pillars: tuple[str, ...] = PILLARS


@per_dataset()
def vocabulary(ds: Dataset) -> Vocabulary:
    """Identifiers of ``ds`` (cached per dataset)."""
    ind = ds.indicators()
    return Vocabulary(
        belts=frozenset(ds.belts().belt_id),
        villages=frozenset(ds.villages().code),
        townships=frozenset(ds.townships().code),
        indicators=frozenset(ds.indicator_catalogue().indicator),
        years=tuple(sorted(int(y) for y in ind.year.unique())),
        stories=frozenset(ds.layer("stories").story_id),
        counties=frozenset(ds.county().code),
    )
