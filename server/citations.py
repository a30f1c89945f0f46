"""Works as references: BibTeX, RIS and CSL-JSON for a selection of the literature browser or
one work, from ``rq/papers-records.rq``; written by bibtexparser and rispy (CSL-JSON is JSON).

Citation keys and labels tell apart works that print alike: two works of the same first
author and year get ``a``, ``b``... after the year (as author-year styles print them).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
import rispy
import rispy.writer
from bibtexparser.model import Entry, Field

from coprokg.queries import catalog

RQ = Path(__file__).parent / "rq" / "papers-records.rq"
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
    """The works of a selection (the parameters of papers-records.rq), keyed and told apart
    among every work, so that a work has the same key and label in any selection."""
    chosen = _read(engine, values)
    everyone = _read(engine, {}) if values else chosen
    _tell_apart(everyone)
    told = {work.iri: work for work in everyone}
    for work in chosen:
        if work.iri in told:
            work.key, work.suffix = told[work.iri].key, told[work.iri].suffix
    return chosen


def _read(engine, values: dict[str, str]) -> list[Record]:
    found: dict[str, Record] = {}
    authors: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for row in engine.solutions(catalog.read(RQ).sparql(values)):
        record = found.setdefault(row["paper"].value, Record(row["paper"].value))
        if row["type"].value not in record.types:
            record.types.append(row["type"].value)
        name, value = row["field"].value, row["value"].value
        if name in ("author", "creator"):
            family, _, given = value.partition("\t")
            position = int(row["position"].value) if row["position"] is not None else len(authors[record.iri]) + 1
            authors[record.iri].setdefault(position, (family, given))
        elif name == "url":
            record.urls.append(value)
        else:
            record.fields.setdefault(name, value)
    for iri, listed in authors.items():
        found[iri].authors = [listed[n] for n in sorted(listed)]
    for record in found.values():
        record.urls = sorted(set(record.urls))  # the same order whatever order the store answers in
        if record.urls:
            record.fields["url"] = record.urls[0]
    return list(found.values())


def _tell_apart(works: list[Record]) -> None:
    """Works that print alike ('Ostrom 1996') get the suffixes a, b... by title; every work gets
    a citation key unique in the list (first author and year, suffixed the same way)."""
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
