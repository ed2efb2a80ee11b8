"""What each export is made of: the cached producers of the map PNG/PDF sheets, the dossiers, the offline map
and the data files, and the URLs that ask for them. Pure of HTTP: the routes (``routes.py``) and the export job
worker (``worker.py``) both call these.
"""
from __future__ import annotations

from dashboard.config import Settings
from dashboard.exports.county_dossier import county_pages, ranking_lines
from dashboard.exports.data_files import to_bytes, village_table
from dashboard.exports.dossier import MAP_SIZE as DOSSIER_MAP_SIZE
from dashboard.exports.dossier import DossierMap, DossierMeta, dossier_pages
from dashboard.exports.names import romanise
from dashboard.exports.offline_map import offline_map
from dashboard.exports.render import render_pdf, render_png
from dashboard.exports.snapshot import ImageSize, print_map, sheet_text, snapshot_figure
from dashboard.figures.geometry import line_coords
from dashboard.figures.map import display_names
from dashboard.i18n import t
from dashboard.illustrative import export_note, state_layers
from dashboard.state import ViewState, county_of
from geodata import Audience, Dataset
from geodata.cache import per_dataset
from geodata.figures import belt_ranking, key_figures, pillar_history, pillar_summary, scope_name, scope_villages
from geodata.provenance import illustration
from geodata.queries import belt_detail, belt_member_table, belt_members, belt_township, bounds_of, layer_for
from geodata.schema import PILLARS
from geodata.scores import village_scores
from geodata.versions import data_edition
from geodata.vocabulary import vocabulary

MAP_ROUTE = "/export/map.png"
MAP_PDF_ROUTE = "/export/map.pdf"
DATA_ROUTE = "/export/data.<fmt>"
HTML_MAP_ROUTE = "/export/map.html"
DOSSIER_ROUTE = "/export/belt/<belt_id>.pdf"
COUNTY_ROUTE = "/export/county.pdf"
BRIEF_ROUTE = "/export/brief.pdf"
DOSSIER_LAYERS = ("villages", "townships", "county", "belts", "rivers")


def dossier_url(prefix: str, belt_id: str, lang: str, year: int) -> str:
    return f"{prefix.rstrip('/')}/export/belt/{belt_id}.pdf?lang={lang}&year={year}"


def map_png_url(prefix: str, state: ViewState, size: str) -> str:
    query = state.to_query()
    return f"{prefix.rstrip('/')}{MAP_ROUTE}{query}{'&' if query else '?'}size={size}"


def map_pdf_url(prefix: str, state: ViewState, size: str) -> str:
    query = state.to_query()
    return f"{prefix.rstrip('/')}{MAP_PDF_ROUTE}{query}{'&' if query else '?'}size={size}"


def data_url(prefix: str, state: ViewState, fmt: str) -> str:
    return f"{prefix.rstrip('/')}/export/data.{fmt}{state.to_query()}"


@per_dataset(maxsize=16)
def data_file(ds: Dataset, audience: Audience, state: ViewState, fmt: str) -> bytes:
    """The villages of ``state``'s scope in ``fmt`` for ``audience`` (cached per data version and request)."""
    return to_bytes(ds, village_table(ds, state, audience), fmt)


def county_url(prefix: str, state: ViewState) -> str:
    return f"{prefix.rstrip('/')}{COUNTY_ROUTE}?lang={state.lang}&year={state.year}"


def map_html_url(prefix: str, state: ViewState) -> str:
    return f"{prefix.rstrip('/')}{HTML_MAP_ROUTE}{state.to_query()}"


@per_dataset(maxsize=8)
def map_html(ds: Dataset, settings: Settings, audience: Audience, state: ViewState, day: str) -> bytes:
    """The offline visitors' map of ``state`` (cached per data version, audience, state and day)."""
    text = sheet_text(ds, state, audience, data_edition(ds.path), day, settings.title)
    return offline_map(ds, state, audience, text, settings.tiles_url).encode("utf-8")


def map_sheet(ds: Dataset, settings: Settings, audience: Audience, state: ViewState, size: ImageSize,
              day: str) -> dict:
    """The furnished map figure of ``state`` for ``audience`` at ``size`` (title, legend, scale bar, ...)."""
    text = sheet_text(ds, state, audience, data_edition(ds.path), day, settings.title)
    return print_map(state, audience, ds, size, text)


@per_dataset(maxsize=8)
def map_png(ds: Dataset, settings: Settings, audience: Audience, state: ViewState, size: ImageSize,
            day: str) -> bytes:
    """The PNG of ``state`` (cached per data version, audience, state, size and day: the footer has the date)."""
    return render_png(map_sheet(ds, settings, audience, state, size, day), size)


@per_dataset(maxsize=8)
def map_pdf(ds: Dataset, settings: Settings, audience: Audience, state: ViewState, size: ImageSize,
            day: str) -> bytes:
    """The same sheet as one vector PDF page of the paper ``size``."""
    return render_pdf([map_sheet(ds, settings, audience, state, size, day)])


def dossier_state(ds: Dataset, belt_id: str, lang: str, year: int) -> ViewState:
    """The view a dossier's map shows: the belt selected, in its township and (on province data, where a
    county's villages are drawn only once drilled into) its county."""
    township = belt_township(ds, belt_id)
    return ViewState(county=county_of(township, vocabulary(ds)), township=township, belt=belt_id,
                     layers=DOSSIER_LAYERS, year=year, lang=lang)


def belt_stories(ds: Dataset, belt_id: str, lang: str) -> tuple[tuple[str, str], ...]:
    """(title, text) of the bulletin's stories of a belt: those told of its villages, else of its townships
    (as the public may read them). The data-fixes branch may relate stories to belts directly."""
    stories = layer_for(ds, "stories", Audience.PUBLIC)
    members = set(belt_members(ds, belt_id))
    own = stories[stories.village_code.isin(members)]
    if own.empty:
        towns = str(ds.belts().set_index("belt_id").township_codes.get(belt_id, "")).split(",")
        own = stories[stories.township_code.isin(towns)]
    if lang == "en":
        return tuple((row.title_en or romanise(row.title), t("story_text_in_chinese", lang))
                     for row in own.itertuples())
    return tuple((row.title, row.text) for row in own.itertuples())


def dossier_map(ds: Dataset, belt_id: str, lang: str) -> DossierMap:
    """Page 1's framing, locator lines and stories for ``belt_id``."""
    county = ds.county()
    belt = ds.belts().set_index("belt_id").geometry[belt_id]
    return DossierMap(bounds=bounds_of(ds, belt_members(ds, belt_id)), county_bounds=tuple(county.total_bounds),
                      county_lines=line_coords(county.geometry.simplify(0.002)), belt_line=line_coords([belt]),
                      stories=belt_stories(ds, belt_id, lang))


def edition_text(ds: Dataset, lang: str) -> str:
    """The data edition as a footer writes it (publish date and note, or the shipped build date)."""
    edition = data_edition(ds.path)
    if edition.version_id:
        return f"{edition.version_id} ({edition.published}{', ' + edition.note if edition.note else ''})"
    return f"{t('shipped_data', lang)} ({edition.published})"


def county_dossier_figures(ds: Dataset, settings: Settings, lang: str, year: int, day: str) -> list[dict]:
    """The county dossier's pages (as for the public)."""
    codes = scope_villages(ds, "county", None)
    county = ds.county()
    name = scope_name(ds, "county", None, lang) or display_names(county, lang)[0]
    scores = village_scores(ds, year)
    bv = ds.belt_villages()
    pillar_means = bv.join(scores, on="village_code").groupby("belt_id")[list(PILLARS)].mean()
    towns = dict(zip(ds.townships().code, display_names(ds.townships(), lang)))
    lines = ranking_lines(belt_ranking(ds, "score", year), ds.belts(), towns, pillar_means)
    summary = pillar_summary(ds, codes, year)["county"].to_dict()
    state = ViewState(layers=DOSSIER_LAYERS, year=year, lang=lang)
    meta = DossierMeta(data_version=edition_text(ds, lang), generated=day, source=str(ds.meta()["source_document"]),
                       note=export_note(illustration(ds), lang, state_layers(state.layers, "score")))
    return county_pages(name, key_figures(ds, codes, year), summary, lines, snapshot_figure(state, Audience.PUBLIC, ds),
                        tuple(county.total_bounds), meta, lang)


@per_dataset(maxsize=8)
def county_pdf(ds: Dataset, settings: Settings, lang: str, year: int, day: str) -> bytes:
    """The county dossier PDF (cached per data version, language, year and day)."""
    return render_pdf(county_dossier_figures(ds, settings, lang, year, day))


@per_dataset(maxsize=32)
def dossier_pdf(ds: Dataset, settings: Settings, belt_id: str, lang: str, year: int, day: str) -> bytes:
    """The belt dossier PDF (cached per data version, belt, language, year and day)."""
    state = dossier_state(ds, belt_id, lang, year)
    # A dossier is a document that travels: its map is drawn as for the public, whoever asks.
    meta = DossierMeta(data_version=edition_text(ds, lang), generated=day, source=str(ds.meta()["source_document"]),
                       note=export_note(illustration(ds), lang, state_layers(state.layers, "score")))
    pages = dossier_pages(belt_detail(ds, belt_id, year), snapshot_figure(state, Audience.PUBLIC, ds, DOSSIER_MAP_SIZE),
                          belt_member_table(ds, belt_id, year),
                          pillar_history(ds, frozenset(belt_members(ds, belt_id))), meta, lang,
                          dossier_map(ds, belt_id, lang))
    return render_pdf(pages)


@per_dataset(maxsize=4)
def brief_pdf(ds: Dataset, settings: Settings, lang: str, day: str) -> bytes:
    """The briefing handout: one A4 page per step with its map (cached per data version, language and day)."""
    from dashboard.exports.handout import handout_pages

    return render_pdf(handout_pages(ds, settings, lang, day))


