"""What the app answers while its database (``DATABASE_URL``) cannot be reached; see README "Scaling out".

The data door keeps serving the version this process last read (``geodata.open_dataset``), so the pages, the
map and the callbacks built from the data go on working. What needs the database itself (a logged-in user's
role, logging in, the audit log's page, imports, the briefing's and the wall's settings, or data this process
never read) answers **503** with ``Retry-After`` and one short sentence in the request's language, never a
traceback. ``geodata.db.Reachability`` logs one masked line per outage, fails such requests at once while
the database is known down and notices by itself when it answers again: nothing needs a restart.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, Response, request

from dashboard.config import Settings
from geodata import db
from geodata.errors import DatabaseUnavailable
from geodata.state_db import StateUnavailable

RETRY_AFTER_S = 5  # what clients are told; the app itself tries again every geodata.db.RETRY_S seconds
LANGUAGES = ("zh", "en")
MESSAGES = {
    "zh": "数据库暂时无法连接,请稍后再试。",
    "en": "The database cannot be reached right now. Please try again in a moment.",
}
# What reaching the database may raise where no guard turned it into DatabaseUnavailable (a safety net).
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (DatabaseUnavailable, StateUnavailable, sa.exc.OperationalError,
                                                  sa.exc.InterfaceError, sa.exc.TimeoutError)


def choose_language(asked: str | None, accepted: list[str], default: str = "zh") -> str:
    """The language of an answer: ``?lang=`` if it names one, else the first of ``accepted`` (the
    ``Accept-Language`` tags, best first) that is Chinese or English, else ``default``.

    Parameters
    ----------
    asked : str or None
        The request's ``lang`` query parameter.
    accepted : list of str
        Language tags the client accepts, in order of preference (``"en-GB"``, ``"zh-CN"``, ...).
    default : str
        The server's language (``KAIHUA_LANGUAGE``, Chinese unless set).

    Returns
    -------
    str
        ``"zh"`` or ``"en"``.
    """
    if asked in LANGUAGES:
        return asked
    for tag in accepted:
        primary = tag.split("-")[0].split("_")[0].strip().lower()
        if primary in LANGUAGES:
            return primary
    return default if default in LANGUAGES else "zh"


def unavailable(lang: str) -> Response:
    """The 503 answer: one sentence in ``lang``, ``Retry-After``, never cached.

    Parameters
    ----------
    lang : str
        ``"zh"`` or ``"en"`` (anything else: Chinese).

    Returns
    -------
    flask.Response
    """
    return Response(MESSAGES.get(lang, MESSAGES["zh"]) + "\n", status=503, mimetype="text/plain",
                    headers={"Retry-After": str(RETRY_AFTER_S), "Cache-Control": "no-store",
                             "Content-Language": "zh-CN" if lang != "en" else "en"})


def request_language(settings: Settings) -> str:
    """:func:`choose_language` for the current request."""
    accepted = [tag for tag, _quality in request.accept_languages]  # best first, as werkzeug sorts them
    return choose_language(request.args.get("lang"), accepted, settings.language)


def install(server: Flask, settings: Settings) -> None:
    """Answer :data:`OUTAGE_ERRORS` with :func:`unavailable` on ``server`` (more specific than the catch-all
    handler of ``dashboard.security``, so Flask picks this one for them)."""

    def handle(exc: BaseException) -> Response:
        if settings.database_url and not isinstance(exc, DatabaseUnavailable):
            # escaped every guard: record it, so the outage is still logged once and retried after a pause
            db.reachability(settings.database_url).failed(exc)
        return unavailable(request_language(settings))

    for error in OUTAGE_ERRORS:
        server.register_error_handler(error, handle)
