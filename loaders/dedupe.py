"""One paper, one resource: recognise a work already in the store or twice in the input.

The same paper is the same normalised DOI, or, where either record lacks a DOI, the same
normalised title, year and first author's family name, unless volume, container or type,
where both records have one, differ (such works are kept apart, with a warning). Such records
merge into one work (the first record's values are the plain reading; a differing value is a
warning and is kept as a disagreement, :mod:`coprokg.loaders.disagreements`; the keywords, links,
notes and funding statements of every record are kept). Titles that are close but not
equal (same first author and year) are reported as possible duplicates, and kept apart.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import fields
from pathlib import Path

from pyoxigraph import Literal as OxLiteral, NamedNode

from coprokg.loaders.build import CLASSES, mint
from coprokg.loaders.iris import normalise_doi, normalise_title, same_text, slug
from coprokg.loaders.report import Report
from coprokg.loaders.values import query_values
from coprokg.loaders.work import Work, clean

PAPERS_BY_YEAR = (Path(__file__).parent / "sparql" / "papers_by_year.rq").read_text()
SCALARS = ("kind", "title", "year", "container", "volume", "issue", "pages", "doi", "publisher", "abstract",
           "contribution")
KNOWN = "SELECT DISTINCT ?s WHERE { ?s a ?type }"
_GYEAR = NamedNode("http://www.w3.org/2001/XMLSchema#gYear")


def title_key(work: Work) -> tuple | None:
    if not work.title:
        return None
    return normalise_title(work.title), work.year, slug(work.first_family or "")


def distinction(volume: str | None, container: str | None, kind: str | None) -> tuple:
    """What tells apart works with one title key (volumes 1 and 3 of a work, two court
    decisions): volume, container and kind, each None where unknown (a generic document has
    no kind to tell by)."""
    return (clean(volume).casefold() if clean(volume) else None, normalise_title(container) if container else None,
            None if kind in (None, "document") else kind)


def _compatible(one: tuple, other: tuple) -> bool:
    return all(a is None or b is None or a == b for a, b in zip(one, other))


_KINDS = {cls.value: kind for kind, cls in CLASSES.items()}


def stored_papers(store, works: list[Work]) -> list[tuple[str, tuple, str | None, tuple]]:
    """(IRI, title key, DOI, distinction) of the store's papers in the years the works are from."""
    years = sorted({w.year for w in works if w.year and w.year.isdigit()})
    typed = [OxLiteral(y, datatype=_GYEAR) for y in years]
    found = {}
    for row in query_values(store, PAPERS_BY_YEAR, "year", typed):
        if row["paper"].value in found:
            continue
        family = row["family"].value if row["family"] is not None else ""
        key = (normalise_title(row["title"].value), row["year"].value, slug(family))
        kind = _KINDS.get(row["type"].value) if row["type"] is not None else None
        values = [row[name].value if row[name] is not None else None for name in ("volume", "container")]
        found[row["paper"].value] = (row["paper"].value, key, row["doi"].value if row["doi"] is not None else None,
                                     distinction(*values, kind))
    return list(found.values())


def assign(works: list[Work], base: str, report: Report, stored=()) -> dict[str, list[Work]]:
    """Group the works by the IRI each gets (records of one paper share a group). Works with
    one title key but another volume, container or kind are kept apart, with a warning."""
    by_title: dict[tuple, list[tuple[str, tuple, str]]] = defaultdict(list)  # key -> (IRI, distinction, where)
    with_doi: set[tuple] = set()
    for iri, key, doi, told in stored:
        by_title[key].append((iri, told, f"<{iri}> (already in the store)"))
        if doi:
            with_doi.add(key)
    keyed = [(work, title_key(work), str(mint(work, base)), normalise_doi(work.doi or ""),
              distinction(work.volume, work.container, work.kind)) for work in works]
    for work, key, own, doi, told in keyed:
        if doi and key and not any(iri == own for iri, _, _ in by_title[key]):
            by_title[key].append((own, told, str(work.origin)))
            with_doi.add(key)
    groups: dict[str, list[Work]] = defaultdict(list)
    keys: dict[str, tuple] = {}
    for work, key, own, doi, told in keyed:
        iri = own
        if key is not None:
            candidates = by_title[key]
            match = next((c for c in candidates if _compatible(c[1], told)), None)
            if match is not None:
                if doi is None or key not in with_doi or match[0] == own:
                    iri = match[0]
            elif candidates and doi is None:
                iri = str(mint(work, base, told))
                _kept_apart(work, told, candidates[0], report)
                candidates.append((iri, told, str(work.origin)))
            elif not candidates:
                candidates.append((own, told, str(work.origin)))
        groups[iri].append(work)
        keys.setdefault(iri, key)
    _near_duplicates(groups, keys, stored, report)
    return groups


def _kept_apart(work: Work, told: tuple, other: tuple, report: Report) -> None:
    names = [name for name, mine, theirs in zip(("volume", "container", "type"), told, other[1])
             if mine is not None and theirs is not None and mine != theirs]
    report.warning(work.origin, f"the same title, year and first author as {other[2]}, but another "
                   f"{' and '.join(names)}: kept as a separate work",
                   f"if they are one work, make the {' and '.join(names)} agree", field=names[0],
                   value={"volume": work.volume, "container": work.container, "type": work.kind}[names[0]])


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
        doi = normalise_doi(other.doi or "")
        if doi is None or doi != normalise_doi(first.doi or ""):  # not the same DOI: say why they merge
            report.warning(other.origin, f"the same title, year and first author as {first.origin}; the two records "
                           "are merged", "nothing to do, unless they are different works")
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
            combined.authors, combined.orcids = other.authors, other.orcids
        if not combined.editors:
            combined.editors = other.editors
        for name in ("keywords", "urls", "notes", "funding", "model_types", "disciplines", "countries", "concepts",
                     "reviewed_in", "cited_by"):
            values = getattr(combined, name)
            values.extend(v for v in getattr(other, name) if v not in values)
    return combined


def _differs(name: str, mine: str, theirs: str) -> bool:
    """A real difference, not a trivial one (:func:`coprokg.loaders.iris.same_text`)."""
    if name == "doi":
        return normalise_doi(mine) != normalise_doi(theirs)
    return not same_text(mine, theirs)


def _near_duplicates(groups: dict[str, list[Work]], keys: dict[str, tuple], stored, report: Report) -> None:
    """Warn about titles 90% alike (difflib) with the same first author and year. Candidates share
    their first or their last two words, so a typo anywhere but in both ends is found. ``keys``:
    each group's title key (its first work's)."""
    blocks: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for iri, key, _, _ in stored:
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
