"""Figures -> PNG and PDF bytes through kaleido, offline.

kaleido drives a headless Chromium (Debian's, via ``BROWSER_PATH``; it must never download one). Nothing is
fetched: plotly.js comes from the plotly package, the world topojson from ``assets/topojson`` as a
``file://`` folder, MathJax is off, and Chinese glyphs come from the system's Noto CJK fonts.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path

from dashboard.exports.pdf_text import fix_text_layer
from dashboard.exports.snapshot import ImageSize, layout_scale

ASSETS = Path(__file__).resolve().parents[2] / "assets"
CHROMIUM = "/usr/bin/chromium"
# Who hears how far a render got (percent, stage): the export job worker sets it around a job.
PROGRESS: ContextVar[Callable[[int, str], None] | None] = ContextVar("export_progress", default=None)


def report_progress(percent: int, stage: str) -> None:
    """Tell the job being made (if any) that it reached ``stage``, ``percent`` of the way."""
    if (hook := PROGRESS.get()) is not None:
        hook(percent, stage)


class ExportUnavailable(RuntimeError):
    """The renderer cannot run here (no kaleido, no Chromium): the message says what to install."""


class ExportFailed(RuntimeError):
    """The renderer ran but did not produce the file (a figure it could not draw)."""


def configure_offline() -> None:
    """Point plotly and kaleido at local files only (idempotent: the same values every call)."""
    import plotly.io as pio

    # choreographer logs a traceback when Chromium's pipe closes mid-message at shutdown: harmless noise.
    logging.getLogger("choreographer").setLevel(logging.CRITICAL)
    if "BROWSER_PATH" not in os.environ and Path(CHROMIUM).exists():
        os.environ["BROWSER_PATH"] = CHROMIUM
    # plotly passes kaleido options that a warm server ignores, and warns about it on every render.
    warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
    pio.defaults.topojson = (ASSETS / "topojson").as_uri() + "/"
    pio.defaults.mathjax = None


def _check_browser() -> None:
    path = os.environ.get("BROWSER_PATH")
    if not path or not Path(path).exists():
        raise ExportUnavailable("exports need Chromium: install Debian's `chromium` (make system-deps) or set "
                                "BROWSER_PATH to a Chromium binary")


class WarmRenderer:
    """One Chromium kept open per worker process: kaleido's sync server (a thread of its own owning the
    browser, fed through a queue). Its call is not safe from two threads at once (one shared reply queue), so
    every render here holds ``lock``; a process forked from one that started it starts its own; a render that
    fails closes the browser so that the next one starts afresh. A process resource, like a connection pool."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._pid: int | None = None

    def _ensure(self) -> None:
        import kaleido

        server = kaleido._global_server  # noqa: SLF001 - the one handle kaleido gives to its sync server
        if self._pid != os.getpid() and server.is_running():
            server._initialized = False  # noqa: SLF001 - inherited from the parent by fork: its thread is gone
        if not server.is_running():
            kaleido.start_sync_server(silence_warnings=True)
            self._pid = os.getpid()

    def run(self, work, *args):
        """``work(*args)`` with the warm browser, one at a time."""
        import kaleido

        with self.lock:
            configure_offline()
            _check_browser()
            self._ensure()
            try:
                return work(*args)
            except Exception:
                kaleido.stop_sync_server(silence_warnings=True)
                raise

    def close(self) -> None:
        import kaleido

        with self.lock:
            if self._pid == os.getpid():
                kaleido.stop_sync_server(silence_warnings=True)
                self._pid = None


RENDERER = WarmRenderer()


def render_png(figure: dict, size: ImageSize) -> bytes:
    """``figure`` as a PNG of exactly ``size`` pixels."""
    import plotly.io as pio

    width, height, scale = layout_scale(size)
    report_progress(40, "drawing")
    return RENDERER.run(lambda: pio.to_image(figure, format="png", width=width, height=height, scale=scale,
                                             validate=False))


def render_pdf(pages: list[dict]) -> bytes:
    """One PDF with one page per figure (each at its own layout width and height): one Chromium print of
    them all (:mod:`dashboard.exports.print_document`), its text layer then fixed in place."""
    import plotly.io as pio

    from dashboard.exports.print_document import PrintFailed, print_pages

    report_progress(40, "drawing")
    try:
        # configure_offline (inside run) points the topojson at the local assets before the pages are drawn
        pdf = RENDERER.run(lambda: print_pages(pages, pio.defaults.topojson))
    except PrintFailed as err:
        raise ExportFailed(f"the renderer could not draw the {len(pages)} page(s): {err}") from err
    report_progress(80, "assembling")
    return fix_text_layer(pdf)  # copy and search find 水, not the radical ⽔ Chromium wrote
