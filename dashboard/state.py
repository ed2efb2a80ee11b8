"""The whole view state in one serialisable object.

It lives in the URL (``?belt=B03&layers=villages,belts&year=2018``), in the page's store, and
later in tours, briefing stories and exports. Everything a client sends is parsed here and checked
against the dataset's :class:`~geodata.vocabulary.Vocabulary`; anything unknown is dropped (and
reported), never trusted.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode

from geodata.vocabulary import Vocabulary

LAYERS = ("villages", "townships", "county", "belts", "rivers", "ponds", "advisers", "projects", "sites",
          "teams", "pairings", "stories")
DEFAULT_LAYERS = ("villages", "townships", "county", "belts", "rivers", "stories")
LANGS = ("zh", "en")
DEFAULT_YEAR = 2018


@dataclass(frozen=True)
class ViewState:
    """What the user is looking at. Immutable: change it with :meth:`with_`."""

    county: str | None = None  # the county drilled into (province-scale data only)
    township: str | None = None
    belt: str | None = None
    village: str | None = None
    story: str | None = None
    layers: tuple[str, ...] = DEFAULT_LAYERS
    measure: str = "none"  # "none" | "score" | "rating" | "pillar:<pillar>" | "indicator:<indicator>"
    year: int = DEFAULT_YEAR
    lang: str = "zh"
    problems: tuple[str, ...] = field(default=(), compare=False)

    def with_(self, **changes) -> ViewState:
        return replace(self, problems=(), **changes)

    @property
    def scope(self) -> tuple[str, str | None]:
        """The most specific selection: ("village", code), ("belt", id), ("township", code), ("county", code)
        or ("county", None) for the whole dataset."""
        for kind in ("village", "belt", "township", "county"):
            value = getattr(self, kind)
            if value:
                return kind, value
        return "county", None

    def to_dict(self) -> dict:
        # By hand, not ``dataclasses.asdict`` (which deep-copies every field): a click serialises a dozen
        # states (the map's answer, cache keys, every export link), and asdict was a third of some callbacks.
        return {"county": self.county, "township": self.township, "belt": self.belt, "village": self.village,
                "story": self.story, "layers": list(self.layers), "measure": self.measure, "year": self.year,
                "lang": self.lang}

    def to_query(self) -> str:
        """The state as a URL query string (defaults left out, so links stay short)."""
        default = ViewState().to_dict()
        params = {}
        for key, value in self.to_dict().items():
            if value != default[key]:
                params[key] = ",".join(value) if key == "layers" else value
        return ("?" + urlencode(params)) if params else ""

    @classmethod
    def from_dict(cls, data: object, vocab: Vocabulary) -> ViewState:
        """Parse untrusted ``data``; unknown or malformed values fall back to defaults and are
        listed in ``problems``."""
        if not isinstance(data, dict):
            return cls(problems=("view state is not an object",))
        problems: list[str] = []
        out: dict = {}

        def pick(key: str, allowed) -> str | None:
            value = data.get(key)
            if value in (None, ""):
                return None
            if isinstance(value, str) and value in allowed:
                return value
            problems.append(f"unknown {key} {str(value)[:40]!r}")
            return None

        out["county"] = pick("county", vocab.counties)
        out["township"] = pick("township", vocab.townships)
        out["belt"] = pick("belt", vocab.belts)
        out["village"] = pick("village", vocab.villages)
        out["story"] = pick("story", vocab.stories)
        layers = data.get("layers")
        if layers is not None:
            if isinstance(layers, str):
                layers = [x for x in layers.split(",") if x]
            if isinstance(layers, (list, tuple)):
                bad = [str(x)[:20] for x in layers if x not in LAYERS]
                problems += [f"unknown layer {b!r}" for b in bad]
                out["layers"] = tuple(x for x in LAYERS if x in layers)
            else:
                problems.append("layers is not a list")
        measure = data.get("measure")
        if measure is not None:
            if valid_measure(measure, vocab):
                out["measure"] = measure
            else:
                problems.append(f"unknown measure {str(measure)[:40]!r}")
        year = data.get("year")
        if year is not None:
            try:
                y = int(year)
            except (TypeError, ValueError):
                y = None
            if y in vocab.years:
                out["year"] = y
            else:
                problems.append(f"unknown year {str(year)[:10]!r}")
        lang = data.get("lang")
        if lang is not None:
            if lang in LANGS:
                out["lang"] = lang
            else:
                problems.append(f"unknown language {str(lang)[:10]!r}")
        return cls(**out, problems=tuple(problems))

    @classmethod
    def from_query(cls, query: str | None, vocab: Vocabulary) -> ViewState:
        """Parse a URL query string such as ``?belt=B03&year=2017``."""
        if not query:
            return cls()
        parsed = {k: v[-1] for k, v in parse_qs(query.lstrip("?"), keep_blank_values=False).items()}
        return cls.from_dict(parsed, vocab)


def county_of(code: str | None, vocab: Vocabulary) -> str | None:
    """The drill-in county of a code, on province-scale data (None when the data is one county)."""
    return code[:6] if code and len(vocab.counties) > 1 else None


def select_county(state: ViewState, county: str) -> ViewState:
    return state.with_(county=county, township=None, belt=None, village=None, story=None)


def select_belt(state: ViewState, belt: str, township: str | None, county: str | None = None) -> ViewState:
    """Select a belt (its main township stays in the breadcrumb)."""
    return state.with_(county=county, township=township, belt=belt, village=None, story=None)


def select_village(state: ViewState, village: str, township: str | None, belt: str | None,
                   county: str | None = None) -> ViewState:
    """Select a village with the township and belt it belongs to."""
    return state.with_(county=county, township=township, belt=belt, village=village, story=None)


def select_township(state: ViewState, township: str, county: str | None = None) -> ViewState:
    return state.with_(county=county, township=township, belt=None, village=None, story=None)


def select_story(state: ViewState, story: str, village: str | None, township: str | None,
                 belt: str | None, county: str | None = None) -> ViewState:
    return state.with_(county=county, township=township, belt=belt, village=village, story=story)


BREADCRUMB_LEVELS = ("top", "county", "township", "belt", "village", "story")


def step_back(state: ViewState, level: str) -> ViewState:
    """Go back to ``level`` of the breadcrumb: everything more specific is cleared."""
    if level not in BREADCRUMB_LEVELS:
        return state
    keep = BREADCRUMB_LEVELS[: BREADCRUMB_LEVELS.index(level) + 1]
    return state.with_(**{k: getattr(state, k) if k in keep else None for k in BREADCRUMB_LEVELS[1:]})


def clear_selection(state: ViewState) -> ViewState:
    """Esc, or a click on empty map: back to the whole county in view ("返回全县"). Inside a county drilled into
    (province data) that keeps the county; only from the county itself, with nothing chosen in it, does it go
    back to the top."""
    whole_county = step_back(state, "county")
    return whole_county if whole_county != state else step_back(state, "top")


def valid_measure(measure: object, vocab: Vocabulary) -> bool:
    if not isinstance(measure, str):
        return False
    if measure in ("none", "score", "rating"):
        return True
    kind, _, name = measure.partition(":")
    return (kind == "pillar" and name in vocab.pillars) or (kind == "indicator" and name in vocab.indicators)
