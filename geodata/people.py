"""Village cadres as people: who holds a post, and its chief duty, now or in a given year.

A post (村书记, 村主任, 村委委员 of a village) has one holder at a time; ``post_holders`` lists each
holding with its years (``from_year`` to ``to_year``, both included), and the chief layers
(``river_chiefs``, ``pond_chiefs``) list each term of the duty the same way. The *current* holder is
the one whose term starts last: a holder removed after a grey rating has a successor who starts later.
"""

from __future__ import annotations

import pandas as pd

from geodata.dataset import Dataset


def current_terms(frame: pd.DataFrame, by: tuple[str, ...] = ("village_code",)) -> pd.DataFrame:
    """The latest term per ``by`` of a frame of terms (a chief layer or ``post_holders``), in the
    frame's order. A frame without ``from_year`` (one row per village, as older files have it) is
    all current."""
    if "from_year" not in frame or frame.empty:
        return frame
    latest = frame.groupby(list(by), sort=False).from_year.transform("max")
    return frame[frame.from_year == latest].drop_duplicates(list(by), keep="last")


def terms_in(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The terms of ``frame`` running in ``year``."""
    if "from_year" not in frame:
        return frame
    return frame[(frame.from_year <= year) & (frame.to_year >= year)]


def current_holders(ds: Dataset) -> pd.DataFrame:
    """Each post's current holding (``post_holders`` columns; no names: join ``people`` where the
    audience may see them)."""
    return current_terms(ds.layer("post_holders"), ("village_code", "post"))


def predecessors(frame: pd.DataFrame, by: tuple[str, ...] = ("village_code",)) -> pd.DataFrame:
    """The terms of ``frame`` that someone else's later term followed."""
    if "from_year" not in frame or frame.empty:
        return frame.iloc[0:0]
    return frame.drop(current_terms(frame, by).index)
