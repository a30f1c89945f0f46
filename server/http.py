"""HTTP details shared by the blueprints: content negotiation, request bodies, CORS, ETags."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from coprokg import formats
from coprokg.errors import QueryError
from coprokg.server.access_log import QUERY_HASH, query_hash
from coprokg.server.errors import error_response

CORS_EXPOSED = "ETag, Link, Vary, Coprokg-Truncated, Coprokg-Rows"
WRITE_PATHS = ("/update",)
# Sent with every answer. Pages load scripts, styles, images and fonts from this server only
# (vendored libraries under /static), run no inline script or style attribute, and talk only
# to this server; no other site may frame them.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
SPARQL_TEXT = {"/sparql": "query", "/update": "update"}


def negotiate(table: tuple[formats.Format, ...], *, allow_html: bool = False) -> formats.Format | str | None:
    """The format the ``format`` parameter or the Accept header asks for, out of ``table``.

    With ``allow_html``, "html" is returned when a browser prefers HTML. None: nothing fits."""
    requested = request.args.getlist("format")
    if request.mimetype == "application/x-www-form-urlencoded":
        requested += request.form.getlist("format")
    if requested:  # clients such as SPARQLWrapper send a name and a media type: the first known wins
        if allow_html and "html" in requested:
            return "html"
        by_media_type = {media_type: f for f in table for media_type in f.media_types}
        return next((formats.by_name(r, table) or by_media_type.get(r) for r in requested if formats.by_name(r, table) or r in by_media_type), None)
    offered = [media_type for f in table for media_type in f.media_types]
    if allow_html:
        offered = ["text/html", *offered]
    accept = request.accept_mimetypes
    if not accept or accept.best in ("*/*", None):
        return table[0]
    best = accept.best_match(offered)
    if best == "text/html":
        return "html"
    return next((f for f in table if best in f.media_types), None)


def exact_csv() -> bool:
    """True when the client asks for CSV cells exactly as stored (``csv=exact``), not guarded
    against spreadsheet formulas (:mod:`coprokg.csvguard`)."""
    values = request.args.getlist("csv")
    if request.mimetype == "application/x-www-form-urlencoded":
        values += request.form.getlist("csv")
    if any(value != "exact" for value in values):
        raise QueryError(f"unknown value {values[0]!r} for csv", where="csv",
                         hint="csv=exact gives CSV cells exactly as stored; leave it out for spreadsheet-safe CSV")
    return bool(values)


def not_acceptable(table: tuple[formats.Format, ...]):
    return error_response(
        406,
        "not-acceptable",
        "no format this resource has matches the Accept header or the format parameter",
        hint="accept one of " + ", ".join(f.media_type for f in table) + "; or pass format=" + "|".join(f.name for f in table),
    )


def body_text(what: str) -> str:
    """The request body as UTF-8 text; a body in another charset is refused."""
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise QueryError(
            f"the {what} is sent as {charset}; SPARQL over HTTP is UTF-8",
            where="Content-Type",
            hint="encode the body as UTF-8 and say charset=utf-8 (or nothing)",
        )
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryError(f"the {what} is not valid UTF-8: {error.reason} at byte {error.start}", where="body") from None


def single(values: list[str], name: str) -> str:
    """The one value of a parameter that must not repeat ('' when absent)."""
    if len(values) > 1:
        raise QueryError(
            f"the request carries {len(values)} '{name}' parameters; the protocol allows one",
            where=name,
            hint=f"send one {name} per request",
        )
    return values[0] if values else ""


def with_media_type(media_type: str) -> str:
    return media_type if "xml" in media_type or "json" in media_type else media_type + "; charset=utf-8"


def tagged(body: bytes, media_type: str, etag: str) -> Response:
    """A negotiated representation: its media type, its ETag, and ``Vary: Accept``."""
    response = Response(body, content_type=with_media_type(media_type))
    response.headers["ETag"] = etag
    response.vary.add("Accept")
    return response


def not_modified(etag: str) -> Response | None:
    """A 304 when the client already holds the representation with ``etag``."""
    if request.method in ("GET", "HEAD") and request.if_none_match.contains(etag.strip('"')):
        response = Response(status=304)
        response.headers["ETag"] = etag
        response.vary.add("Accept")
        return response
    return None


def register(app: Flask) -> None:
    """Body limit (413 before parsing, chunked bodies too), CORS on the read endpoints, the
    security headers, and the query's hash for the access log."""
    app.config["MAX_CONTENT_LENGTH"] = app.config["SETTINGS"].max_body_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config["SETTINGS"].max_body_bytes

    @app.after_request
    def cors(response: Response) -> Response:
        reading = request.method in ("GET", "HEAD") or request.path == "/sparql"
        preflight = request.method == "OPTIONS" and request.path not in WRITE_PATHS
        if (reading or preflight) and request.path not in WRITE_PATHS:
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match"
                response.headers["Access-Control-Max-Age"] = "600"
        return response

    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        text = _sparql_text()
        if text:
            request.environ[QUERY_HASH] = query_hash(text)
        return response


def _sparql_text() -> str | None:
    """The query or update the request carries, as far as it was read (for its hash)."""
    name = SPARQL_TEXT.get(request.path)
    if name is None:
        return None
    try:
        if name in request.args:
            return request.args[name]
        if request.mimetype == f"application/sparql-{name}":
            return request.get_data(as_text=True)
        if request.mimetype == "application/x-www-form-urlencoded":
            return request.form.get(name)
    except (HTTPException, UnicodeDecodeError):  # a body too large or not text: no hash
        return None
    return None


def settings():
    return current_app.config["SETTINGS"]


def engine():
    return current_app.extensions["coprokg.engine"]
