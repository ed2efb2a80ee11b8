"""Hardening of every response and of what a client may send (see README "Security").

- Headers on every response: a Content-Security-Policy whose ``script-src`` allows this server's files and
  the hashes of Dash's own inline scripts (never ``'unsafe-inline'``), ``frame-ancestors`` ('none' unless
  ``KAIHUA_FRAME_ANCESTORS``), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``.
- Host allowlist (Flask's ``TRUSTED_HOSTS``, port ignored): another Host header is a 400 (DNS rebinding).
- Body limits per route: callbacks 1 MB (an admin's upload callback: the upload limit), forms 16 KB.
- A callback body is checked before Dash reads it: JSON, an object, nested no deeper than
  :data:`MAX_JSON_DEPTH`, naming a registered callback. Anything else, and any error a forged body causes
  inside Dash or a callback, is a 400 with one short log line (no traceback per request).
- Heavy callback answers (a whole map figure, ~1 MB) are rate-limited per address, so a 337-byte forged
  language switch cannot be used as a cheap amplifier.
- ``/admin`` is for admins: anyone else is sent to the login page (the callbacks check the role again).
- Behind ``KAIHUA_TRUSTED_PROXIES`` proxies, the client's address and scheme come from ``X-Forwarded-For`` and
  ``X-Forwarded-Proto`` (werkzeug's ``ProxyFix``, that many hops back); with 0 (the default) those headers are
  ignored, so no client can choose the address its rate limits are counted under.
"""

from __future__ import annotations

import logging
import re

from dash import Dash
from flask import Flask, Response, g, redirect, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.auth import LOGIN_PATH, Role, current_role
from dashboard.config import Settings

log = logging.getLogger(__name__)

CALLBACK_LIMIT = 1 << 20  # bytes of a callback request
FORM_LIMIT = 16 << 10  # bytes of a login or logout form
MAX_JSON_DEPTH = 32
HEAVY_BYTES = 256 << 10  # an answer this large (uncompressed) counts against HEAVY_LIMITS
HEAVY_LIMITS = "120 per minute"
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in a JSON text (without parsing it: cheap, and safe for any depth)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', body)):
        if match.group(0) in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def csp(script_hashes: list[str], frame_ancestors: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",  # plotly and React set style attributes; no script runs from them
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "worker-src": "'self' blob:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def _bad(message: str, status: int = 400) -> Response:
    return Response(message, status=status, mimetype="text/plain; charset=utf-8")


def _input_items(items: object) -> bool:
    """True if ``items`` is a list of Dash input records (dicts with id and property, or lists of them)."""
    if not isinstance(items, list):
        return False
    for item in items:
        group = item if isinstance(item, list) else [item]
        if not all(isinstance(i, dict) and "id" in i and isinstance(i.get("property"), str) for i in group):
            return False
    return True


def check_callback_body(body: bytes, known_outputs: set[str]) -> str | None:
    """Why a callback request body is refused, or None if Dash may read it."""
    import json

    if json_depth(body) > MAX_JSON_DEPTH:
        return f"JSON nested deeper than {MAX_JSON_DEPTH}"
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return "not JSON"
    if not isinstance(data, dict):
        return "not a callback request"
    if not isinstance(data.get("output"), str) or data["output"] not in known_outputs:
        return "unknown callback output"
    if not _input_items(data.get("inputs")) or not _input_items(data.get("state", [])):
        return "malformed callback inputs"
    if not isinstance(data.get("changedPropIds", []), list):
        return "malformed changedPropIds"
    return None


def trust_proxies(server: Flask, count: int) -> None:
    """Take the client's address and scheme from the last ``count`` hops of ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` (``KAIHUA_TRUSTED_PROXIES``); with 0 nothing is wrapped and those headers are ignored.

    Parameters
    ----------
    server : flask.Flask
        The app's server; its ``wsgi_app`` is wrapped, so Flask-Limiter, the audit log and every URL see it.
    count : int
        How many proxies in front append to the headers (each one a hop the client cannot forge).
    """
    if count > 0:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=count, x_proto=count)


def install(app: Dash, settings: Settings) -> None:
    """Install the hardening on ``app`` (call after every callback is registered: the CSP hashes them)."""
    server = app.server
    trust_proxies(server, settings.trusted_proxies)
    prefix = app.config.requests_pathname_prefix.rstrip("/")
    dispatch_path = f"{app.config.routes_pathname_prefix}_dash-update-component"
    server.config["TRUSTED_HOSTS"] = list(settings.allowed_hosts)
    # The largest body any route accepts (an admin's upload: base64 adds a third, plus JSON framing); smaller
    # limits per route below. Werkzeug refuses a longer body with 413 before reading it.
    upload_limit = int(settings.limits.max_bytes * 1.4) + (1 << 20)
    server.config["MAX_CONTENT_LENGTH"] = upload_limit
    policy = csp(app.csp_hashes(), settings.frame_ancestors)
    known_outputs = set(app.callback_map)

    @server.before_request
    def _guard():
        path = request.path
        if path.rstrip("/") == f"{prefix}/admin" and request.method == "GET" and current_role() is not Role.ADMIN:
            return redirect(f"{prefix}{LOGIN_PATH}?next={prefix}/admin", code=302)
        if path == dispatch_path:
            request.max_content_length = upload_limit if current_role() is Role.ADMIN else CALLBACK_LIMIT
            if request.content_length is not None and request.content_length > request.max_content_length:
                return _bad("request too large", 413)
            reason = check_callback_body(request.get_data(cache=True), known_outputs)
            if reason:
                log.warning("callback request refused: %s", reason)
                return _bad(f"bad callback request: {reason}")
            return None
        if request.method == "POST":
            request.max_content_length = FORM_LIMIT
        return None

    @server.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY" if settings.frame_ancestors == "'none'" else "SAMEORIGIN"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if request.path == dispatch_path:
            g.kaihua_body_bytes = response.calculate_content_length() or 0
            response.headers["Cache-Control"] = "no-store"
        if "Cookie" in request.headers or response.headers.get("Set-Cookie"):
            response.vary.add("Cookie")  # what a page shows depends on who is logged in
        return response

    def _callback_error(err: Exception):
        if isinstance(err, HTTPException):
            return err
        if request.path == dispatch_path:
            # A forged body that got past the checks (wrong shapes, values no callback expects): one line,
            # not a traceback per request. The callback's name helps find a real bug.
            log.warning("callback %s failed on its input: %s", str((request.get_json(silent=True) or {})
                                                                   .get("output", "?"))[:80], type(err).__name__)
            return _bad("bad callback request")
        log.exception("unhandled error on %s", request.path)
        return InternalServerError()

    server.register_error_handler(Exception, _callback_error)

    limiter = server.extensions["kaihua_limiter"]
    view = server.view_functions[dispatch_path]
    server.view_functions[dispatch_path] = limiter.limit(
        HEAVY_LIMITS, deduct_when=lambda _r: g.get("kaihua_body_bytes", 0) > HEAVY_BYTES,
        scope="heavy-callbacks")(view)
