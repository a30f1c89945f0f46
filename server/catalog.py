"""The query catalog over HTTP: GET /queries, GET /queries/<name>, GET /matrix.

Each question is an HTML page for browsers and data for machines: the list as JSON, an answer
in every SPARQL results format the /sparql endpoint offers, chosen the same way (``format``
parameter or Accept header). Questions run through the query engine, with its time limit and cache.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from pyoxigraph import Literal, NamedNode

from coprokg import formats
from coprokg.table import compact
from coprokg.queries import catalog
from coprokg.server.errors import error_response
from coprokg.server.http import engine, exact_csv, negotiate, with_media_type as with_charset
from coprokg.server.results import for_spreadsheets

bp = Blueprint("catalog", __name__)


def _folder():
    return current_app.config.get("QUERIES_DIR", catalog.QUERIES_DIR)


def _served(query: catalog.Query) -> catalog.Query:
    """The question as this server pages it: a page is never longer than the server's row cap
    (``COPROKG_MAX_ROWS``), so every page is whole and the next one is linked."""
    cap = engine().max_rows
    if query.page_size and cap < query.page_size:
        return replace(query, page_size=cap)
    return query


def wants_html() -> bool:
    """A browser: the format parameter says html, or the Accept header names text/html first."""
    requested = request.args.get("format")
    if requested:
        return requested == "html"
    accept = request.accept_mimetypes
    named = any(value == "text/html" for value, _ in accept)
    data = ["application/json", *(f.media_type for f in formats.RESULT_FORMATS)]
    return named and accept.best_match(["text/html", *data]) == "text/html"


@bp.get("/queries")
def index():
    entries = [_served(entry) for entry in catalog.catalog(_folder())]
    if wants_html():
        return render_template("catalog/index.html", entries=entries)
    return jsonify(queries=[_describe(entry) for entry in entries])


@bp.get("/queries/<name>")
def answer(name: str):
    query = _served(catalog.get(name, _folder()))
    values = {key: value for key, value in request.args.items() if key not in catalog.RESERVED}
    text = query.sparql(values)
    if wants_html():
        table = _table(engine().solutions(text))
        pages = _pages(query, values, len(table["rows"]), {"format": "html"})
        return render_template("catalog/answer.html", query=query, values=values, pages=pages, **table)
    fmt = negotiate(formats.RESULT_FORMATS)
    if fmt is None:
        return error_response(406, "not-acceptable", "no result format matches the Accept header",
                              hint="accept text/html or one of " + ", ".join(f.media_type for f in formats.RESULT_FORMATS))
    result = for_spreadsheets(engine().query(text, fmt, {}), exact_csv())
    response = Response(result.body, content_type=with_charset(fmt.media_type))
    if result.truncated:
        response.headers["Coprokg-Truncated"] = f"true; the answer stops at the first {result.rows} rows (COPROKG_MAX_ROWS)"
    links = _pages(query, values, result.rows or 0, {k: v for k, v in request.args.items() if k in catalog.RESERVED})
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return response


def _pages(query: catalog.Query, values: dict, rows: int, keep: dict) -> dict[str, str]:
    """Links to the neighbouring pages of a paged question's answer, by relation (first, prev,
    next), as grlc gives them in its ``Link`` header: next only after a full page."""
    if not query.page_size:
        return {}
    page = query.page(values)
    asked = {key: value for key, value in values.items() if key != "page"}

    def at(number: int) -> str:
        arguments = {**asked, **keep, **({"page": number} if number > 1 else {})}
        return url_for("catalog.answer", name=query.name) + ("?" + urlencode(arguments) if arguments else "")

    links = {"first": at(1)}
    if page > 1:
        links["prev"] = at(page - 1)
    if rows >= query.page_size:
        links["next"] = at(page + 1)
    return links


@bp.get("/matrix")
def matrix():
    """The evidence matrix: modes down, levels across, practices, cases, papers and gaps per cell."""
    rows = _table(engine().solutions(catalog.get("evidence-matrix", _folder()).sparql()))["rows"]
    named = [dict(zip(_MATRIX_COLUMNS, r), modeHref=r_[0]["href"], levelHref=r_[2]["href"]) for r, r_ in zip(_plain(rows), rows)]
    cells = {(row["modeLabel"], row["levelLabel"]): row for row in named}
    modes = {row["modeLabel"]: row["modeHref"] for row in named}
    levels = {row["levelLabel"]: row["levelHref"] for row in named}
    return render_template("catalog/matrix.html", modes=modes, levels=levels, cells=cells)


_MATRIX_COLUMNS = ("mode", "modeLabel", "level", "levelLabel", "practices", "practiceLabels", "cases", "papers", "gap", "gapSource", "gapQuote")


def _plain(rows):
    return [[cell["text"] for cell in row] for row in rows]


def _describe(entry: catalog.Query) -> dict:
    return {
        "name": entry.name,
        "summary": entry.summary,
        "description": entry.description,
        "tags": list(entry.tags),
        "parameters": [
            {"name": p.name, "required": p.required, "type": p.type, "default": p.default} for p in entry.parameters
        ],
        "pagination": entry.page_size,
        "url": url_for("catalog.answer", name=entry.name, _external=True),
    }


def _table(result) -> dict:
    columns = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row = []
        for column in columns:
            term = solution[column]
            row.append({"text": compact(term), "href": term.value if isinstance(term, NamedNode) else None,
                        "value": term.value if isinstance(term, Literal) else None})
        rows.append(row)
    return {"columns": columns, "rows": rows}
