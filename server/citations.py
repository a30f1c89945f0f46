"""Works as references: BibTeX, RIS and CSL-JSON for a selection of the literature browser or
one work, read field by field (``FIELDS``); written by bibtexparser and rispy (CSL-JSON is JSON).

Citation keys and labels tell apart works that print alike: two works of the same first
author and year get ``a``, ``b``... after the year (as author-year styles print them).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import bibtexparser
import rispy
import rispy.writer
from bibtexparser.model import Entry, Field
from pyoxigraph import NamedNode

from coprokg.queries import catalog

PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX cop: <https://w3id.org/coproduction/ontology#>
"""
SUMMARY = "<https://w3id.org/coproduction/graph/summaries/browser>"  # the browser's summary graph
# What a reference manager needs to cite a work: each field a query of its own over the works
# (?paper, given as VALUES), so that the store looks each work up.
FIELDS = {
    "type": """?paper a ?type . VALUES ?type { bibo:AcademicArticle bibo:Book bibo:BookSection bibo:Report bibo:Webpage
                bibo:Document bibo:Thesis fabio:JournalArticle fabio:Preprint }""",
    "label": "?paper rdfs:label ?value", "title": "?paper dcterms:title ?value", "issued": "?paper dcterms:issued ?value",
    "container": "?paper dcterms:isPartOf/dcterms:title ?value",
    "publisher": "?paper dcterms:publisher/(foaf:name|rdfs:label) ?value",
    "volume": "?paper bibo:volume ?value", "issue": "?paper bibo:issue ?value", "pages": "?paper bibo:pages ?value",
    "pageStart": "?paper bibo:pageStart ?value", "pageEnd": "?paper bibo:pageEnd ?value", "doi": "?paper bibo:doi ?value",
    "url": "?paper bibo:uri ?value", "abstract": "?paper dcterms:abstract ?value",
    "key": f"GRAPH {SUMMARY} {{ ?paper cop:citationKey ?value }}",
    "suffix": f"GRAPH {SUMMARY} {{ ?paper cop:citationSuffix ?value }}",
    # in author-list order; or, for a work without an author list, its creators
    "author": """?paper bibo:authorList ?list . ?list ?member ?person .
                 FILTER(STRSTARTS(STR(?member), STR(rdf:_)))
                 BIND(xsd:integer(STRAFTER(STR(?member), STR(rdf:_))) AS ?position)
                 ?person foaf:familyName ?family . OPTIONAL { ?person foaf:givenName ?given }""",
    "creator": """?paper dcterms:creator ?person . FILTER NOT EXISTS { ?paper bibo:authorList ?anyList }
                  OPTIONAL { ?person foaf:familyName ?creatorFamily } OPTIONAL { ?person foaf:givenName ?given }
                  OPTIONAL { ?person foaf:name ?creatorName }
                  BIND(COALESCE(?creatorFamily, ?creatorName, STR(?person)) AS ?family)""",
}
BIBO, FABIO = "http://purl.org/ontology/bibo/", "http://purl.org/spar/fabio/"
# bibo/fabio class: (BibTeX entry type, RIS type, CSL type); the first that a work has wins
TYPES = {
    BIBO + "AcademicArticle": ("article", "JOUR", "article-journal"),
    FABIO + "JournalArticle": ("article", "JOUR", "article-journal"),
    BIBO + "BookSection": ("incollection", "CHAP", "chapter"),
    BIBO + "Book": ("book", "BOOK", "book"),
    BIBO + "Report": ("techreport", "RPRT", "report"),
    BIBO + "Thesis": ("phdthesis", "THES", "thesis"),
    FABIO + "Preprint": ("unpublished", "UNPB", "article"),
    BIBO + "Webpage": ("misc", "ELEC", "webpage"),
    BIBO + "Document": ("misc", "GEN", "document"),
}
ET_AL = "others"  # BibTeX's "and others", as the loaders keep it


@dataclass
class Record:
    iri: str
    types: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)  # every URL of the work, in order; fields["url"] is the first
    authors: list[tuple[str, str]] = field(default_factory=list)  # (family, given) in author order
    key: str = ""
    suffix: str = ""  # "a", "b"... when another work prints alike

    @property
    def kind(self) -> tuple[str, str, str]:
        return next((TYPES[t] for t in TYPES if t in self.types), TYPES[BIBO + "Document"])

    @property
    def year(self) -> str:
        return self.fields.get("issued", "")[:4]

    @property
    def pages(self) -> str:
        if "pageStart" in self.fields:
            return "--".join(filter(None, (self.fields["pageStart"], self.fields.get("pageEnd"))))
        return self.fields.get("pages", "")

    @property
    def names(self) -> list[tuple[str, str]]:
        return [name for name in self.authors if name[0] != ET_AL]

    @property
    def short(self) -> str:
        """How author-year styles print it: 'Ostrom 1996a', 'Kjellström et al. 2019'."""
        names = self.names
        who = names[0][0] if names else self.fields.get("label", "").rsplit(" ", 1)[0] or "Anonymous"
        if len(names) == 2 and len(self.authors) == 2:
            who = f"{names[0][0]} and {names[1][0]}"
        elif len(self.authors) > 2 or len(names) < len(self.authors):
            who += " et al."
        return f"{who} {self.year or 'n.d.'}{self.suffix}"


def records(engine, values: dict[str, str]) -> list[Record]:
    """The works of a selection of the literature browser (its parameters; ``paper``: one work),
    in the order of their IRIs, with the citation key and letter each has among every work (the
    browser's summary graph holds them, :mod:`coprokg.store.browser_summary`), so that a work
    has the same key and label in any selection."""
    from coprokg.server import papers  # it lists the selection (and writes these records)

    if set(values) == {"paper"}:
        iris = [catalog.read(papers.RQ / "papers-selection.rq").bind(values)["__paper_iri"].value]
    else:
        iris = sorted(work.iri for work in papers.selected(values, "year"))
    found: list[Record] = []
    for chunk in papers.in_thousands([NamedNode(iri) for iri in iris]):
        rows = {name: list(engine.solutions(PREFIXES + f"SELECT * WHERE {{ VALUES ?paper {{ {chunk} }} {pattern} }}"))
                for name, pattern in FIELDS.items()}
        found += _read(rows)
    return found


def _read(rows: dict) -> list[Record]:
    """Records from the rows of each field's query (``FIELDS``): works of none of the types left out."""
    found = {row["paper"].value: Record(row["paper"].value) for row in rows["type"]}
    authors: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for name, answer in rows.items():
        for row in answer:
            record = found.get(row["paper"].value)
            if record is None:
                continue
            if name == "type":
                record.types.append(row["type"].value)
            elif name in ("author", "creator"):
                family = row["family"].value
                given = row["given"].value if row["given"] is not None else ""
                listed = authors[record.iri]
                position = int(row["position"].value) if name == "author" else len(listed) + 1
                listed.setdefault(position, (family, given))
            elif name == "url":
                record.urls.append(row["value"].value)
            elif name in ("key", "suffix"):
                setattr(record, name, row["value"].value)
            else:
                record.fields.setdefault(name, row["value"].value)
    for iri, listed in authors.items():
        found[iri].authors = [listed[n] for n in sorted(listed)]
    for record in found.values():
        record.urls = sorted(set(record.urls))  # the same order whatever order the store answers in
        if record.urls:
            record.fields["url"] = record.urls[0]
    return [found[iri] for iri in sorted(found)]


def tell_apart(works: list[Record]) -> None:
    """Works that print alike ('Ostrom 1996') get the suffixes a, b... by title; every work gets
    a citation key unique in the list (first author and year, suffixed the same way). Run over
    every work by the browser's summary (:mod:`coprokg.store.browser_summary`), which keeps them."""
    def suffix(groups: dict[str, list[Record]]):
        for group in groups.values():
            group.sort(key=lambda work: (work.fields.get("title", "").casefold(), work.iri))
            for n, work in enumerate(group):
                yield work, (letters(n) if len(group) > 1 else "")

    printed: dict[str, list[Record]] = defaultdict(list)
    keyed: dict[str, list[Record]] = defaultdict(list)
    for work in works:
        printed[work.short.casefold()].append(work)
        first = work.names[0][0] if work.names else (work.fields.get("label") or "anonymous").split(" ")[0]
        ascii_name = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
        keyed[re.sub(r"[^A-Za-z0-9]", "", ascii_name).lower() + (work.year or "nd")].append(work)
    for work, tail in suffix(printed):
        work.suffix = tail
    for key, group in keyed.items():
        for work, tail in suffix({key: group}):
            work.key = key + tail


def letters(n: int) -> str:
    """a, b, ..., z, aa, ab, ...: as many as works that print alike."""
    return (letters(n // 26 - 1) if n >= 26 else "") + chr(ord("a") + n % 26)


def bibtex(works: list[Record]) -> str:
    library = bibtexparser.Library()
    for work in works:
        entry_type = work.kind[0]
        names = [f"{family}, {given}" if given else family for family, given in work.authors]
        values = {
            "author": " and ".join(names), "title": work.fields.get("title"), "year": work.year,
            ("booktitle" if entry_type == "incollection" else "journal"): work.fields.get("container"),
            "publisher": work.fields.get("publisher"), "volume": work.fields.get("volume"),
            "number": work.fields.get("issue"), "pages": work.pages, "doi": work.fields.get("doi"),
            "url": work.fields.get("url") or work.iri, "abstract": work.fields.get("abstract"),
        }
        library.add(Entry(entry_type, work.key, [Field(k, v) for k, v in values.items() if v]))
    return bibtexparser.write_string(library)


def ris(works: list[Record]) -> str:
    entries = []
    for work in works:
        start, _, end = work.pages.partition("--")
        values = {
            "type_of_reference": work.kind[1], "id": work.key,
            "authors": [f"{family}, {given}" if given else family for family, given in work.names],
            "primary_title": work.fields.get("title"), "year": work.year,
            "secondary_title": work.fields.get("container"), "publisher": work.fields.get("publisher"),
            "volume": work.fields.get("volume"), "number": work.fields.get("issue"),
            "start_page": start, "end_page": end, "doi": work.fields.get("doi"),
            "urls": work.urls or [work.iri], "abstract": work.fields.get("abstract"),
        }
        entries.append({k: v for k, v in values.items() if v})
    return rispy.dumps(entries, implementation=_RisWriter)


class _RisWriter(rispy.writer.RisWriter):
    """RIS as reference managers write it: no counter line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def csl_json(works: list[Record]) -> str:
    items = []
    for work in works:
        item = {
            "id": work.key, "type": work.kind[2], "title": work.fields.get("title"),
            "author": [{"family": family, **({"given": given} if given else {})} for family, given in work.names],
            "issued": {"date-parts": [[int(work.year)]]} if work.year.isdigit() else None,
            "container-title": work.fields.get("container"), "publisher": work.fields.get("publisher"),
            "volume": work.fields.get("volume"), "issue": work.fields.get("issue"),
            "page": work.pages.replace("--", "-"), "DOI": work.fields.get("doi"),
            "URL": work.fields.get("url") or work.iri, "abstract": work.fields.get("abstract"),
        }
        items.append({k: v for k, v in item.items() if v})
    return json.dumps(items, ensure_ascii=False, indent=2)


# name: (media type, file extension, writer); also what a work's IRI answers by Accept
FORMATS = {
    "bibtex": ("application/x-bibtex", "bib", bibtex),
    "ris": ("application/x-research-info-systems", "ris", ris),
    "csl-json": ("application/vnd.citationstyles.csl+json", "json", csl_json),
}
