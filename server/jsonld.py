"""GET /context.jsonld: the JSON-LD context of the project's vocabulary, and compact JSON-LD with it.

https://www.w3.org/TR/json-ld11/#the-context

The context is made from the ontology: the prefixes of ``coprokg.vocab``, ``id`` and ``type``
for ``@id`` and ``@type``, and one term per class and property the ontology declares (its own
and the external terms it declares locally), named by its local name (``title``, ``creator``,
``modelType``); object properties take IRIs as values. Where two terms share a local name the
ontology's own keeps it and the other is written as a prefixed name. The Linked Data pages'
JSON-LD is compacted with it (rdflib's JSON-LD serializer) and refers to it by URL, so a web
developer reads plain keys and a JSON-LD processor expands them back to the same triples.
"""

from __future__ import annotations

import json
from functools import lru_cache

from flask import Blueprint, Response, request
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from coprokg.ontology.files import merged_graph, stamp
from coprokg.vocab import COP, PREFIXES

bp = Blueprint("jsonld", __name__)

MEDIA_TYPE = "application/ld+json"
PATH = "/context.jsonld"
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@bp.get(PATH)
def context_document():
    response = Response(json.dumps({"@context": context()}, indent=2, ensure_ascii=False), content_type=MEDIA_TYPE)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def context() -> dict:
    return _context(stamp())


@lru_cache(maxsize=2)
def _context(_sources: tuple) -> dict:
    graph = merged_graph()
    terms: dict[str, dict | str] = {"id": "@id", "type": "@type"}
    terms.update({prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())})
    candidates = sorted(
        {(iri, kind) for kind in KINDS for iri in graph.subjects(RDF.type, kind) if isinstance(iri, URIRef)},
        key=lambda pair: (not str(pair[0]).startswith(str(COP)), str(pair[0])),
    )
    for iri, kind in candidates:
        name = _local_name(str(iri))
        if not name or name in terms:
            continue
        terms[name] = {"@id": str(iri), "@type": "@id"} if kind == OWL.ObjectProperty else str(iri)
    return terms


def compact(ntriples: bytes) -> bytes:
    """N-Triples as JSON-LD compacted with the context, which it names by its URL here."""
    graph = Graph().parse(data=ntriples, format="nt")
    document = json.loads(graph.serialize(format="json-ld", context=context(), auto_compact=True))
    document["@context"] = request.host_url.rstrip("/") + PATH
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def _local_name(iri: str) -> str:
    for separator in ("#", "/"):
        if separator in iri:
            iri = iri.rsplit(separator, 1)[1]
    return iri if iri.replace("_", "").replace("-", "").isalnum() else ""
