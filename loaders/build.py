"""Works and case studies to triples, in the vocabulary of the team contract.

One function per kind of record; every format goes through them, so the graph a paper gives
does not depend on the file it came from. Labels that name concepts, countries and works that
cite or review a paper are resolved here, and what cannot be resolved is reported with the
record and field it came from.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, XSD

from coprokg.vocab import BIBO, CITO, COP, COUNTRY, FABIO, OA, SCHEME, VOCAB_BASE
from loaders.concepts import ConceptIndex, squash
from loaders.iris import annotation_iri, normalise_doi, paper_iri, person_iri, slug
from loaders.report import Origin, Report
from loaders.work import Work, page_range

CLASSES = {
    "article": BIBO.AcademicArticle, "book": BIBO.Book, "chapter": BIBO.BookSection, "report": BIBO.Report,
    "webpage": BIBO.Webpage, "document": BIBO.Document, "thesis": BIBO.Thesis, "preprint": FABIO.Preprint,
}
CURATOR = URIRef(VOCAB_BASE + "agent/curator")
_YEAR = re.compile(r"^\d{4}$")


def _countries() -> dict[str, str]:
    with open(Path(__file__).with_name("countries.csv"), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    table = {squash(row["name"]): row["code"] for row in rows}
    table.update({squash(row["code"]): row["code"] for row in rows})
    return table


COUNTRIES = _countries()


@dataclass
class Context:
    """What building needs beyond the record: concepts, options, and where to report."""

    concepts: ConceptIndex
    report: Report
    base: str = VOCAB_BASE
    cited_by: list[str] = field(default_factory=list)
    reviewed_in: list[str] = field(default_factory=list)
    people: dict[URIRef, list[tuple]] = field(default_factory=dict)
    names: dict[tuple[str, str], URIRef] = field(default_factory=dict)
    journals: dict[str, list[tuple]] = field(default_factory=dict)

    def person(self, family: str, given: str) -> tuple[URIRef, list[tuple]]:
        """A person's IRI and triples; a person spelt two ways in one load keeps the first spelling."""
        iri = self.names.get((family, given))
        if iri is None:
            iri = self.names[family, given] = person_iri(family, given, base=self.base)
        if iri not in self.people:
            self.people[iri] = person_triples(iri, family, given)
        return iri, self.people[iri]

    def journal(self, title: str) -> list[tuple]:
        """A journal's triples (bibo:Journal with its title), the first spelling of a load kept."""
        if title not in self.journals:
            journal = URIRef(f"{self.base}journal/{slug(title)}")
            self.journals[title] = [(journal, RDF.type, BIBO.Journal), (journal, DCTERMS.title, Literal(title))]
        return self.journals[title]

    def work_iri(self, value: str, origin: Origin, name: str) -> URIRef | None:
        """A paper named by IRI or DOI (the cited_by / reviewed_in columns and options)."""
        if value.startswith(("http://", "https://")) and not re.match(r"^https?://(dx\.)?doi\.org/", value):
            return URIRef(value) if not re.search(r"[\s<>\"{}|\\^`]", value) else self._bad(value, origin, name)
        doi = normalise_doi(value)
        return paper_iri(doi=doi, family=None, year=None, title=None, base=self.base) if doi else self._bad(value, origin, name)

    def _bad(self, value: str, origin: Origin, name: str) -> None:
        self.report.error(origin, "this is neither a DOI nor an http(s) IRI of a paper",
                          "write a DOI such as 10.1080/10967494.2021.1969486, or the paper's IRI", field=name, value=value)

    def concepts_for(self, labels: list[str], origin: Origin, name: str, scheme: str | None = None) -> list[URIRef]:
        within = SCHEME[scheme] if scheme else None
        found: list[URIRef] = []
        for label in labels:
            matches = self.concepts.resolve(label, within)
            if not matches:
                close = self.concepts.suggest(label, within)
                hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else \
                    "use a prefLabel or altLabel of the ontology (coprokg query: SELECT ?l { ?c skos:prefLabel ?l })"
                self.report.error(origin, "no concept has this label" + (f" in scheme {scheme}" if scheme else ""),
                                  hint, field=name, value=label)
            found.extend(sorted(matches))
        return found

    def country(self, value: str, origin: Origin, name: str) -> URIRef | None:
        code = COUNTRIES.get(squash(value))
        if code is None:
            self.report.error(origin, "unknown country", "write the ISO 3166 alpha-3 code (SWE, GBR, USA...)",
                              field=name, value=value)
            return None
        return COUNTRY[code]


def paper_key(work: Work) -> str:
    """The IRI a work would get on its own (from its DOI, else first author, year and title)."""
    return str(mint(work, VOCAB_BASE))


def mint(work: Work, base: str) -> URIRef:
    year = work.year if work.year and _YEAR.match(work.year) else None
    return paper_iri(doi=normalise_doi(work.doi or ""), family=work.first_family, year=year, title=work.title,
                     record_id=work.origin.key, base=base)


def work_triples(work: Work, paper: URIRef, ctx: Context) -> list[tuple]:
    """The triples for one work, whose IRI ``paper`` dedupe has already chosen."""
    t: list[tuple] = [(paper, RDF.type, CLASSES.get(work.kind, BIBO.Document))]
    add = t.append
    if work.title:
        add((paper, DCTERMS.title, Literal(work.title)))
    if work.year:
        add((paper, DCTERMS.issued, Literal(work.year, datatype=XSD.gYear)))
    if work.doi:
        add((paper, BIBO.doi, Literal(normalise_doi(work.doi) or work.doi)))
    if work.authors:
        seq = URIRef(str(paper) + "#authors")
        add((paper, BIBO.authorList, seq))
        add((seq, RDF.type, RDF.Seq))
        for n, (family, given) in enumerate(work.authors, 1):
            person, about = ctx.person(family, given)
            add((paper, DCTERMS.creator, person))
            add((seq, RDF[f"_{n}"], person))
            t.extend(about)
    label_year = work.year or "n.d."
    if work.first_family:
        more = " et al." if len(work.authors) > 1 else ""
        add((paper, RDFS.label, Literal(f"{work.first_family}{more} {label_year}")))
    if work.container:
        t.extend(_container(paper, work, ctx))
    for prop, value in ((BIBO.volume, work.volume), (BIBO.issue, work.issue), (DCTERMS.publisher, work.publisher),
                        (DCTERMS.abstract, work.abstract)):
        if value:
            add((paper, prop, Literal(value)))
    if work.url:
        add((paper, BIBO.uri, Literal(work.url, datatype=XSD.anyURI)))
    if work.pages:
        pages = page_range(work.pages)
        if pages:
            add((paper, BIBO.pageStart, Literal(pages[0])))
            add((paper, BIBO.pageEnd, Literal(pages[1])))
        else:
            add((paper, BIBO.pages, Literal(work.pages)))
    o = work.origin
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
    if not work.authors:
        ctx.report.warning(o, "The record has no authors. Add them if the work names any.", field="authors")
    if not work.title and not reviews:
        ctx.report.error(o, "The record has no title. Add the title of the work (only rows of a review's table, "
                         "with reviewed_in, may lack one).", field="title")
    if work.contribution and not reviews:
        ctx.report.error(o, "a contribution needs the review it comes from", "fill reviewed_in (DOI or IRI of the review)",
                         field="contribution", value=work.contribution)
    return t


def person_triples(person: URIRef, family: str, given: str) -> list[tuple]:
    t = [(person, RDF.type, FOAF.Person), (person, FOAF.familyName, Literal(family)),
         (person, FOAF.name, Literal(f"{given} {family}".strip()))]
    if given:
        t.append((person, FOAF.givenName, Literal(given)))
    return t


def _container(paper: URIRef, work: Work, ctx: Context) -> list[tuple]:
    if work.kind == "chapter":
        book = paper_iri(doi=None, family=None, year=None, title=work.container, base=ctx.base)
        return [(paper, DCTERMS.isPartOf, book), (book, RDF.type, BIBO.Book), (book, DCTERMS.title, Literal(work.container))]
    about = ctx.journal(work.container)
    return [(paper, DCTERMS.isPartOf, about[0][0]), *about]


def _contribution(paper: URIRef, review: URIRef, text: str, base: str) -> list[tuple]:
    note = annotation_iri(str(paper), text, "describing", str(CURATOR), "", base=base)
    body = URIRef(str(note) + "#body")
    return [(note, RDF.type, OA.Annotation), (note, OA.motivatedBy, OA.describing), (note, OA.hasTarget, paper),
            (note, OA.hasBody, body), (body, RDF.type, OA.TextualBody), (body, RDF.value, Literal(text)),
            (note, DCTERMS.creator, CURATOR), (note, DCTERMS.source, review)]
