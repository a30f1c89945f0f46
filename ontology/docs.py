"""HTML documentation of the ontology: pyLODE 3 documents the classes and properties, and a
section of concept schemes (which pyLODE's OntPub profile does not list) is added to the page."""

from __future__ import annotations

import html as markup
import logging
import sys
import types
from functools import lru_cache
from importlib import metadata

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from coprokg.ontology.files import OntologyError, merged_graph, source_files, stamp

EXTERNAL_DECLARATIONS = "external.ttl"
NAMESPACES_DIV = '<div id="namespaces">'
NAMESPACES_TOC = '<li>\n          <h4>\n            <a href="#namespaces">'


def _import_ontpub():
    """pyLODE's OntPub, working around two import-time effects of pyLODE 3.4: its version module
    reads a pyproject.toml that wheels do not install (RDFLib/pyLODE#260), and one of its
    modules calls logging.basicConfig(level=DEBUG), which would take over this process's logging."""
    if "pylode.version" not in sys.modules:
        shim = types.ModuleType("pylode.version")
        shim.__version__ = metadata.version("pylode")
        sys.modules["pylode.version"] = shim
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        from pylode import OntPub
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return OntPub


def render_html(graph: Graph | None = None) -> str:
    """The ontology documented as one self-contained HTML page."""
    graph = graph if graph is not None else merged_graph(_documented_files())
    owl_part = Graph()
    for prefix, namespace in graph.namespaces():
        owl_part.bind(prefix, namespace)
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    for triple in graph:
        if triple[0] not in schemes:  # OntPub would take every scheme for the ontology itself
            owl_part.add(triple)
    try:
        page = _import_ontpub()(ontology=owl_part).make_html()
    except Exception as error:  # pyLODE reports problems in the ontology as various exceptions
        raise OntologyError(f"pyLODE could not document the ontology: {error}", where="ontology/*.ttl") from None
    section, toc = _schemes_section(graph)
    page = page.replace(NAMESPACES_DIV, section + NAMESPACES_DIV, 1)
    return page.replace(NAMESPACES_TOC, toc + NAMESPACES_TOC, 1)


@lru_cache(maxsize=4)
def _cached_html(stamp: tuple) -> str:
    return render_html()


def html() -> str:
    """The documentation of the current sources, rebuilt only when a source file changes."""
    return _cached_html(stamp())


def _documented_files():
    return [path for path in source_files() if path.name != EXTERNAL_DECLARATIONS]


def _schemes_section(graph: Graph) -> tuple[str, str]:
    schemes = sorted(graph.subjects(RDF.type, SKOS.ConceptScheme), key=lambda s: _label(graph, s))
    parts = ['<div id="conceptschemes">\n<h2>Concept Schemes</h2>\n']
    toc = ['<li>\n<h4><a href="#conceptschemes">Concept Schemes</a></h4>\n<ul class="second">\n']
    for scheme in schemes:
        anchor = "scheme-" + str(scheme).rstrip("/").rsplit("/", 1)[-1]
        tops = [c for c in graph.subjects(SKOS.inScheme, scheme) if (c, SKOS.topConceptOf, scheme) in graph]
        count = sum(1 for _ in graph.subjects(SKOS.inScheme, scheme))
        parts.append(
            f'<div class="property entity" id="{anchor}">\n<h3>{_text(_label(graph, scheme))} '
            f'<sup title="concepts">{count}</sup></h3>\n<p><a href="{_text(scheme)}">{_text(scheme)}</a></p>\n'
            f"<p>{_text(graph.value(scheme, SKOS.definition) or '')}</p>\n{_tree(graph, scheme, tops)}</div>\n"
        )
        toc.append(f'<li><a href="#{anchor}">{_text(_label(graph, scheme))}</a></li>\n')
    parts.append("</div>\n")
    toc.append("</ul>\n</li>\n")
    return "".join(parts), "".join(toc)


def _tree(graph: Graph, scheme: URIRef, concepts: list) -> str:
    if not concepts:
        return ""
    items = []
    for concept in sorted(concepts, key=lambda c: _label(graph, c)):
        narrower = [c for c in graph.subjects(SKOS.broader, concept) if (c, SKOS.inScheme, scheme) in graph]
        alt = ", ".join(sorted(str(a) for a in graph.objects(concept, SKOS.altLabel)))
        sources = " ".join(f'<a href="{_text(s)}">source</a>' for s in sorted(graph.objects(concept, DCTERMS.source)))
        items.append(
            f'<li id="{_text(str(concept).rsplit("/", 1)[-1])}"><a href="{_text(concept)}"><b>{_text(_label(graph, concept))}</b></a>'
            + (f" <i>({_text(alt)})</i>" if alt else "")
            + f": {_text(graph.value(concept, SKOS.definition) or '')} {sources}"
            + "".join(f"<br><small>{_text(note)}</small>" for note in graph.objects(concept, SKOS.scopeNote))
            + _tree(graph, scheme, narrower)
            + "</li>\n"
        )
    return "<ul>\n" + "".join(items) + "</ul>\n"


def _label(graph: Graph, resource) -> str:
    return str(graph.value(resource, SKOS.prefLabel) or resource)


def _text(value) -> str:
    return markup.escape(str(value))
