"""Export jobs over HTTP: the page starts a render, polls its progress and fetches the file when it is ready.

    POST /export/jobs/map.png?<the direct route's query>   -> 202 {"id", "status_url", ...}
         /export/jobs/map.pdf?...  /export/jobs/belt/<belt_id>.pdf?...  /export/jobs/county.pdf?...
         /export/jobs/brief.pdf?...                         (400 + reason, 404, 429 / 503 + Retry-After)
    GET  /export/jobs/<id>        -> {"status": queued|rendering|done|failed, "progress": 0-100, "stage", ...}
    GET  /export/jobs/<id>/file   -> the file (as the direct route sends it), once done

A POST is parsed exactly as the direct route (``orders.parse_order``): bad input is refused with the reason and
nothing is queued. It must carry the header ``X-Kaihua-Export: 1`` (a page of another site cannot send it without
a CORS preflight this server never grants). A job is visible only to the session that made it, at the audience
it was made at: anyone else (another browser, the same one after logging out) gets 404, as for an unknown id.
Each person (signed-in user, else client address) may have :data:`~dashboard.exports.jobs.PER_USER` jobs queued
or rendering; more answers 429 with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import Flask, Response, jsonify, request, session

from dashboard.auth import current_audience, record
from dashboard.config import Settings
from dashboard.exports.jobs import PER_USER, QUEUE_MAX, Job, current, jobs_of, new_job_id, valid_job_id
from dashboard.exports.orders import BadOrder, ExportFile, audit_detail, parse_order
from dashboard.exports.routes import file_response, user_of_request
from dashboard.exports.worker import ensure_worker
from dashboard.i18n import t
from geodata import open_dataset

JOBS_ROUTE = "/export/jobs"
OWNER_KEY = "_export_owner"  # the session's export token (random; only its hash is stored with a job)
HEADER = "X-Kaihua-Export"
TARGETS = {"map.png": "map.png", "map.pdf": "map.pdf", "county.pdf": "county", "brief.pdf": "brief"}


def _owner_token(create: bool) -> str | None:
    token = session.get(OWNER_KEY)
    if not token and create:
        token = session[OWNER_KEY] = secrets.token_urlsafe(24)
    return token


def _owner_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _error(message: str, status: int, retry_after: int | None = None, lang: str = "zh",
           shown: str | None = None) -> Response:
    """A JSON refusal: ``error`` (the reason) and ``message`` (what the page shows, in ``lang``)."""
    response = jsonify({"error": message, "message": shown or t("export_failed", lang).format(reason=message)})
    response.status_code = status
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response


def job_message(job: Job) -> str:
    """The line the page shows for ``job`` (queued, rendering n %, ready, failed with the reason)."""
    if job.status == "queued":
        return t("export_queued", job.lang)
    if job.status == "rendering":
        return t("export_rendering", job.lang).format(percent=job.progress)
    if job.status == "done":
        return t("export_done", job.lang).format(name=job.name)
    return t("export_failed", job.lang).format(reason=job.error)


def status_of(job: Job, prefix: str) -> dict:
    """What the page is told of ``job``."""
    view = {"id": job.id, "status": job.status, "progress": job.progress, "stage": job.stage,
            "error": job.error, "message": job_message(job), "status_url": f"{prefix}{JOBS_ROUTE}/{job.id}"}
    if job.status == "done":
        view.update(file_url=f"{prefix}{JOBS_ROUTE}/{job.id}/file", name=job.name, mimetype=job.mimetype,
                    size=job.size, save=t("export_save", job.lang),
                    render_s=round(job.finished - job.started, 3) if job.started and job.finished else None)
    return view


def request_lang(kind: str, settings: Settings) -> str:
    """The language of the page that asked (a map link says it only when not Chinese, the view's default)."""
    lang = request.args.get("lang") or ("zh" if kind.startswith("map") else settings.language)
    return lang if lang in ("zh", "en") else "zh"


def parse_target(target: str) -> tuple[str, str | None] | None:
    """(order kind, belt id) of a job path (``map.png``, ``belt/B05.pdf``, ...), or None."""
    if target in TARGETS:
        return TARGETS[target], None
    if target.startswith("belt/") and target.endswith(".pdf") and target.count("/") == 1:
        return "belt", target[len("belt/"):-len(".pdf")]
    return None


def register_job_routes(server: Flask, settings: Settings, prefix: str = "/") -> None:
    prefix = prefix.rstrip("/")
    store = jobs_of(settings)

    def _visible(job_id: str) -> Job | None:
        token = _owner_token(create=False)
        if not token or not valid_job_id(job_id):
            return None
        job = store.get(job_id)
        if job is None or not hmac.compare_digest(job.owner, _owner_hash(token)):
            return None
        if job.audience != current_audience().value:
            return None  # made while logged in, asked for after logging out (or the other way round)
        return current(store, job)

    def submit(target: str) -> Response:
        if request.headers.get(HEADER) != "1":
            return _error(f"export jobs are started by the page (header {HEADER} missing)", 400)
        parsed = parse_target(target)
        if parsed is None:
            return _error("no such export", 404)
        kind, belt_id = parsed
        lang = request_lang(kind, settings)
        ds = open_dataset(settings.data_path)
        audience = current_audience()
        try:
            order = parse_order(ds, settings, kind, request.args.to_dict(), audience, belt_id)
        except BadOrder as err:
            return _error(str(err), err.status, lang=lang)
        job = Job(id=new_job_id(), owner=_owner_hash(_owner_token(create=True)), audience=audience.value,
                  user=user_of_request(), order=order.to_json(), lang=lang)
        store.sweep()
        refused = store.add(job, per_user=PER_USER, total=QUEUE_MAX)
        if refused == "user":
            return _error(f"you have {PER_USER} exports rendering already; this one can start when one is ready",
                          429, retry_after=10, shown=t("export_limit", lang).format(n=PER_USER))
        if refused == "busy":
            return _error("the export renderer is busy; try again in a minute", 503, retry_after=30,
                          shown=t("export_busy", lang))
        ensure_worker(settings)
        record("export", f"{audit_detail(order)} (job)")
        response = jsonify(status_of(job, prefix))
        response.status_code = 202
        response.headers["Location"] = f"{prefix}{JOBS_ROUTE}/{job.id}"
        response.headers["Cache-Control"] = "no-store"
        return response

    def status(job_id: str) -> Response:
        job = _visible(job_id)
        if job is None:
            return _error("no such export job", 404)
        if job.status == "queued":
            ensure_worker(settings)  # the worker may have gone idle just as this job was queued
        response = jsonify(status_of(job, prefix))
        response.headers["Cache-Control"] = "no-store"
        return response

    def file(job_id: str) -> Response:
        job = _visible(job_id)
        if job is None:
            return _error("no such export job", 404)
        if job.status != "done":
            return _error(f"the export is not ready ({job.status})", 409)
        body = store.file(job_id)
        if body is None:
            return _error("the export file has expired; export it again", 410)
        response = file_response(ExportFile(body, job.mimetype or "application/octet-stream",
                                            job.ascii_name or "export", job.name or "export"))
        response.headers["Cache-Control"] = "private, no-store"
        return response

    server.add_url_rule(f"{JOBS_ROUTE}/<path:target>", "export_job_submit", submit, methods=["POST"])
    server.add_url_rule(f"{JOBS_ROUTE}/<job_id>", "export_job_status", status, methods=["GET"])
    server.add_url_rule(f"{JOBS_ROUTE}/<job_id>/file", "export_job_file", file, methods=["GET"])
