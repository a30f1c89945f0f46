"""The input formats, as data: name, file suffixes, media types, and the module that reads it.

Every reader has one signature, ``read(source: Source, report: Report) -> list[record]``, where a
record is a :class:`~loaders.work.Work`, a :class:`~loaders.cases.Case` or an
:class:`~loaders.rdf.RdfPart`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from coprokg.loaders import bibtex, csljson, csvtable, ris
from coprokg.loaders.rdf import reader
from coprokg.loaders.report import Report
from coprokg.loaders.source import Source


ZOTERO_RDF = "http://www.zotero.org/namespaces/export#"


def _not_zotero_rdf(read: Callable) -> Callable:
    """The RDF/XML reader, refusing Zotero's RDF export (its own z:/bib: vocabularies, items
    named "#item_4263"), which says what coprokg's model needs in other words."""
    def read_rdfxml(source: Source, report: Report) -> list:
        if ZOTERO_RDF in source.text[:20_000]:
            report.error(source.origin, "this is Zotero's RDF export (Zotero's own vocabulary), which coprokg does not "
                         "read", "export the collection from Zotero as BibTeX, Better BibTeX, RIS or CSL JSON "
                         "(File > Export Library...) and load that file")
            return []
        return read(source, report)
    return read_rdfxml


@dataclass(frozen=True)
class InputFormat:
    name: str
    suffixes: tuple[str, ...]
    media_types: tuple[str, ...]
    read: Callable


FORMATS: tuple[InputFormat, ...] = (
    InputFormat("bibtex", (".bib", ".bibtex"), ("application/x-bibtex", "text/x-bibtex"), bibtex.read),
    InputFormat("ris", (".ris",), ("application/x-research-info-systems",), ris.read),
    InputFormat("csljson", (".json", ".csl.json"), ("application/vnd.citationstyles.csl+json",), csljson.read),
    InputFormat("csv", (".csv",), ("text/csv",), csvtable.read),
    InputFormat("turtle", (".ttl",), ("text/turtle", "application/x-turtle"), reader("turtle")),
    InputFormat("trig", (".trig",), ("application/trig",), reader("trig")),
    InputFormat("ntriples", (".nt",), ("application/n-triples",), reader("ntriples")),
    InputFormat("nquads", (".nq",), ("application/n-quads",), reader("nquads")),
    InputFormat("jsonld", (".jsonld",), ("application/ld+json",), reader("jsonld")),
    InputFormat("rdfxml", (".rdf", ".owl", ".xml"), ("application/rdf+xml",), _not_zotero_rdf(reader("rdfxml"))),
)


def for_path(path: str | Path) -> InputFormat | None:
    name = str(path).lower()
    return max((f for f in FORMATS for s in f.suffixes if name.endswith(s)),
               key=lambda f: max(len(s) for s in f.suffixes if name.endswith(s)), default=None)


def for_media_type(media_type: str) -> InputFormat | None:
    bare = media_type.split(";")[0].strip().lower()
    return next((f for f in FORMATS if bare in f.media_types), None)


def suffixes() -> list[str]:
    return [s for f in FORMATS for s in f.suffixes]
