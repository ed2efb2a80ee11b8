"""An export as a checked order: parsed once from a request, made later by whoever renders it.

The direct routes (``GET /export/map.png?...``) and the export jobs (``POST /export/jobs/map.png?...``) parse a
request with the same :func:`parse_order`, so a job accepts exactly what the direct route accepts and refuses the
rest with the same reason. An :class:`ExportOrder` is plain JSON (it travels through the job store to the render
worker, another process) and holds everything the render needs, including the audience the request was given:
the worker never decides what a job may show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.config import Settings
from dashboard.exports.products import brief_pdf, county_pdf, dossier_pdf, map_pdf, map_png
from dashboard.exports.snapshot import PAPER_SIZES, SIZES, ImageSize, parse_size
from dashboard.state import ViewState
from geodata import Audience, Dataset
from geodata.figures import scope_name
from geodata.vocabulary import vocabulary

# What an order may ask for: the renders that take seconds (data files and the offline map are fast and stay
# plain downloads). ``belt`` needs a ``belt_id``.
KINDS = ("map.png", "map.pdf", "belt", "county", "brief")


class BadOrder(ValueError):
    """The request cannot be an export: ``status`` 400 (the message says what is wrong) or 404."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ExportOrder:
    """One checked export: what to render, from which query, for which audience, dated which day."""

    kind: str
    args: tuple[tuple[str, str], ...]  # the request's query, already checked by parse_order
    audience: Audience
    day: str
    belt_id: str | None = None

    def to_json(self) -> dict:
        return {"kind": self.kind, "args": dict(self.args), "audience": self.audience.value, "day": self.day,
                "belt_id": self.belt_id}

    @classmethod
    def from_json(cls, data: dict) -> ExportOrder:
        return cls(kind=str(data["kind"]), args=tuple(sorted((str(k), str(v)) for k, v in data["args"].items())),
                   audience=Audience.parse(str(data["audience"])), day=str(data["day"]),
                   belt_id=data.get("belt_id"))


@dataclass(frozen=True)
class ExportFile:
    """A made export: its bytes, content type and file names (ASCII fallback, and the one a person reads)."""

    body: bytes
    mimetype: str
    ascii_name: str
    name: str


def today() -> str:
    return dt.date.today().isoformat()


def _map_state(ds: Dataset, args: dict[str, str], audience: Audience, paper_only: bool) -> tuple[ViewState, ImageSize]:
    args = dict(args)
    size_key = args.pop("size", None)
    if paper_only and (size_key or "a4").strip().lower() not in PAPER_SIZES:
        raise BadOrder(f"a PDF map is a paper size: one of {', '.join(PAPER_SIZES)}")
    try:
        size = parse_size(size_key or ("a4" if paper_only else None))
    except ValueError as err:
        raise BadOrder(str(err)) from None
    state = ViewState.from_dict(args, vocabulary(ds))
    if state.problems:
        raise BadOrder("; ".join(state.problems))
    if state.measure == "rating" and audience is not Audience.STAFF:
        raise BadOrder("ratings are not shown on this server")
    return state, size


def _lang_year(ds: Dataset, settings: Settings, args: dict[str, str], with_year: bool = True) -> ViewState:
    data = {"lang": args.get("lang", settings.language)}
    if with_year:
        data["year"] = args.get("year")
    state = ViewState.from_dict(data, vocabulary(ds))
    if state.problems:
        raise BadOrder("; ".join(state.problems))
    return state


def parse_order(ds: Dataset, settings: Settings, kind: str, args: dict[str, str], audience: Audience,
                belt_id: str | None = None, day: str | None = None) -> ExportOrder:
    """Check an export request (``args`` = its query) against ``ds``; raise :class:`BadOrder` if it is not one."""
    if kind not in KINDS:
        raise BadOrder(f"no such export: {kind[:40]!r}", status=404)
    args = {str(k): str(v) for k, v in args.items()}
    if kind in ("map.png", "map.pdf"):
        _map_state(ds, args, audience, paper_only=kind == "map.pdf")
    elif kind == "belt":
        if belt_id not in vocabulary(ds).belts:
            raise BadOrder(f"no such belt: {str(belt_id)[:40]!r}", status=404)
        args = {k: v for k, v in args.items() if k in ("lang", "year")}
        _lang_year(ds, settings, args)
    else:
        args = {k: v for k, v in args.items() if k in ("lang", "year")}
        _lang_year(ds, settings, args, with_year=kind == "county")
    return ExportOrder(kind=kind, args=tuple(sorted(args.items())), audience=audience, day=day or today(),
                       belt_id=belt_id if kind == "belt" else None)


def _map_names(ds: Dataset, state: ViewState, size: ImageSize, ext: str) -> tuple[str, str]:
    kind, value = state.scope
    label = next((k for k, v in SIZES.items() if v == size), f"{size.width}x{size.height}")
    return (f"kaihua-{value or 'county'}-{label}.{ext}",
            f"开化-{scope_name(ds, kind, value, 'zh') or '全县'}-{label}.{ext}")


def produce(ds: Dataset, settings: Settings, order: ExportOrder) -> ExportFile:
    """Make ``order``'s file (renders through the warm renderer of this process; results cached per data
    version and order)."""
    args = dict(order.args)
    if order.kind in ("map.png", "map.pdf"):
        state, size = _map_state(ds, args, order.audience, paper_only=order.kind == "map.pdf")
        if order.kind == "map.png":
            body = map_png(ds, settings, order.audience, state, size, order.day)
            return ExportFile(body, "image/png", *_map_names(ds, state, size, "png"))
        body = map_pdf(ds, settings, order.audience, state, size, order.day)
        return ExportFile(body, "application/pdf", *_map_names(ds, state, size, "pdf"))
    if order.kind == "belt":
        state = _lang_year(ds, settings, args)
        body = dossier_pdf(ds, settings, order.belt_id, state.lang, state.year, order.day)
        name = scope_name(ds, "belt", order.belt_id) or order.belt_id
        return ExportFile(body, "application/pdf", f"kaihua-{order.belt_id}-dossier-{state.year}.pdf",
                          f"{name}-示范带档案-{state.year}.pdf")
    if order.kind == "county":
        state = _lang_year(ds, settings, args)
        return ExportFile(county_pdf(ds, settings, state.lang, state.year, order.day), "application/pdf",
                          f"kaihua-county-dossier-{state.year}.pdf", f"开化县-县域档案-{state.year}.pdf")
    state = _lang_year(ds, settings, args, with_year=False)
    return ExportFile(brief_pdf(ds, settings, state.lang, order.day), "application/pdf",
                      f"kaihua-briefing-{state.lang}.pdf", "开化县-来访讲解.pdf")


def audit_detail(order: ExportOrder, size: ImageSize | None = None) -> str:
    """The audit log's line for ``order`` (as the direct routes always wrote it)."""
    args = dict(order.args)
    if order.kind in ("map.png", "map.pdf"):
        size = parse_size(args.get("size") or ("a4" if order.kind == "map.pdf" else None))
        return f"{order.kind} {order.audience.value} {size.width}x{size.height}"
    if order.kind == "belt":
        return f"dossier {order.belt_id}.pdf"
    if order.kind == "county":
        return "county.pdf"
    return f"brief.pdf {args.get('lang', '')}".strip()
