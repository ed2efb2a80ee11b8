"""Who is looking: what each audience may see. Enforced here, at the data door, so that a
builder or callback only ever receives what its audience may be shown."""

from __future__ import annotations

import enum
import re

import pandas as pd

from geodata.build.bulletin import PERSONAL_NAMES


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


# Layers whose `name` column names a person: the public sees the post or role (kept in its own
# column) but never the name.
PERSON_LAYERS = ("river_chiefs", "pond_chiefs", "cadres", "advisers", "people")
RESTRICTED_LAYERS = {"cadre_ratings"}
_NAMES_RE = re.compile("|".join(map(re.escape, PERSONAL_NAMES)))


def redact(layer: str, frame: pd.DataFrame, audience: Audience) -> pd.DataFrame:
    """``frame`` as ``audience`` may see it."""
    if audience is Audience.STAFF:
        return frame
    if layer in RESTRICTED_LAYERS:
        raise PermissionError(f"layer '{layer}' is not shown to the public audience")
    if layer in PERSON_LAYERS and "name" in frame:
        frame = frame.copy()
        frame["name"] = ""
    if layer == "post_holders" and "end_reason" in frame:  # why a term ended tells a grey rating
        frame = frame.copy()
        frame["end_reason"] = ""
    if layer == "stories":
        frame = frame.copy()
        frame["text"] = frame.text.map(lambda t: _NAMES_RE.sub(lambda m: m.group(0)[0] + "某", t))
    return frame
