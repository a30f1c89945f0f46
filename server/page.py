"""What the HTML page of a resource shows, from its outgoing and incoming statements.

The sections are data: a title, a direction and the properties (the project's vocabulary) whose
values they list. A section with nothing in it is left out, so one table serves papers,
concepts, people, case studies and practices alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from pyoxigraph import Literal, NamedNode
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS

from coprokg.vocab import CITO, COP, PREFIXES

OUT, IN = "out", "in"
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Concepts", OUT, (DCTERMS.subject, COP.about)),
    ("Cites", OUT, (CITO.cites,)),
    ("Cited by", IN, (CITO.cites,)),
    ("Reviews covering it", IN, (CITO.reviews,)),
    ("Case studies and practices reported in it", IN, (COP.reportedBy, COP.reportedIn)),
    ("Reviews", OUT, (CITO.reviews,)),
    ("Authors", OUT, (DCTERMS.creator,)),
    ("Sources", OUT, (DCTERMS.source, COP.reportedBy, COP.reportedIn)),
    ("Broader", OUT, (SKOS.broader,)),
    ("Narrower", IN, (SKOS.broader,)),
    ("Papers using it", IN, (DCTERMS.subject, COP.modelType, COP.discipline)),
    ("Practices using it", IN, (COP.mode, COP.level, COP.involvesRole, COP.addressesEquality)),
    ("Case studies using it", IN, (COP.usesMethod, COP.informsObjective, COP.administrationLevel)),
    ("Findings about it", IN, (COP.about,)),
    ("Drawing on it", IN, (DCTERMS.source,)),
)
# What a work's page shows first after its reference, in this order (then its disagreements).
WORK_FIRST = ("Concepts", "Cites", "Cited by", "Reviews covering it", "Case studies and practices reported in it")
LABELS = (RDFS.label, SKOS.prefLabel, FOAF.name, DCTERMS.title)
DEFINITIONS = (SKOS.definition, RDFS.comment, DCTERMS.abstract)
LINKABLE = ("http://", "https://")  # any other IRI scheme is shown as text, never as a link


def href(iri: str, base: str) -> str | None:
    """Where this server shows ``iri``: an IRI under ``base`` at the same path here, another
    http(s) IRI as it is, and None for any other scheme (``javascript:``, ``data:``, ``urn:``...),
    which a page shows as text: anyone who may load data could otherwise plant a link."""
    if iri.startswith(base):
        return urlsplit(base).path + iri[len(base):]
    return iri if iri.lower().startswith(LINKABLE) else None


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None = None
    note: str = ""  # a literal's language or datatype, an IRI's full form


class Page:
    def __init__(self, iri: str, outgoing: list, incoming: list, base: str, printed: dict[str, str] | None = None):
        self.iri = iri
        self._base = base
        self._printed = printed or {}  # works' labels, those that print alike told apart
        self.properties = [(self.link(NamedNode(p)), self.link(o, label)) for p, o, label in outgoing]
        self.incoming = [(self.link(s, label), self.link(NamedNode(p))) for s, p, label in incoming]
        self.disagreements: list[tuple] = []
        self.concepts: list[tuple[Link, list[tuple[str, Link | None]]]] = []
        values = {}
        for p, o, _ in outgoing:
            values.setdefault(p, []).append(o)
        self.label = self._printed.get(iri) or next((values[str(p)][0].value for p in LABELS if str(p) in values),
                                                    iri.rsplit("/", 1)[-1])
        self.types = [self.link(o, label) for p, o, label in outgoing if p == str(RDF.type)]
        self.definition = next((values[str(p)][0].value for p in DEFINITIONS if str(p) in values), None)
        self.sections = []
        for title, direction, predicates in SECTIONS:
            wanted = {str(p) for p in predicates}
            if direction == OUT:
                items = [self.link(o, label) for p, o, label in outgoing if p in wanted]
            else:
                items = [self.link(s, label) for s, p, label in incoming if p in wanted]
            if items:
                self.sections.append((title, list(dict.fromkeys(items))))

    def section(self, title: str) -> list[Link]:
        return next((items for name, items in self.sections if name == title), [])

    @property
    def other_sections(self) -> list[tuple[str, list[Link]]]:
        """The sections a work's page shows after what it shows first (WORK_FIRST)."""
        return [(title, items) for title, items in self.sections if title not in WORK_FIRST]

    def add_disagreements(self, rows) -> None:
        """The readings of the disagreements about this resource (server/rq/entity-disagreements.rq):
        (property, value, source, place and passage, whether it is the default reading)."""
        self.disagreements = [
            (self.link(row["property"]), self.link(row["value"]),
             self.link(row["source"], row["sourceLabel"].value if row["sourceLabel"] else None) if row["source"] else None,
             "; ".join(t.value for t in (row["place"], row["quote"]) if t is not None),
             row["default"] is not None and row["default"].value == "true")
            for row in rows
        ]

    def add_concepts(self, rows) -> None:
        """The concepts a work is about, each with its quoted passages and where each passage is
        (server/rq/entity-concepts.rq): [(concept, [(passage, source or None)])]."""
        passages: dict[Link, list] = {}
        for row in rows:
            concept = self.link(row["concept"], row["label"].value if row["label"] else None)
            quoted = passages.setdefault(concept, [])
            if row["quote"] is not None:
                source = row["source"]
                quoted.append((row["quote"].value, self.link(source, row["sourceLabel"].value if row["sourceLabel"] else None)
                               if source is not None and source.value != self.iri else None))
        self.concepts = sorted(((c, sorted(q, key=lambda p: p[0])) for c, q in passages.items()),
                               key=lambda item: (item[0].text.casefold(), item[0].note))

    def link(self, term, label: str | None = None) -> Link:
        if isinstance(term, Literal):
            note = term.language or term.datatype.value.rsplit("#", 1)[-1]
            return Link(term.value, None, "" if note == "string" else note)
        if isinstance(term, NamedNode):
            iri = term.value
            text = (self._printed.get(iri) if iri.startswith(self._base) else None) or label or _curie(iri)
            return Link(text, href(iri, self._base), iri)  # javascript:, data:, urn: ... as text (href None)
        return Link(str(term))


def _curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri
