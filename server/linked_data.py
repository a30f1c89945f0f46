"""Linked Data: every IRI under the base (``COPROKG_BASE_IRI``) dereferences at the same path here.

https://www.w3.org/TR/cooluris/ ; https://www.w3.org/TR/ldp-bp/

A browser gets an HTML page (label, types, definition, every property, incoming links, and
the sections that matter for papers and concepts); an RDF client gets the resource's
triples in the format its Accept header or a suffix (.ttl, .nt, .jsonld, .rdf) asks for.
Unknown IRIs are 404.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, render_template, request
from pyoxigraph import NamedNode

from coprokg import formats
from coprokg.server import citations, jsonld, network, papers
from coprokg.server.http import engine, negotiate, not_acceptable, not_modified, settings, with_media_type
from coprokg.server.page import Page
from coprokg.server.papers import cited
from coprokg.store import derived

RQ = Path(__file__).parent / "rq"


def _text(name: str) -> str:
    """A query of the pages, with the summary graphs it leaves out: the derived graphs that are
    not inferences (the summaries, the derivations' records) are the browser's and the
    catalog's bookkeeping (places, counts, joined names), not statements about the resource,
    and a much-cited work's list of citing names would fill its page. SPARQL reads them."""
    summaries = " ".join(str(graph) for graph in derived.derived_graphs() if graph not in derived.inferred_graphs())
    return (RQ / name).read_text(encoding="utf-8").replace("SUMMARY_GRAPHS", summaries)


SUFFIXES = {f.serializer.file_extension: f for f in formats.GRAPH_FORMATS}  # ttl, nt, jsonld, rdf


def register(app: Flask) -> None:
    """Route every path under the base IRI's path to :func:`resource`."""
    prefix = urlsplit(app.config["SETTINGS"].base_iri).path
    bp = Blueprint("linked_data", __name__)
    bp.add_url_rule(prefix + "<path:rest>", view_func=resource, methods=["GET", "HEAD"])
    app.register_blueprint(bp)


def resource(rest: str):
    base = settings().base_iri
    iri, fmt, path = _lookup(base, rest)
    if iri is None:
        abort(404, description=f"nothing in the graph is named <{base + rest}>")
    if fmt is None and _wants_citation():
        works = citations.records(engine(), {"paper": iri})
        if works:
            return cited(works, _wants_citation(), rest.rsplit("/", 1)[-1])
    if fmt is None:
        fmt = negotiate(formats.GRAPH_FORMATS, allow_html=True)
        if fmt is None:
            return not_acceptable(formats.GRAPH_FORMATS)
    etag = engine().etag("resource", iri, fmt if fmt == "html" else fmt.media_type)
    response = not_modified(etag)
    if response is None:
        response = _html(iri, path) if fmt == "html" else _rdf(iri, fmt)
        response.headers["ETag"] = etag
    response.vary.add("Accept")
    response.headers["Link"] = ", ".join(
        f'<{path}.{ext}>; rel="alternate"; type="{f.media_type}"' for ext, f in SUFFIXES.items()
    )
    return response


def _wants_citation() -> str | None:
    """The citation format (bibtex, ris, csl-json) the Accept header prefers, if it prefers one."""
    by_media_type = {media_type: name for name, (media_type, _, _) in citations.FORMATS.items()}
    offered = ["text/html", *(f.media_type for f in formats.GRAPH_FORMATS), *by_media_type]
    return by_media_type.get(request.accept_mimetypes.best_match(offered) or "")


def _lookup(base: str, rest: str) -> tuple[str | None, formats.Format | None, str]:
    """The IRI the request names, the format its suffix asks for, and its path as sent.

    The path is tried as sent first, so that an IRI holding percent-escapes (a DOI's
    ``%28``, as the loaders mint it) is found, then as decoded (an IRI with non-ASCII
    letters, which a client sends escaped). A path that makes no IRI at all (``%00``,
    ``%22%3E``, broken UTF-8) names nothing: 404."""
    prefix = urlsplit(base).path
    sent = urlsplit(request.environ.get("REQUEST_URI") or request.path).path
    names = [sent[len(prefix) :]] if sent.startswith(prefix) else []
    path = sent if names else request.path
    for name in dict.fromkeys([*names, rest]):
        if _known(base + name):
            return base + name, None, path
        stem, _, suffix = name.rpartition(".")
        if suffix in SUFFIXES and _known(base + stem):
            return base + stem, SUFFIXES[suffix], path[: -len(suffix) - 1]
    return None, None, path


def _known(iri: str) -> bool:
    try:
        node = NamedNode(iri)
    except ValueError:
        return False
    return bool(engine().solutions("ASK { { ?s ?p ?o } UNION { ?x ?y ?s } }", {"s": node}))


def _rdf(iri: str, fmt: formats.Format) -> Response:
    """The resource's triples; JSON-LD compacted with the project's context (/context.jsonld)."""
    asked = formats.by_name("ntriples", formats.GRAPH_FORMATS) if fmt.name == "jsonld" else fmt
    answer = engine().query(_text("entity.rq"), asked, {}, {"s": NamedNode(iri)}, capped=False)
    body = jsonld.compact(answer.body) if fmt.name == "jsonld" else answer.body
    return Response(body, content_type=with_media_type(fmt.media_type))


def _html(iri: str, path: str) -> Response:
    node = NamedNode(iri)
    outgoing = [
        (row["p"].value, row["o"], row["label"].value if row["label"] else None)
        for row in engine().solutions(_text("entity-out.rq"), {"s": node})
    ]
    incoming = [
        (row["s"], row["p"].value, row["label"].value if row["label"] else None)
        for row in engine().solutions(_text("entity-in.rq"), {"o": node})
    ]
    disagreements = list(engine().solutions((RQ / "entity-disagreements.rq").read_text(), {"o": node}))
    works = citations.records(engine(), {"paper": iri})
    concepts = list(engine().solutions((RQ / "entity-concepts.rq").read_text(), {"o": node})) if works else []
    # The works the page names, labelled as the browser lists them (and those alone looked up).
    named = {iri, *(o.value for _, o, _ in outgoing if isinstance(o, NamedNode)),
             *(s.value for s, _, _ in incoming if isinstance(s, NamedNode)),
             *(term.value for row in disagreements + concepts for term in row if isinstance(term, NamedNode))}
    page = Page(iri, outgoing, incoming, settings().base_iri, papers.labels(named))
    page.add_disagreements(disagreements)
    if works:
        page.add_concepts(concepts)
    html = render_template("entity.html", page=page, path=path, alternates=SUFFIXES.items(), network=network.around(iri),
                           work=works[0] if works else None, cite_formats=citations.FORMATS)
    return Response(html, content_type="text/html; charset=utf-8")
