"""``/papers``: the literature browser. Every work, narrowed by facets (years, model type,
discipline, author country, concept, review, reference list, case study), each facet with its
counts for the current selection (its most common values, and how many more there are);
sorted by year, title or times cited; paged; the selection as CSV, and the SPARQL query that
makes it, opened in the editor.

What every request would otherwise compute over every work (each work's told-apart label,
citation key, times cited and rank in each sort order; the facet counts of the whole
literature) is the browser's summary graph, refreshed by every load
(:mod:`coprokg.store.browser_summary`). A page is cut by the store: the selection
(``rq/papers-selection.rq``, started from the facets chosen: their patterns joined first, the
value with fewest works first) ordered by the sort's rank, one page of it; its facets are
counted a thousand works at a time. The queries are parameterised like catalog questions
(:mod:`coprokg.queries.catalog`): the values of the request enter them as a VALUES row of
checked, escaped terms. Without a facet chosen, the page, the total and the facet counts are
read from the summary alone (``rq/papers-every*.rq``).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, url_for
from pyoxigraph import BlankNode, Literal, NamedNode

from coprokg.errors import InvalidParameter
from coprokg.queries import catalog
from coprokg.server import citations
from coprokg.server.catalog import wants_html
from coprokg.server.http import engine
from coprokg.store import browser_summary
from coprokg.store.browser_summary import SUMMARY_GRAPH
from coprokg.vocab import COP

bp = Blueprint("papers", __name__)
RQ = Path(__file__).parent / "rq"
FACETS = (  # parameter, heading; in the order the page shows them
    ("model", "Model type"), ("discipline", "Discipline"), ("country", "Author country"), ("concept", "Concept"),
    ("review", "Covered by review"), ("list", "In the reference list of"), ("case", "Case study"),
)
SORTS = {"year": "newest first", "title": "title", "cited": "most cited"}
RANKS = {"year": COP.yearRank, "title": COP.titleRank, "cited": COP.citedRank}  # the summary's rank of each sort
PAGE_SIZE = 25
FACET_SHOWN = 20  # values shown of each facet (those with most works), as papers-every-facets.rq reads them
CSV_COLUMNS = ("paper", "label", "title", "published", "container", "cited")
DETAILS_AT_ONCE = 1000  # terms one query looks up (works for their details, facets, labels or references; facet values)
DETAILS = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?paper ?title ?issued ?container WHERE {
  VALUES ?paper { WORKS }
  { ?paper dcterms:title ?title } UNION { ?paper dcterms:issued ?issued } UNION { ?paper dcterms:isPartOf/dcterms:title ?container }
}"""
# Every facet's values among a thousand works at once, one UNION branch a facet (the store reads
# the thousand IRIs once, not once a facet); their labels, from the summary, are read after.
FACET_COUNTS = browser_summary.PREFIXES + """SELECT ?facet ?value (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  VALUES ?paper { WORKS }
""" + "\n  UNION ".join(f"{{ {pattern} BIND({Literal(name)} AS ?facet) }}" for name, pattern in browser_summary.FACETS.items()) + """
} GROUP BY ?facet ?value"""
FACET_LABELS = browser_summary.PREFIXES + f"""SELECT ?value (SAMPLE(?name) AS ?label) WHERE {{
  VALUES ?value {{ VALUES_FOUND }}
  GRAPH {SUMMARY_GRAPH} {{ ?node cop:facetValue ?value ; rdfs:label ?name }}
}} GROUP BY ?value"""
LABELS = (f"PREFIX cop: <{COP}>\nSELECT ?paper ?label WHERE {{ VALUES ?paper {{ WORKS }} "
          f"GRAPH {SUMMARY_GRAPH} {{ ?paper cop:browserLabel ?label }} }}")
# a facet's line of the selection block (papers-selection.rq): its parameter, and its pattern relating ?paper to it
FACET_LINE = re.compile(r"^ *FILTER\(!BOUND\(\?(__(\w+)_iri)\) \|\| EXISTS \{ (.+) \}\)\n", re.MULTILINE)
WORKS_OF = browser_summary.PREFIXES + f"""SELECT ?facet ?works WHERE {{
  VALUES (?facet ?value) {{ CHOSEN }}
  GRAPH {SUMMARY_GRAPH} {{ ?node cop:facetName ?facet ; cop:facetValue ?value ; cop:worksCount ?works }}
}}"""


@dataclass
class Work:
    iri: str
    label: str
    title: str
    year: int | None
    container: str
    cited: int


@dataclass
class Facet:
    rows: list[tuple[str, str, int]]  # (value, label, number of works of the selection): most works first
    values: int  # how many values the facet has in the selection

    @property
    def more(self) -> int:
        return self.values - len(self.rows)


def selection() -> dict[str, str]:
    """The facet values of the request, as the query parameters they are (``paper``: one work)."""
    names = ("from", "to", *(name for name, _ in FACETS), "paper")
    return {name: request.args[name] for name in names if request.args.get(name)}


def works(values: dict[str, str], sort: str, page: int | None = 1) -> list[Work]:
    """The works of the selection in the order of ``sort``, with their details: one page of
    them, or all (page None)."""
    if values:
        listed = selected(values, sort)
        return _detailed(listed[(page - 1) * PAGE_SIZE: page * PAGE_SIZE] if page else listed)
    after, until = ((page - 1) * PAGE_SIZE, page * PAGE_SIZE) if page else (0, 1 << 62)
    rows = engine().solutions(_query("papers-every").sparql({"order": str(RANKS[sort]), "after": str(after),
                                                               "until": str(until)}))
    return _detailed([Work(row["paper"].value, row["label"].value, "", None, "", int(row["cited"].value))
                      for row in rows])


def selected(values: dict[str, str], sort: str) -> list[Work]:
    """Every work of the selection in the order of ``sort``, with its label, year and times cited."""
    query = dataclasses.replace(selection_query(values), page_size=None)
    listed, seen = [], set()
    for row in engine().solutions(query.sparql({**values, "order": str(RANKS[sort])})):
        if row["paper"].value not in seen:  # a work with two dates is one work
            seen.add(row["paper"].value)
            year = int(row["year"].value) if row["year"] is not None else None
            listed.append(Work(row["paper"].value, row["label"].value, "", year, "", int(row["cited"].value)))
    return listed


def selection_query(values: dict[str, str]) -> catalog.Query:
    """``papers-selection.rq`` made to start from the facets chosen in ``values``: the pattern of
    each, as the selection states it, joined first in place of its filter, the value with fewest
    works first (as the summary counts them), so the store reads the works of the chosen values
    rather than every work. The same works in the same order; the values still enter as the
    query's VALUES row of escaped terms."""
    query = _query("papers-selection")
    bound = query.bind(values)
    lines = {match.group(2): match for match in FACET_LINE.finditer(query.text) if match.group(1) in bound}
    if not lines:
        return query
    chosen = " ".join(f"({Literal(name)} {bound[line.group(1)]})" for name, line in lines.items())
    works = {row["facet"].value: int(row["works"].value)
             for row in engine().solutions(WORKS_OF.replace("CHOSEN", chosen))}
    text = query.text
    for line in lines.values():
        text = text.replace(line.group(0), "")
    joins = "".join(f"  {lines[name].group(3)} .\n" for name in sorted(lines, key=lambda name: works.get(name, 0)))
    start = text.index("  # selection")
    return dataclasses.replace(query, text=text[:start] + joins + text[start:])


def in_thousands(terms: list) -> Iterator[str]:
    """``terms`` (store terms) as the rows of a VALUES block, a thousand at a time: as many as
    one query looks up well."""
    for start in range(0, len(terms), DETAILS_AT_ONCE):
        yield " ".join(map(str, terms[start:start + DETAILS_AT_ONCE]))


def _detailed(listed: list[Work]) -> list[Work]:
    """``listed`` with each work's title, year and container (the least of each, if it has several)."""
    by_iri = {work.iri: work for work in listed}
    for chunk in in_thousands([NamedNode(iri) for iri in by_iri]):
        found: dict[tuple[str, str], str] = {}
        for row in engine().solutions(DETAILS.replace("WORKS", chunk)):
            for name in ("title", "issued", "container"):
                if row[name] is not None:
                    key = (row["paper"].value, name)
                    found[key] = min(found.get(key, row[name].value), row[name].value)
        for (iri, name), value in found.items():
            work = by_iri[iri]
            if name == "issued":
                work.year = int(value[:4]) if value[:4].isdigit() else None
            else:
                setattr(work, name, value)
    return listed


def labels(iris: Iterable[str]) -> dict[str, str]:
    """The labels of the works among ``iris`` as the browser lists them, works that print alike
    told apart ('Ostrom 1996a'): a thousand IRIs a query, so that a page names its own works
    without reading every work's label."""
    found = {}
    for chunk in in_thousands([NamedNode(iri) for iri in sorted(set(iris))]):
        found.update((row["paper"].value, row["label"].value) for row in engine().solutions(LABELS.replace("WORKS", chunk)))
    return found


def facets() -> tuple[int, dict[str, Facet]]:
    """With no facet chosen: how many works there are, and per facet its values with most works
    and how many values it has, from the summary (a selection's are :func:`counts`)."""
    counted: dict[str, Facet] = {}
    found = 0
    for row in engine().solutions(_query("papers-every-facets").sparql()):
        if row["works"] is not None:
            found = int(row["works"].value)
            continue
        facet = counted.setdefault(row["facet"].value, Facet([], 0))
        if row["values"] is not None:
            facet.values = int(row["values"].value)
        else:
            facet.rows.append((row["value"].value, row["label"].value, int(row["papers"].value)))
    return found, counted


def counts(listed: list[Work], values: dict[str, str]) -> tuple[int, dict[str, Facet]]:
    """The facet counts of the works ``listed`` (a selection, chosen by ``values``): a query for
    each thousand works counts every facet's values (the store looks each work up), a query for
    each thousand values found gives their labels; the years come from the works."""
    found: dict[str, dict] = {}  # facet: {value (a term): works}
    for chunk in in_thousands([NamedNode(work.iri) for work in listed]):
        for row in engine().solutions(FACET_COUNTS.replace("WORKS", chunk)):
            of_facet = found.setdefault(row["facet"].value, {})
            of_facet[row["value"]] = of_facet.get(row["value"], 0) + int(row["papers"].value)  # the chunks share no work
    terms = list({term for of_facet in found.values() for term in of_facet if not isinstance(term, BlankNode)})
    labels: dict[str, str] = {}
    for chunk in in_thousands(terms):
        labels.update((row["value"].value, row["label"].value)
                      for row in engine().solutions(FACET_LABELS.replace("VALUES_FOUND", chunk)))
    every: dict[str, dict[str, tuple[str, int]]] = {
        name: {term.value: (labels.get(term.value) or term.value.rstrip("/").rsplit("/", 1)[-1], n) for term, n in of_facet.items()}
        for name, of_facet in found.items()}
    years: dict[str, int] = {}
    for work in listed:
        if work.year is not None:
            years[str(work.year)] = years.get(str(work.year), 0) + 1
    every["year"] = {year: (year, n) for year, n in years.items()}
    counted = {}
    for name, found in every.items():
        rows = sorted(((value, label, n) for value, (label, n) in found.items()), key=lambda row: (-row[2], row[1], row[0]))
        shown = rows[:FACET_SHOWN] + [row for row in rows[FACET_SHOWN:] if row[0] == values.get(name)]
        counted[name] = Facet(shown, len(rows))
    return len(listed), counted


@bp.get("/papers")
def papers():
    values = selection()
    sort = request.args.get("sort", "year")
    if sort not in SORTS:
        raise InvalidParameter(f"unknown sort {sort!r}", where="sort", hint="one of " + ", ".join(SORTS))
    fmt = request.args.get("format")
    if fmt == "csv":
        return _csv(works(values, sort, page=None))
    if fmt in citations.FORMATS:
        return cited(citations.records(engine(), values), fmt, "papers")
    if fmt not in (None, "html", "json"):
        raise InvalidParameter(f"unknown format {fmt!r}", where="format",
                               hint="html, json, csv, " + ", ".join(citations.FORMATS))
    if values:
        listed = selected(values, sort)
        found, counted = counts(listed, values)
        page = _page(found)
        shown = _detailed(listed[(page - 1) * PAGE_SIZE: page * PAGE_SIZE])
    else:
        found, counted = facets()
        page = _page(found)
        shown = works(values, sort, page)
    query = selection_query(values).sparql({**values, "order": str(RANKS[sort]), "page": str(page)})
    if not wants_html():
        return {"selection": values, "sort": sort, "total": found, "page": page,
                "papers": [work.__dict__ for work in shown], "facets": {
                    name: [{"value": v, "label": label, "papers": n} for v, label, n in facet.rows]
                    for name, facet in counted.items()},
                "facet_values": {name: facet.values for name, facet in counted.items()}, "sparql": query}
    return render_template(
        "ui/papers.html", works=shown, total=found, page=page, pages=max(1, -(-found // PAGE_SIZE)),
        values=values, sort=sort, sorts=SORTS, facets=counted, facet_names=FACETS,
        link=_link, editor=url_for("ui.editor", query=query), page_size=PAGE_SIZE,
    )


def _link(**changes) -> str:
    """This page's address with ``changes`` (None removes a parameter); a new selection starts at page 1."""
    params = {name: value for name, value in request.args.items() if name != "page"}
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = str(value)
    return url_for("papers.papers") + ("?" + urlencode(params) if params else "")


def _page(total: int) -> int:
    value = request.args.get("page", "1")
    last = max(1, -(-total // PAGE_SIZE))
    if not value.isdigit() or not 1 <= int(value) <= last:
        raise InvalidParameter(f"no page {value!r} in this selection", where="page", hint=f"pages run from 1 to {last}")
    return int(value)


def cited(works: list[citations.Record], fmt: str, name: str) -> Response:
    """``works`` as a download in a reference manager's format (bibtex, ris, csl-json), in a
    file named ``name`` (one work: its citation key)."""
    media_type, extension, writer = citations.FORMATS[fmt]
    name = works[0].key if len(works) == 1 else name
    return Response(writer(works), content_type=media_type + "; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.{extension}"'})


def _csv(listed: list[Work]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for work in listed:
        writer.writerow((work.iri, work.label, work.title, work.year or "", work.container, work.cited))
    return Response(out.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="papers.csv"'})


def _query(name: str) -> catalog.Query:
    return catalog.read(RQ / f"{name}.rq")
