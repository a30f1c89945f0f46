"""GET /ontology: the ontology as HTML documentation or as RDF, by content negotiation.

``/ontology`` answers in the representation the Accept header prefers (HTML for browsers,
Turtle, RDF/XML, JSON-LD or N-Triples for tools; HTML when nothing is asked for) and says
``Vary: Accept``. ``/ontology.ttl``, ``.rdf``, ``.jsonld``, ``.nt`` and ``.html`` name one
representation each.

The HTML is pyLODE's documentation (:mod:`coprokg.ontology.docs`) inside the site's layout:
its contents first, its own styles left out (the site's stylesheet serves, and the security
policy allows no inline style), and links to IRIs under the base turned into links to their
pages on this server, as on every other page.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, render_template, request
from markupsafe import Markup

from coprokg import ontology
from coprokg import formats
from coprokg.server.http import settings
from coprokg.server.ui import local_href

bp = Blueprint("ontology_pages", __name__)

HTML = "text/html"
SUFFIXES = {"html": HTML, "ttl": "text/turtle", "rdf": "application/rdf+xml", "jsonld": "application/ld+json", "nt": "application/n-triples"}
BY_MEDIA_TYPE = {fmt.media_type: fmt for fmt in formats.GRAPH_FORMATS}
OFFERED = [HTML, *BY_MEDIA_TYPE]
BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
CONTENTS = '<div id="toc">'


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
        return Response(_page(), mimetype=HTML)
    fmt = BY_MEDIA_TYPE[media_type]
    return Response(ontology.serialized(fmt), mimetype=fmt.media_type)


def _page() -> str:
    """pyLODE's documentation inside the site's layout, its contents first."""
    body = BODY.search(ontology.docs_html()).group(1)
    documentation, _, contents = body.partition(CONTENTS)
    contents = contents.rsplit("</div>", 1)[0]
    base = settings().base_iri
    linked = re.compile(r'href="(' + re.escape(base) + r'[^"]*)"')
    local = lambda text: linked.sub(lambda m: f'href="{local_href(m.group(1))}"', text)  # noqa: E731
    return render_template("ui/ontology.html", documentation=Markup(local(documentation)), contents=Markup(local(contents)))
