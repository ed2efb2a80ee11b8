"""The wall's tour: its settings (the store's ``wall.json`` under the URL's query) and its steps.

A tour is a sequence of :class:`~dashboard.state.ViewState`: the county overview, then one step per belt. The
wall is the explorer's map driven by those states. Everything here is pure (the caller passes the dataset's
vocabulary and belt table), so it is tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from dashboard.rooms import valid_room
from dashboard.state import ViewState, select_belt
from geodata.wall_settings import DWELL_RANGE, IDLE_RANGE, LANGS, WallSettings, parse_belt_list, parse_seconds

WALL_PATH = "/wall"
QUERY_KEYS = ("dwell", "idle", "belts", "lang", "step", "room")
MAX_QUERY = 2000  # a longer query is not read at all


@dataclass(frozen=True)
class TourConfig:
    """A wall's tour as it runs: ``steps`` are belt IDs, ``None`` for the county overview (always first)."""

    dwell: float
    idle: float
    lang: str
    steps: tuple[str | None, ...]
    start: int = 1  # 1-based step the page opens on (``step=K`` in the URL)
    room: str | None = None  # the presenter's room the wall follows (``room=R``): see dashboard.rooms
    problems: tuple[str, ...] = field(default=(), compare=False)

    @property
    def count(self) -> int:
        return len(self.steps)

    def to_client(self, data_version: str, build: str) -> dict:
        """What the browser's tour timer needs (and nothing else)."""
        return {"dwell": self.dwell, "idle": self.idle, "lang": self.lang, "count": self.count,
                "start": self.start, "belts": [b or "" for b in self.steps], "version": data_version,
                "build": build, "room": self.room}


def _query(search: str | None) -> dict[str, str]:
    if not search or len(search) > MAX_QUERY:
        return {}
    return {k: v[-1] for k, v in parse_qs(search.lstrip("?"), keep_blank_values=True).items()}


def tour_config(search: str | None, defaults: WallSettings, known_belts: tuple[str, ...]) -> TourConfig:
    """The tour for the URL query ``search`` over the wall's ``defaults``; every bad value is reported (and its
    default used). ``known_belts`` are the dataset's belt IDs in tour order."""
    problems = list(defaults.problems)
    if search and len(search) > MAX_QUERY:
        problems.append(f"query longer than {MAX_QUERY} characters: ignored")
    query = _query(search)
    problems += [f"unknown parameter {k[:20]!r}" for k in sorted(query) if k not in QUERY_KEYS]
    dwell, idle, lang, belts = defaults.dwell, defaults.idle, defaults.lang, defaults.belts
    for key, bounds in (("dwell", DWELL_RANGE), ("idle", IDLE_RANGE)):
        if key in query:
            seconds, problem = parse_seconds(query[key], key, bounds)
            if problem:
                problems.append(problem)
            elif key == "dwell":
                dwell = seconds
            else:
                idle = seconds
    if "lang" in query:
        if query["lang"] in LANGS:
            lang = query["lang"]
        else:
            problems.append(f"lang {query['lang'][:10]!r} is not zh or en")
    if "belts" in query:
        parsed, bad = parse_belt_list(query["belts"])
        problems += bad
        if parsed is not None:
            belts = parsed
    unknown = [b for b in belts if b not in known_belts]
    problems += [f"belts: unknown belt {b!r}" for b in unknown]
    chosen = tuple(b for b in belts if b in known_belts) or known_belts
    steps: tuple[str | None, ...] = (None, *chosen)
    start = 1
    if "step" in query:
        try:
            k = int(query["step"])
        except ValueError:
            k = 0
        if 1 <= k <= len(steps):
            start = k
        else:
            problems.append(f"step {query['step'][:10]!r} is not between 1 and {len(steps)}")
    room = None
    if "room" in query:
        if valid_room(query["room"]):
            room = query["room"]
        else:
            problems.append("room: letters, digits, - and _ only (up to 32)")
    return TourConfig(dwell=dwell, idle=idle, lang=lang, steps=steps, start=start, room=room,
                      problems=tuple(problems))


def step_state(config: TourConfig, step: int, township_of: dict[str, str | None]) -> ViewState:
    """The view state of 1-based ``step`` (clamped into the tour): the county, or the belt framed and
    highlighted with its main township. ``township_of`` maps belt IDs to their township."""
    k = min(max(int(step), 1), config.count)
    belt = config.steps[k - 1]
    base = ViewState(lang=config.lang)
    return base if belt is None else select_belt(base, belt, township_of.get(belt))
