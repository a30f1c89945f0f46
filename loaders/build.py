"""Works to triples, in the project's vocabulary (DESIGN.md, "Vocabularies"), as store terms.

One function per kind of record; every format goes through them, so the graph a paper gives
does not depend on the file it came from. Labels that name concepts, countries and works that
cite or review a paper are resolved here, and what cannot be resolved is reported with the
record and field it came from.

The shapes' per-record constraints (a title, a four-digit year, a DOI's syntax, an author's
family name, text without control characters) are checked here, as each record is built,
with the shapes' own messages, so they are reported early and by record; pySHACL then
validates what was built (see :mod:`coprokg.loaders.shacl`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode
from rdflib import URIRef
from rdflib.namespace import SH

from coprokg.vocab import VOCAB_BASE
from coprokg.loaders.concepts import ConceptIndex, squash
from coprokg.loaders.iris import annotation_iri, journal_iri, normalise_doi, normalise_issn, normalise_title, paper_iri
from coprokg.loaders.people import People
from coprokg.loaders.report import Origin, Report
from coprokg.loaders.terms import BIBO, CITO, COP, COUNTRY, DCTERMS, FABIO, FOAF, OA, OWL, RDF, RDFS, SCHEMA, SKOS, XSD, \
    iri, year
from coprokg.loaders.work import Work, page_range
from coprokg.shapes.validate import message

CLASSES = {
    "article": BIBO.AcademicArticle, "book": BIBO.Book, "chapter": BIBO.BookSection, "report": BIBO.Report,
    "webpage": BIBO.Webpage, "document": BIBO.Document, "thesis": BIBO.Thesis, "preprint": FABIO.Preprint,
}
# What a load counts as a paper, whatever format it came in.
PAPER_CLASSES = frozenset(CLASSES.values()) | {FABIO.JournalArticle}
CURATOR = iri(VOCAB_BASE + "agent/curator")
_YEAR = re.compile(r"^\d{4}$")
BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Bidirectional controls (a right-to-left override makes a title read backwards on screen).
DIRECTION = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_TEXT_FIELDS = ("title", "authors", "editors", "year", "container", "volume", "issue", "pages", "doi", "urls",
                "publisher", "abstract", "keywords", "notes", "funding", "contribution")


def _countries() -> dict[str, str]:
    with open(Path(__file__).with_name("countries.csv"), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = {squash(row["name"]): row["code"] for row in rows}
    table.update({squash(row["code"]): row["code"] for row in rows})
    return table


COUNTRIES = _countries()


@dataclass
class Context:
    """What building needs beyond the record: concepts, options, where to report, and the
    resources records share (people, journals, books), whose triples are made once per load."""

    concepts: ConceptIndex
    report: Report
    base: str = VOCAB_BASE
    cited_by: list[str] = field(default_factory=list)
    reviewed_in: list[str] = field(default_factory=list)
    shared: list[tuple] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)  # shared resource -> first record naming it
    people: People | None = None  # made by the pipeline, which knows the store's people
    journals: dict[str, NamedNode] = field(default_factory=dict)
    issns: dict[str, str] = field(default_factory=dict)  # normalised journal title -> its ISSN in the load

    def __post_init__(self):
        if self.people is None:
            self.people = People(self.report, self.base)

    def person(self, family: str, given: str, origin: Origin, name: str, orcid: str | None = None) -> NamedNode | None:
        """A person's IRI (see :mod:`coprokg.loaders.people`); a person spelt two ways in one
        load keeps the first spelling."""
        if not family.strip():
            self.report.error(origin, message(FOAF.familyName.value), field=name, value=f"{family}, {given}".strip(", "))
            return None
        person = iri(self.people.iri(family, given, origin, name, orcid))
        if person.value not in self.origins:
            given = self.people.given(person.value, family, given)  # initials of a person known by full name
            self.origins[person.value] = origin
            self.shared.extend(person_triples(person, family, given))
            if orcid:
                self.shared.append((person, OWL.sameAs, iri(orcid)))
        return person

    def journal(self, title: str, origin: Origin, issn: str | None = None) -> NamedNode:
        """A journal (bibo:Journal with its title and ISSN), the first spelling of a load kept:
        named by its ISSN when a record of the load gives one, else by its title."""
        key = (title, issn)
        journal = self.journals.get(key)
        if journal is None:
            issn = issn or self.issns.get(normalise_title(title))
            journal = self.journals[key] = iri(str(journal_iri(title, issn, base=self.base)))
            if journal.value not in self.origins:
                self.origins[journal.value] = origin
                self.shared += [(journal, RDF.type, BIBO.Journal), (journal, DCTERMS.title, Literal(title))]
                if issn:
                    self.shared.append((journal, BIBO.issn, Literal(issn)))
        return journal

    def book(self, work: Work) -> NamedNode:
        """The book a chapter is part of: minted as the book itself would be (its first
        editor, the year and its title), with its title, editors, publisher and year."""
        family = work.editors[0][0] if work.editors else None
        book = iri(str(paper_iri(doi=None, family=family, year=_year(work), title=work.container, base=self.base)))
        if book.value not in self.origins:
            self.origins[book.value] = work.origin
            t = [(book, RDF.type, BIBO.Book), (book, DCTERMS.title, Literal(work.container))]
            if _year(work):
                t.append((book, DCTERMS.issued, year(work.year)))
            if work.publisher:
                t.append((book, DCTERMS.publisher, Literal(work.publisher)))
            t += self.editors(book, work)
            if family:
                t.append((book, RDFS.label, Literal(_citation_label(work.editors, work.year))))
            self.shared += t
        return book

    def editors(self, work_iri: NamedNode, work: Work) -> list[tuple]:
        editors = (self.person(family, given, work.origin, "editors") for family, given in work.editors)
        return [(work_iri, BIBO.editor, e) for e in dict.fromkeys(editors) if e is not None]

    def work_iri(self, value: str, origin: Origin, name: str) -> NamedNode | None:
        """A paper named by IRI or DOI (the cited_by / reviewed_in columns and options)."""
        if value.startswith(("http://", "https://")) and not re.match(r"^https?://(dx\.)?doi\.org/", value):
            return self.named(value, origin, name)
        doi = normalise_doi(value)
        if doi is None:
            return self._bad(value, origin, name)
        return iri(str(paper_iri(doi=doi, family=None, year=None, title=None, base=self.base)))

    def named(self, value: str, origin: Origin, name: str) -> NamedNode | None:
        """An IRI written in a field, or None (reported) when it is not a valid IRI."""
        try:
            return iri(value) if not re.search(r"[\s<>\"{}|\\^`]", value) else self._bad(value, origin, name)
        except ValueError:
            return self._bad(value, origin, name)

    def _bad(self, value: str, origin: Origin, name: str) -> None:
        self.report.error(origin, "this is neither a DOI nor an http(s) IRI of a paper",
                          "write a DOI such as 10.1080/10967494.2021.1969486, or the paper's IRI", field=name, value=value)

    def concepts_for(self, labels: list[str], origin: Origin, name: str, scheme: str | None = None) -> list[NamedNode]:
        within = URIRef(f"{VOCAB_BASE}scheme/{scheme}") if scheme else None
        found: list[NamedNode] = []
        for label in labels:
            matches = self.concepts.resolve(label, within)
            if not matches:
                close = self.concepts.suggest(label, within)
                hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else \
                    "use a prefLabel or altLabel of the ontology (coprokg query: SELECT ?l { ?c skos:prefLabel ?l })"
                self.report.error(origin, "no concept has this label" + (f" in scheme {scheme}" if scheme else ""),
                                  hint, field=name, value=label)
            found.extend(iri(str(c)) for c in sorted(matches))
        return found

    def country(self, value: str, origin: Origin, name: str) -> NamedNode | None:
        code = COUNTRIES.get(squash(value))
        if code is None:
            self.report.error(origin, "unknown country", "write the ISO 3166 alpha-3 code (SWE, GBR, USA...)",
                              field=name, value=value)
            return None
        return COUNTRY[code]


def paper_key(work: Work) -> str:
    """The IRI a work would get on its own (from its DOI, else first author, year and title)."""
    return str(mint(work, VOCAB_BASE))


def mint(work: Work, base: str, distinction: tuple = ()) -> URIRef:
    """A work's IRI; ``distinction`` (volume, container, kind) when another work has its title
    key (:func:`coprokg.loaders.dedupe.assign`)."""
    return paper_iri(doi=normalise_doi(work.doi or ""), family=work.first_family, year=_year(work), title=work.title,
                     record_id=work.origin.key, distinction="|".join(str(part or "") for part in distinction),
                     base=base)


def _year(work: Work) -> str | None:
    return work.year if work.year and _YEAR.match(work.year) else None


def bad_text(fields: dict[str, object]) -> tuple[str, str] | None:
    """The first (field, value) whose text holds a control or broken character."""
    for name, value in fields.items():
        for text in value if isinstance(value, list) else [value]:
            for part in text if isinstance(text, tuple) else [text]:
                if isinstance(part, str) and BAD_TEXT.search(part):
                    return name, part
    return None


def report_direction_controls(report: Report, origin: Origin, fields: dict[str, object]) -> None:
    """A warning for each field whose text holds a bidirectional control character."""
    for name, value in fields.items():
        texts = [p for text in (value if isinstance(value, list) else [value])
                 for p in (text if isinstance(text, tuple) else [text]) if isinstance(p, str)]
        found = next((t for t in texts if DIRECTION.search(t)), None)
        if found:
            codes = ", ".join(sorted({f"U+{ord(c):04X}" for c in DIRECTION.findall(found)}))
            report.warning(origin, f"the text holds a bidirectional control character ({codes}): it displays in "
                           "another order than it is stored", "remove it unless the text needs it", field=name,
                           value=found.encode("unicode_escape").decode("ascii") if len(found) < 200 else None)


def report_bad_text(report: Report, origin: Origin, found: tuple[str, str]) -> None:
    report.error(origin, "the text holds a control character (such as NUL) or a broken character",
                 "remove it; export the file again as UTF-8 text", field=found[0],
                 value=found[1].encode("utf-8", "backslashreplace").decode("utf-8"))


def work_triples(work: Work, paper: NamedNode, ctx: Context) -> list[tuple]:
    """The triples of one work, whose IRI ``paper`` dedupe has already chosen: what the paper
    says and the annotations about it (people, journals and books go to ``ctx.shared``)."""
    o = work.origin
    texts = {name: getattr(work, name) for name in _TEXT_FIELDS}
    found = bad_text(texts)
    if found:
        report_bad_text(ctx.report, o, found)
        return []
    report_direction_controls(ctx.report, o, texts)
    t: list[tuple] = [(paper, RDF.type, CLASSES.get(work.kind, BIBO.Document))]
    add = t.append
    if work.title:
        add((paper, DCTERMS.title, Literal(work.title)))
    if work.year:
        if _year(work):
            add((paper, DCTERMS.issued, year(work.year)))
        else:
            ctx.report.error(o, message(DCTERMS.issued.value, SH.pattern), field="year", value=work.year)
    if work.doi:
        doi = normalise_doi(work.doi)
        if doi:
            add((paper, BIBO.doi, Literal(doi)))
        else:
            ctx.report.error(o, message(BIBO.doi.value), field="doi", value=work.doi)
    if work.authors:
        seq = NamedNode(paper.value + "#authors")
        add((paper, BIBO.authorList, seq))
        add((seq, RDF.type, RDF.Seq))
        people = [ctx.person(family, given, o, "authors", work.orcids.get((family, given))) for family, given in work.authors]
        for n, person in enumerate(people, 1):
            if person is not None:
                add((seq, RDF[f"_{n}"], person))
        t.extend((paper, DCTERMS.creator, person) for person in dict.fromkeys(people) if person is not None)
    names = work.authors or (work.editors if work.kind == "book" else [])
    if names:
        add((paper, RDFS.label, Literal(_citation_label(names, work.year))))
    if work.kind == "book":
        t.extend(ctx.editors(paper, work))
    book = work.kind == "chapter" and work.container
    if book:
        add((paper, DCTERMS.isPartOf, ctx.book(work)))
    elif work.container:
        add((paper, DCTERMS.isPartOf, ctx.journal(work.container, o, normalise_issn(work.issn))))
    for prop, value in ((BIBO.volume, work.volume), (BIBO.issue, work.issue), (DCTERMS.abstract, work.abstract),
                        (DCTERMS.publisher, None if book else work.publisher)):
        if value:
            add((paper, prop, Literal(value)))
    t.extend((paper, SCHEMA.keywords, Literal(k)) for k in dict.fromkeys(work.keywords))
    t.extend((paper, BIBO.uri, Literal(url, datatype=XSD.anyURI)) for url in dict.fromkeys(work.urls))
    t.extend((paper, SKOS.note, Literal(note)) for note in dict.fromkeys(work.notes))
    t.extend((paper, COP.fundingStatement, Literal(text)) for text in dict.fromkeys(work.funding))
    if work.pages:
        pages = page_range(work.pages)
        if pages:
            add((paper, BIBO.pageStart, Literal(pages[0])))
            add((paper, BIBO.pageEnd, Literal(pages[1])))
        else:
            add((paper, BIBO.pages, Literal(work.pages)))
    t.extend((paper, COP.modelType, c) for c in ctx.concepts_for(work.model_types, o, "model_type", "model-type"))
    t.extend((paper, COP.discipline, c) for c in ctx.concepts_for(work.disciplines, o, "discipline", "discipline"))
    t.extend((paper, DCTERMS.subject, c) for c in ctx.concepts_for(work.concepts, o, "concepts"))
    for value in work.countries:
        country = ctx.country(value, o, "country")
        if country is not None:
            add((paper, COP.authorCountry, country))
    for value in [*work.cited_by, *ctx.cited_by]:
        citing = ctx.work_iri(value, o, "cited_by")
        if citing is not None:
            add((citing, CITO.cites, paper))
    reviews = [r for r in (ctx.work_iri(v, o, "reviewed_in") for v in [*work.reviewed_in, *ctx.reviewed_in]) if r]
    for review in reviews:
        add((review, CITO.reviews, paper))
        if work.contribution:
            t.extend(_contribution(paper, review, work.contribution, ctx.base))
    if not work.year:
        ctx.report.warning(o, "The record has no year. Add it if the work is dated.", field="year")
    if not work.authors and not (work.kind == "book" and work.editors):
        ctx.report.warning(o, "The record has no authors. Add them if the work names any.", field="authors")
    if not work.title and not reviews:
        ctx.report.error(o, "The record has no title. Add the title of the work (only rows of a review's table, "
                         "with reviewed_in, may lack one).", field="title")
    if work.contribution and not reviews:
        ctx.report.error(o, "a contribution needs the review it comes from", "fill reviewed_in (DOI or IRI of the review)",
                         field="contribution", value=work.contribution)
    return t


def person_triples(person: NamedNode, family: str, given: str) -> list[tuple]:
    t = [(person, RDF.type, FOAF.Person), (person, FOAF.familyName, Literal(family)),
         (person, FOAF.name, Literal(f"{given} {family}".strip()))]
    if given:
        t.append((person, FOAF.givenName, Literal(given)))
    return t


def _citation_label(names: list[tuple[str, str]], year_text: str | None) -> str:
    more = " et al." if len(names) > 1 else ""
    return f"{names[0][0]}{more} {year_text or 'n.d.'}"


def _contribution(paper: NamedNode, review: NamedNode, text: str, base: str) -> list[tuple]:
    note = NamedNode(str(annotation_iri(paper.value, text, OA.describing.value, CURATOR.value, "", base=base)))
    body = NamedNode(note.value + "#body")
    return [(note, RDF.type, OA.Annotation), (note, OA.motivatedBy, OA.describing), (note, OA.hasTarget, paper),
            (note, OA.hasBody, body), (body, RDF.type, OA.TextualBody), (body, RDF.value, Literal(text)),
            (note, DCTERMS.creator, CURATOR), (note, DCTERMS.source, review)]
