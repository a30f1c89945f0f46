"""The one JSON error shape of the server, made here and nowhere else.

    {"error": "<kind>", "message": "<what went wrong>", "status": 400,
     "where": "<optional: what it concerns>", "hint": "<optional: what to do>",
     "problems": [<optional: each problem of invalid input: file, line, record, field, value, hint>]}
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
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
    response = jsonify(error_body(status, kind, message, where=where, hint=hint, problems=problems))
    response.status_code = status
    return response


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
