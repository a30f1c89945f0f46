"""The coproduction ontology: OWL 2 DL classes and properties and the SKOS concept schemes.

The hand-edited sources are the ``*.ttl`` files beside this module; everything else (the merged
graph, the reasoner's input, the HTML documentation) is built from them on demand.
"""

from coprokg.ontology.files import ONTOLOGY_DIR, ONTOLOGY_IRI, merged_graph, serialized, source_files, version


def docs_html() -> str:
    """The HTML documentation of the ontology (pyLODE), rebuilt when a source changes."""
    from coprokg.ontology.docs import html

    return html()


__all__ = ["ONTOLOGY_DIR", "ONTOLOGY_IRI", "docs_html", "merged_graph", "serialized", "source_files", "version"]
