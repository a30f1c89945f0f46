"""One paper, one resource: recognise a work already in the store or twice in the input.

The same paper is the same normalised DOI, or, where either record lacks a DOI, the same
normalised title, year and first author's family name. Such records merge into one work (the
first record's values are the plain reading; a differing value is a warning and is kept as a
disagreement, :mod:`coprokg.loaders.disagreements`). Titles that are close but not
equal (same first author and year) are reported as possible duplicates, and kept apart.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import fields
from pathlib import Path

from pyoxigraph import Literal as OxLiteral, NamedNode

from coprokg.loaders.build import mint
from coprokg.loaders.iris import normalise_doi, normalise_title, slug
from coprokg.loaders.report import Report
from coprokg.loaders.work import Work
from coprokg.store.base import where_start

PAPERS_BY_YEAR = (Path(__file__).parent / "sparql" / "papers_by_year.rq").read_text()
SCALARS = ("kind", "title", "year", "container", "volume", "issue", "pages", "doi", "url", "publisher",
           "abstract", "contribution")
KNOWN = "SELECT DISTINCT ?s WHERE { ?s a ?type }"
CHUNK = 500
_GYEAR = NamedNode("http://www.w3.org/2001/XMLSchema#gYear")


def title_key(work: Work) -> tuple | None:
    if not work.title:
        return None
    return normalise_title(work.title), work.year, slug(work.first_family or "")


def query_values(store, query: str, variable: str, terms: list) -> list:
    """Rows of ``query`` for each chunk of ``terms`` bound by a VALUES block of escaped terms
    opening its WHERE group (Virtuoso 7 loses the rows of a SELECT DISTINCT with a trailing one)."""
    rows, where = [], where_start(query)
    for start in range(0, len(terms), CHUNK):
        values = " ".join(str(term) for term in terms[start:start + CHUNK])
        rows.extend(store.query(f"{query[:where]} VALUES ?{variable} {{ {values} }} {query[where:]}"))
    return rows


def stored_papers(store, works: list[Work]) -> list[tuple[str, tuple, str | None]]:
    """(IRI, title key, DOI) of the store's papers in the years the works are from."""
    years = sorted({w.year for w in works if w.year and w.year.isdigit()})
    typed = [OxLiteral(y, datatype=_GYEAR) for y in years]
    found = []
    for row in query_values(store, PAPERS_BY_YEAR, "year", typed):
        family = row["family"].value if row["family"] is not None else ""
        key = (normalise_title(row["title"].value), row["year"].value, slug(family))
        found.append((row["paper"].value, key, row["doi"].value if row["doi"] is not None else None))
    return found


def assign(works: list[Work], base: str, report: Report, stored=()) -> dict[str, list[Work]]:
    """Group the works by the IRI each gets (records of one paper share a group)."""
    by_title: dict[tuple, str] = {}
    with_doi: set[tuple] = set()
    for iri, key, doi in stored:
        by_title.setdefault(key, iri)
        if doi:
            with_doi.add(key)
    keyed = [(work, title_key(work), str(mint(work, base)), normalise_doi(work.doi or "")) for work in works]
    for _, key, own, doi in keyed:
        if doi and key:
            by_title.setdefault(key, own)
            with_doi.add(key)
    groups: dict[str, list[Work]] = defaultdict(list)
    keys: dict[str, tuple] = {}
    for work, key, own, doi in keyed:
        iri = own
        if key in by_title and (doi is None or key not in with_doi or by_title[key] == own):
            iri = by_title[key]
        elif key is not None:
            by_title.setdefault(key, own)
        groups[iri].append(work)
        keys.setdefault(iri, key)
    _near_duplicates(groups, keys, stored, report)
    return groups


def known(store, iris: list[str]) -> set[str]:
    """Those of ``iris`` that are already resources in the store."""
    rows = query_values(store, KNOWN, "s", [NamedNode(iri) for iri in iris])
    return {row["s"].value for row in rows}


def merge(group: list[Work], report: Report, differences: list[tuple] | None = None) -> Work:
    """One work from records of the same paper: the first record's values, completed by the others.
    A value that differs from the first record's is appended to ``differences`` as (field, first
    value, first record's origin, value, origin), to be kept as a disagreement."""
    first = group[0]
    combined = Work(**{f.name: getattr(first, f.name) for f in fields(Work)})
    given_by = {name: first.origin for name in SCALARS if getattr(first, name) is not None}
    for other in group[1:]:
        report.warning(other.origin, f"the same paper as {first.origin}; the two records are merged",
                       "nothing to do, unless they are different works")
        for name in SCALARS:
            mine, theirs = getattr(combined, name), getattr(other, name)
            if mine is None:
                setattr(combined, name, theirs)
                given_by[name] = other.origin
            elif theirs is not None and _differs(name, mine, theirs):
                report.warning(other.origin, f"differs from {first.origin}; the first value is the plain reading "
                               "and both are kept as a disagreement", "correct whichever record is wrong, if one is",
                               field=name, value=theirs)
                if differences is not None:
                    differences.append((name, mine, given_by[name], theirs, other.origin))
        if not combined.authors:
            combined.authors = other.authors
        if not combined.editors:
            combined.editors = other.editors
        for name in ("keywords", "model_types", "disciplines", "countries", "concepts", "reviewed_in", "cited_by"):
            values = getattr(combined, name)
            values.extend(v for v in getattr(other, name) if v not in values)
    return combined


def _differs(name: str, mine: str, theirs: str) -> bool:
    if name == "title":
        return normalise_title(mine) != normalise_title(theirs)
    if name == "doi":
        return normalise_doi(mine) != normalise_doi(theirs)
    return mine != theirs


def _near_duplicates(groups: dict[str, list[Work]], keys: dict[str, tuple], stored, report: Report) -> None:
    """Warn about titles 90% alike (difflib) with the same first author and year. Candidates share
    their first or their last two words, so a typo anywhere but in both ends is found. ``keys``:
    each group's title key (its first work's)."""
    blocks: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for iri, key, _ in stored:
        for block in _blocks(key):
            blocks[block].append((iri, key[0]))
    for iri, group in groups.items():
        key = keys[iri]
        if key is None:
            continue
        matcher = None
        seen = set()
        for block in _blocks(key):
            for other_iri, other_title in blocks[block]:
                if other_iri == iri or other_title == key[0] or other_iri in seen:
                    continue
                seen.add(other_iri)
                matcher = matcher or difflib.SequenceMatcher(None, b=key[0], autojunk=False)
                matcher.set_seq1(other_title)
                if matcher.real_quick_ratio() >= 0.9 and matcher.quick_ratio() >= 0.9 and matcher.ratio() >= 0.9:
                    report.warning(group[0].origin, f"possibly the same paper as <{other_iri}> (a very similar title)",
                                   "if it is the same paper, make the titles (or DOIs) agree", field="title",
                                   value=group[0].title)
            blocks[block].append((iri, key[0]))


def _blocks(key: tuple) -> tuple[tuple, tuple]:
    words = key[0].split()
    return (key[2], key[1], "first", *words[:2]), (key[2], key[1], "last", *words[-2:])
