"""Who is looking: what each audience may see. Enforced here, at the data door, so that a
builder or callback only ever receives what its audience may be shown.

What is personal is marked by field in :mod:`geodata.schema` (``LayerSpec.personal``, ``names_in``,
``restricted``); :func:`redact` masks by those marks, for every layer alike.
"""

from __future__ import annotations

import enum

import pandas as pd

from geodata.schema import LAYERS

NAME_SEPARATOR = "|"


class Audience(enum.Enum):
    """``public``: wall displays and visitors, no personal names, no cadre ratings.
    ``staff``: the organisation department, everything."""

    PUBLIC = "public"
    STAFF = "staff"

    @classmethod
    def parse(cls, value: str | None) -> Audience:
        try:
            return cls(str(value).lower())
        except ValueError:
            raise ValueError(f"unknown audience {value!r}; expected 'public' or 'staff'") from None


def mask_name(name: str) -> str:
    """"陈强龙" -> "陈某": the family name stays so the sentence still reads."""
    return name[:1] + "某" if name else name


def mask_names(text: object, names: object) -> object:
    """``text`` with each of ``names`` ("|"-separated) masked; anything not a string is left as it is."""
    if not isinstance(text, str) or not isinstance(names, str) or not names:
        return text
    for name in sorted(filter(None, names.split(NAME_SEPARATOR)), key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text


def redact(layer: str, frame: pd.DataFrame, audience: Audience) -> pd.DataFrame:
    """``frame`` as ``audience`` may see it: for the public, names in free text masked, personal fields
    emptied; a restricted layer refused."""
    if audience is Audience.STAFF:
        return frame
    spec = LAYERS.get(layer)
    if spec is None:
        return frame
    if spec.restricted:
        raise PermissionError(f"layer '{layer}' is not shown to the public audience")
    marked = [c for c in spec.personal if c in frame]
    free_text = [(t, n) for t, n in spec.names_in if t in frame and n in frame]
    if not marked and not free_text:
        return frame
    frame = frame.copy()
    for text_col, names_col in free_text:
        frame[text_col] = [mask_names(t, n) for t, n in zip(frame[text_col], frame[names_col])]
    for col in marked:
        frame[col] = ""
    return frame


def public_columns(layer: str) -> list[str]:
    """The columns of ``layer`` that hold no personal data (what a public export may carry)."""
    spec = LAYERS[layer]
    return [c for c in spec.kinds if c not in spec.personal]
