"""The SPARQL 1.1 Protocol query operation at /sparql.

https://www.w3.org/TR/sparql11-protocol/#query-operation
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from coprokg import formats
from coprokg.errors import QueryError
from server.errors import error_response

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    query = _query_text()
    if not query:
        return error_response(
            400,
            "missing-query",
            "no SPARQL query in the request",
            hint="send it as the 'query' parameter (GET or form POST) or as an application/sparql-query body",
        )
    result = current_app.extensions["coprokg.store"].query(query)
    table = formats.RESULT_FORMATS if formats.is_solutions(result) else formats.GRAPH_FORMATS
    fmt = _negotiate(table)
    if fmt is None:
        return error_response(
            406,
            "not-acceptable",
            "no result format matches the Accept header",
            hint="accept one of " + ", ".join(f.media_type for f in table),
        )
    return Response(formats.serialize(result, fmt), content_type=_with_charset(fmt.media_type))


def _query_text() -> str:
    if request.method == "GET":
        return request.args.get("query", "")
    mimetype = request.mimetype
    if mimetype == "application/sparql-query":
        return request.get_data(as_text=True)
    if mimetype == "application/x-www-form-urlencoded":
        return request.form.get("query", "")
    raise QueryError(
        f"unsupported request content type {mimetype or '(none)'!r}",
        hint="POST application/x-www-form-urlencoded with a 'query' field, or application/sparql-query",
    )


def _negotiate(table: tuple[formats.Format, ...]) -> formats.Format | None:
    requested = request.values.get("format")
    if requested:
        return formats.by_name(requested, table) or next(
            (f for f in table if f.media_type == requested), None
        )
    if not request.accept_mimetypes or request.accept_mimetypes.best in ("*/*", None):
        return table[0]
    best = request.accept_mimetypes.best_match([f.media_type for f in table])
    return next((f for f in table if f.media_type == best), None)


def _with_charset(media_type: str) -> str:
    return media_type if "xml" in media_type or "json" in media_type else media_type + "; charset=utf-8"
