"""Village posts and the people who hold them: 村书记, 村主任 and a 村委委员 seat in every village,
the 2018 red/yellow/grey ratings of their holders, and the river and pond-chief duties that go with
the posts (the secretary is the village's river chief, the director its pond chief).

People are people: each holder has a ``person_id``; a post has one holder at a time; a holder rated
grey in the 2018 review was made to resign or removed (the bulletin: 责令辞职、罢免或免职) at the end of
that year, and a successor holds the post, and its chief duty, from the next year. All of it is
synthetic (placeholder names such as 汪某甲).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodata.build.society import placeholder_names

POSTS = ("村书记", "村主任", "村委委员")
TERM = (2017, 2020)  # the village committees elected in Zhejiang's 2017 re-election, to the 2020 one
RATING_YEAR = 2018
GREY_ENDINGS = ("责令辞职", "罢免", "免职")
CHIEF_DUTIES = {"river_chiefs": ("河长", "村书记"), "pond_chiefs": ("塘长", "村主任")}


@dataclass(frozen=True)
class PostTables:
    people: pd.DataFrame  # person_id, name, village_code, synthetic
    post_holders: pd.DataFrame  # holding_id, village_code, post, person_id, from_year, to_year, end_reason
    ratings: pd.DataFrame  # rating_id, village_code, post, person_id, rating, year
    chiefs: dict[str, pd.DataFrame]  # river_chiefs, pond_chiefs: one row per term of the duty


def _rated_slots(n_slots: int, counts: dict[str, int], rng: np.random.Generator) -> dict[int, str]:
    """Distinct (village, post) slots and their colour: no post is rated twice in a year."""
    total = sum(counts.values())
    if total > n_slots:
        raise ValueError(f"{total} ratings do not fit in {n_slots} posts")
    chosen = rng.choice(n_slots, total, replace=False)
    colours = [colour for colour, n in counts.items() for _ in range(n)]
    return dict(zip(chosen.tolist(), colours))


def post_tables(villages: pd.DataFrame, counts: dict[str, int], first_names: dict[str, list[str]],
                rng: np.random.Generator) -> PostTables:
    """Holders of every post of every administrative village over the 2017-2020 term, their ratings in
    ``RATING_YEAR`` (``counts`` per colour) and the chief duties of the secretaries and directors.

    ``first_names`` gives the names of the term's first holders of some posts, village by village in
    code order (the build keeps the secretaries' and directors' names it has always drawn); every other
    name is drawn from ``rng``.
    """
    codes = sorted(villages[villages.kind == "村"].code)
    slots = [(code, post) for code in codes for post in POSTS]
    rated = _rated_slots(len(slots), counts, rng)
    grey = sorted(i for i, colour in rated.items() if colour == "灰")
    given = {(code, post): name for post, names in first_names.items() for code, name in zip(codes, names)}
    drawn = iter(placeholder_names(len(slots) + len(grey), rng))
    endings = rng.choice(GREY_ENDINGS, len(grey))
    people, holders, ratings = [], [], []

    def person(code: str, name: str) -> str:
        pid = f"P{len(people) + 1:04d}"
        people.append({"person_id": pid, "name": name, "village_code": code, "synthetic": True})
        return pid

    def hold(code: str, post: str, pid: str, start: int, end: int, reason: str = "") -> None:
        holders.append({"holding_id": f"H{len(holders) + 1:04d}", "village_code": code, "post": post,
                        "person_id": pid, "from_year": start, "to_year": end, "end_reason": reason,
                        "synthetic": True})

    for i, (code, post) in enumerate(slots):
        pid = person(code, given.get((code, post)) or next(drawn))
        colour = rated.get(i)
        if colour is not None:
            ratings.append({"village_code": code, "post": post, "person_id": pid, "rating": colour,
                            "year": RATING_YEAR, "synthetic": True})
        if colour == "灰":
            hold(code, post, pid, TERM[0], RATING_YEAR, str(endings[grey.index(i)]))
            hold(code, post, person(code, next(drawn)), RATING_YEAR + 1, TERM[1])
        else:
            hold(code, post, pid, *TERM)
    holders_frame = pd.DataFrame(holders)
    rating_frame = pd.DataFrame(ratings)
    rating_frame.insert(0, "rating_id", [f"RT{i + 1:03d}" for i in range(len(rating_frame))])
    return PostTables(pd.DataFrame(people), holders_frame, rating_frame,
                      {layer: chief_terms(holders_frame, pd.DataFrame(people), role, post)
                       for layer, (role, post) in CHIEF_DUTIES.items()})


def chief_terms(holders: pd.DataFrame, people: pd.DataFrame, role: str, post: str) -> pd.DataFrame:
    """The chief duty ``role`` held by whoever holds ``post``, term by term (one row per holding)."""
    held = holders[holders.post == post].merge(people[["person_id", "name"]], on="person_id")
    held = held.sort_values(["village_code", "from_year"], ignore_index=True)
    return pd.DataFrame({"village_code": held.village_code, "role": role, "post": post, "name": held.name,
                         "person_id": held.person_id, "from_year": held.from_year, "to_year": held.to_year,
                         "synthetic": True})
