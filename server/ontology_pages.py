"""GET /ontology: the ontology as HTML documentation or as RDF, by content negotiation.

``/ontology`` answers in the representation the Accept header prefers (HTML for browsers,
Turtle, RDF/XML, JSON-LD or N-Triples for tools; HTML when nothing is asked for) and says
``Vary: Accept``. ``/ontology.ttl``, ``.rdf``, ``.jsonld``, ``.nt`` and ``.html`` name one
representation each.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from coprokg import ontology
from coprokg import formats

bp = Blueprint("ontology_pages", __name__)

HTML = "text/html"
SUFFIXES = {"html": HTML, "ttl": "text/turtle", "rdf": "application/rdf+xml", "jsonld": "application/ld+json", "nt": "application/n-triples"}
BY_MEDIA_TYPE = {fmt.media_type: fmt for fmt in formats.GRAPH_FORMATS}
OFFERED = [HTML, *BY_MEDIA_TYPE]


@bp.get("/ontology")
def negotiated():
    media_type = request.accept_mimetypes.best_match(OFFERED) if request.accept_mimetypes else HTML
    if media_type is None:
        abort(406, description=f"the ontology is available as {', '.join(OFFERED)}")
    response = _represent(media_type)
    response.vary.add("Accept")
    return response


@bp.get("/ontology.<suffix>")
def by_suffix(suffix: str):
    if suffix not in SUFFIXES:
        abort(404, description=f"no representation .{suffix}; use one of {', '.join('.' + s for s in SUFFIXES)}")
    return _represent(SUFFIXES[suffix])


def _represent(media_type: str) -> Response:
    if media_type == HTML:
        return Response(ontology.docs_html(), mimetype=HTML)
    fmt = BY_MEDIA_TYPE[media_type]
    return Response(ontology.serialized(fmt), mimetype=fmt.media_type)
