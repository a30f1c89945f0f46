"""The record every bibliographic format is read into before it becomes RDF.

BibTeX, RIS, CSL-JSON and the CSV template differ only in how they spell a work; each
format module fills a :class:`Work`, and :mod:`coprokg.loaders.build` turns every Work into triples
the same way, so the same paper gives the same graph from any format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coprokg.loaders.report import Origin

KINDS = ("article", "book", "chapter", "report", "webpage", "document", "thesis", "preprint")


@dataclass
class Work:
    origin: Origin
    kind: str = "article"
    title: str | None = None
    authors: list[tuple[str, str]] = field(default_factory=list)  # (family, given)
    editors: list[tuple[str, str]] = field(default_factory=list)  # of a book, or of a chapter's book
    year: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    issn: str | None = None  # of the journal
    urls: list[str] = field(default_factory=list)
    publisher: str | None = None
    abstract: str | None = None
    keywords: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # BibTeX note, RIS N1, CSL-JSON note: each one kept
    funding: list[str] = field(default_factory=list)  # one statement per funder or funding text
    model_types: list[str] = field(default_factory=list)
    disciplines: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    reviewed_in: list[str] = field(default_factory=list)
    cited_by: list[str] = field(default_factory=list)
    contribution: str | None = None
    orcids: dict[tuple[str, str], str] = field(default_factory=dict)  # (family, given) -> ORCID IRI

    @property
    def first_family(self) -> str | None:
        """The family name a work is cited and minted by: its first author's, or an edited
        book's first editor's."""
        if self.authors:
            return self.authors[0][0]
        return self.editors[0][0] if self.editors and self.kind == "book" else None


def clean(value: object) -> str | None:
    """A field's text with runs of white space as one space; None when empty."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def split_list(value: str | None, separator: str = ";") -> list[str]:
    return [item for item in (clean(part) for part in (value or "").split(separator)) if item]


def split_funders(value: str | None) -> list[str]:
    """The funders of a list such as Web of Science writes ("Funder A [grant 1, grant 2]; Funder
    B"), each with its grants; a semicolon inside brackets does not separate funders."""
    funders, depth, start = [], 0, 0
    text = value or ""
    for at, char in enumerate(text):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == ";" and depth <= 0:
            funders.append(text[start:at])
            start = at + 1
    funders.append(text[start:])
    return [funder for funder in (clean(f) for f in funders) if funder]


def split_name(name: str) -> tuple[str, str]:
    """'Family, Given' or 'Given Family' -> (family, given)."""
    name = clean(name) or ""
    if "," in name:
        family, _, given = name.partition(",")
        return clean(family) or "", clean(given) or ""
    parts = name.rsplit(" ", 1)
    return (parts[1], parts[0]) if len(parts) == 2 else (name, "")


_YEAR_IN_DATE = re.compile(r"^(\d{4})(?:[-/].*)?$")
# "No date" as reference managers and style guides write it (APA n.d., s.d., German o.J.).
NO_DATE = frozenset({"nd", "n d", "no date", "sd", "s d", "sine die", "oj", "o j", "undated", "ohne jahr", "sf", "s f"})


def year_of(date: str | None) -> str | None:
    """The year of '2019', '2019-05-01' or '2019/05//'; None for no date ('n.d.'); anything else
    is kept as written for the shapes to report."""
    text = clean(date)
    if text is None or " ".join(re.findall(r"\w+", text.casefold())) in NO_DATE:
        return None
    found = _YEAR_IN_DATE.match(text)
    return found[1] if found else text


_PAGE_RANGE = re.compile(r"^\s*(\w+)\s*[-\u2010-\u2015]+\s*(\w+)\s*$")


def page_range(pages: str | None) -> tuple[str, str] | None:
    found = _PAGE_RANGE.match(pages or "")
    return (found[1], found[2]) if found else None
