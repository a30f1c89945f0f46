"""The one JSON error shape of the server, made here and nowhere else.

    {"error": "<kind>", "message": "<what went wrong>", "status": 400,
     "where": "<optional: what it concerns>", "hint": "<optional: what to do>",
     "problems": [<optional: each problem of invalid input: file, line, record, field, value, hint>]}

A browser (``Accept`` naming ``text/html`` before JSON) gets the same error as a page of the
site instead (``templates/ui/error.html``): what went wrong, where and what to do, with the
site's navigation; never a stack trace.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from coprokg.errors import CoprokgError

log = logging.getLogger(__name__)


def error_body(status: int, kind: str, message: str, *, where: str | None = None, hint: str | None = None,
               problems: list | None = None) -> dict:
    body: dict[str, object] = {"error": kind, "message": message, "status": status}
    if where:
        body["where"] = where
    if hint:
        body["hint"] = hint
    if problems:
        body["problems"] = problems
    return body


def error_response(status: int, kind: str, message: str, *, where: str | None = None, hint: str | None = None,
                   problems: list | None = None):
    body = error_body(status, kind, message, where=where, hint=hint, problems=problems)
    response = _page(body) if _browser() else None
    if response is None:
        response = jsonify(body)
    response.status_code = status
    return response


def _browser() -> bool:
    """The client prefers HTML to JSON: it names text/html (browsers do; ``*/*`` alone is not enough)."""
    if request.args.get("format"):
        return request.args.get("format") == "html"
    accept = request.accept_mimetypes
    return any(value == "text/html" for value, _ in accept) and accept.best_match(["text/html", "application/json"]) == "text/html"


def _page(body: dict):
    """The error as a page of the site; None when the page cannot be made (the JSON is sent instead)."""
    try:
        html = render_template("ui/error.html", error=body, title=TITLES.get(body["status"], "Something went wrong"))
    except Exception:  # the page itself failed (a broken store behind the navigation, say): JSON still says what happened
        log.exception("the error page could not be made")
        return None
    return Response(html, content_type="text/html; charset=utf-8")


TITLES = {400: "This request cannot be answered", 401: "A token is needed", 403: "Not allowed", 404: "Nothing here",
          405: "Not allowed here", 406: "Not available in this format", 413: "Too large", 429: "Too many requests",
          500: "Something went wrong on the server", 503: "Not available just now"}


def register(app: Flask) -> None:
    @app.errorhandler(CoprokgError)
    def coprokg_error(error: CoprokgError):
        response = error_response(error.http_status, error.kind, error.message, where=error.where, hint=error.hint,
                                  problems=error.to_dict().get("problems"))
        if getattr(error, "retry_after", None):
            response.headers["Retry-After"] = str(error.retry_after)
        _log_refusal(error)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        kind = (error.name or "error").lower().replace(" ", "-")
        response = error_response(error.code or 500, kind, error.description or error.name)
        for name, value in error.get_headers():
            if name.lower() not in ("content-type", "content-length"):
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error")
        return error_response(500, "internal-error", "the server failed to answer this request; the error is logged")


def _log_refusal(error: CoprokgError) -> None:
    """A line in the server log for each refused write, and each error that says it is worth one
    (its ``noted``: a stopped query, a crashed worker); never the request's headers, so the
    token stays out of the log."""
    what = "refused write" if error.http_status in (401, 403) else getattr(error, "noted", None)
    if what:
        log.warning("%s: %s %s from %s: %s", what, request.method, request.path, request.remote_addr, error.message)
