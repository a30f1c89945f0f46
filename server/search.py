"""``/search?q=``: full-text search over the graph (:mod:`coprokg.store.search`), as a page
for browsers and as JSON for programs (by the Accept header or ``format=html|json``).

Parameters: ``q`` the words ("phrases" and prefix* allowed), ``kind`` one of paper, concept,
case study, person, practice, ``page`` from 1.

At start the server brings the index in step with the store (:func:`follow_in_background`);
while it is built, search answers 503 with Retry-After and every other page is served.
"""

from __future__ import annotations

import logging
import threading

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from coprokg.errors import InvalidParameter
from coprokg.server.catalog import wants_html
from coprokg.store.search import KINDS, SearchIndex

bp = Blueprint("search", __name__)
log = logging.getLogger(__name__)
PAGE_SIZE = 20


def follow_in_background(engine, wait: float) -> None:
    """Build the store's index when missing, or rebuild it when behind the store, in a thread
    of its own; return once it is done or after ``wait`` seconds. Writes wait for the build (it
    holds the write lock); searches meanwhile raise :class:`coprokg.store.search.IndexBuilding`."""
    index = SearchIndex.of(engine.store)
    if index.version() == engine.store.version():
        return
    index.claim()  # from now on searches answer "being built", not from an index behind the store
    thread = threading.Thread(target=_follow, args=(engine,), name="search-index", daemon=True)
    thread.start()
    thread.join(wait)


def _follow(engine) -> None:
    try:
        with engine.writing():  # ends by bringing the index in step with the store
            log.info("building the full-text index of %s", engine.store.location)
    except Exception:
        log.exception("the full-text index could not be built")
    else:
        log.info("the full-text index is built")


@bp.get("/search")
def search():
    text = request.args.get("q", "").strip()
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        raise InvalidParameter(f"unknown kind {kind!r}", where="kind", hint="one of " + ", ".join(KINDS))
    page = _page()
    index = SearchIndex.of(current_app.extensions["coprokg.store"])
    results = index.search(text, kind=kind, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    more = page * PAGE_SIZE < results.total
    if wants_html():
        return render_template("ui/search.html", results=results, q=text, kind=kind, page=page, more=more,
                               kinds=KINDS, page_size=PAGE_SIZE)
    return jsonify(
        query=text, kind=kind, total=results.total, page=page, kinds=results.kinds,
        hits=[hit.as_json() for hit in results.hits],
        next=url_for(".search", q=text, kind=kind, page=page + 1, format="json") if more else None,
    )


def _page() -> int:
    value = request.args.get("page", "1")
    if not value.isdigit() or int(value) < 1:
        raise InvalidParameter(f"page must be a whole number from 1, not {value!r}", where="page", hint="page=1 is the first")
    return int(value)
