"""The 示意 marks and notes, worded from what :mod:`geodata.provenance` derives from the data (pure).

Nothing here decides which layer is illustrative: every function takes the dataset's
:class:`~geodata.provenance.Illustrative` and words it, so that a surveyed layer loses its mark on the
map, in the legend, in the notice and in the exports at once.
"""

from __future__ import annotations

from geodata.provenance import Illustrative

# The map's switchable layers (ViewState.layers) and the data layers each one draws.
SWITCH_DATA: dict[str, tuple[str, ...]] = {
    "villages": ("villages",), "townships": ("townships",), "county": ("county",), "belts": ("belts",),
    "rivers": ("rivers",), "ponds": ("ponds",), "advisers": ("advisers",), "projects": ("projects",),
    "sites": ("sites",), "teams": ("cadres", "departments"), "pairings": ("pairings",), "stories": ("stories",),
}

# Parts of the dataset the notices name, in order: (data layers, zh, en). ``()`` is always real (the
# registry's names and codes, whatever the shapes).
_PEOPLE = ("people", "post_holders", "river_chiefs", "pond_chiefs", "cadres", "cadre_ratings", "advisers")
_PARTS = (
    (("county",), "县界", "the county outline"),
    ((), "乡镇与村名称编码", "official township and village names and codes"),
    (("townships",), "乡镇界", "township boundaries"),
    (("villages",), "村界", "village boundaries"),
    (("rivers",), "河流", "rivers"),
    (("belts",), "示范带路线", "belt routes"),
    (("ponds",), "山塘", "ponds"),
    (_PEOPLE, "人员", "people"),
    (("indicators",), "各项指标", "indicators"),
)
# Rivers may be real in part: the main rivers real, the tributaries generated.
_RIVERS_SPLIT = (("主要河流", "the main rivers"), ("支流", "tributaries"))


def marked_switches(ill: Illustrative) -> frozenset[str]:
    """The switchable map layers whose every drawn layer is illustrative."""
    return frozenset(k for k, layers in SWITCH_DATA.items() if all(n in ill.layers for n in layers))


def shown_layers(switches: tuple[str, ...] | list[str], *extra: str) -> frozenset[str]:
    """Data layers behind the map switches ``switches`` (plus ``extra`` data layers, e.g. "indicators")."""
    return frozenset(n for s in switches for n in SWITCH_DATA.get(s, ())) | frozenset(extra)


def state_layers(switches: tuple[str, ...] | list[str], measure: str) -> frozenset[str]:
    """Data layers a map of a view state shows: its switched-on layers and what colours the villages."""
    colour = () if measure == "none" else (("cadre_ratings",) if measure == "rating" else ("indicators",))
    return shown_layers(switches, *colour)


def _parts(ill: Illustrative, lang: str, within: frozenset[str] | None) -> tuple[list[str], list[str]]:
    """(real parts, illustrative parts) of the dataset in ``lang``; only of the layers ``within`` if given."""
    en = lang == "en"
    real, made = [], []
    for layers, zh_name, en_name in _PARTS:
        name = en_name if en else zh_name
        if not layers:
            if within is None:
                real.append(name)
        elif within is not None and not any(n in within for n in layers):
            continue
        elif layers == ("rivers",) and "rivers" in ill.partly:
            (real_name, made_name) = (pair[1] if en else pair[0] for pair in _RIVERS_SPLIT)
            real.append(real_name)
            made.append(made_name)
        elif ill.some_of(*layers):
            made.append(name)
        else:
            real.append(_RIVERS_SPLIT[0][1 if en else 0] if layers == ("rivers",) else name)
    return real, made


def _list(items: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(items)
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1]


def notice(ill: Illustrative, lang: str) -> tuple[str, str] | None:
    """(label, text) of the page's notice, or None when no layer is illustrative."""
    real, made = _parts(ill, lang, None)
    if not made:
        return None
    if lang == "zh":
        text = (f"{_list(real, lang)}为真实数据;" if real else "") + \
            f"{_list(made, lang)}为按公报数字生成的示意数据,不代表实测。"
        return "示意数据", text
    text = (f"{_list(real, lang)} are real; " if real else "") + \
        f"{_list(made, lang)} are synthetic, generated to agree with the bulletin's figures, not surveyed."
    return "Illustrative data", text[0].upper() + text[1:]


def export_note(ill: Illustrative, lang: str, shown: frozenset[str] | None = None) -> str:
    """The short note an exported picture or page carries: which of what it shows (data layers ``shown``,
    all if None) is illustrative; "" when none of it is."""
    _, made = _parts(ill, lang, shown)
    if not made:
        return ""
    if lang == "zh":
        return f"示意数据(非实测):{_list(made, lang)}"
    return f"Illustrative, not surveyed: {_list(made, lang)}"


def mark(label: str, illustrative: bool, word: str) -> str:
    """A legend or switch label with its mark, ``word`` being 示意 / illustrative in the viewer's language."""
    return f"{label} ({word})" if illustrative else label
