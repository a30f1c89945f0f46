"""``/papers``: the literature browser. Every work, narrowed by facets (years, model type,
discipline, author country, concept, review, reference list, case study), each facet with its
counts for the current selection; sorted by year, title or times cited; paged; the selection
as CSV, and the SPARQL query that makes it, opened in the editor.

The selection and the facet counts are ``rq/papers-selection.rq`` and ``rq/papers-facets.rq``,
parameterised like catalog questions (:mod:`coprokg.queries.catalog`): the values of the
request enter them as a VALUES row of checked, escaped terms.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, url_for

from coprokg.errors import InvalidParameter
from coprokg.queries import catalog
from coprokg.server import citations
from coprokg.server.catalog import wants_html
from coprokg.server.http import engine

bp = Blueprint("papers", __name__)
RQ = Path(__file__).parent / "rq"
FACETS = (  # parameter, heading; in the order the page shows them
    ("model", "Model type"), ("discipline", "Discipline"), ("country", "Author country"), ("concept", "Concept"),
    ("review", "Covered by review"), ("list", "In the reference list of"), ("case", "Case study"),
)
SORTS = {"year": "newest first", "title": "title", "cited": "most cited"}
PAGE_SIZE = 25
CSV_COLUMNS = ("paper", "label", "title", "published", "container", "cited")


@dataclass
class Work:
    iri: str
    label: str
    title: str
    year: int | None
    container: str
    cited: int


def selection() -> dict[str, str]:
    """The facet values of the request, as the query parameters they are (``paper``: one work)."""
    names = ("from", "to", *(name for name, _ in FACETS), "paper")
    return {name: request.args[name] for name in names if request.args.get(name)}


def works(values: dict[str, str]) -> list[Work]:
    rows = engine().solutions(_query("papers-selection").sparql(values))
    found = []
    for row in rows:
        text = {name: row[name].value if row[name] is not None else "" for name in ("label", "title", "container")}
        year = int(row["published"].value) if row["published"] is not None else None
        found.append(Work(row["paper"].value, text["label"] or text["title"], text["title"], year, text["container"],
                          int(row["cited"].value)))
    return found


def told_apart(listed: list[Work], everything: list[Work] | None = None) -> list[Work]:
    """Works whose labels print alike ('Ostrom 1996') labelled 'Ostrom 1996a', 'Ostrom 1996b'...
    in the order of their titles, among every work (so a work keeps its letter in any selection)."""
    alike: dict[str, list[Work]] = {}
    for work in everything if everything is not None else listed:
        alike.setdefault(work.label.casefold(), []).append(work)
    letters = {}
    for group in alike.values():
        if len(group) > 1:
            for n, work in enumerate(sorted(group, key=lambda w: (w.title.casefold(), w.iri))):
                letters[work.iri] = citations.letters(n)
    for work in listed:
        if work.iri in letters and work.year is not None and work.label.endswith(str(work.year)):
            work.label += letters[work.iri]
    return listed


def labels() -> dict[str, str]:
    """Every work's label as the browser lists it, works that print alike told apart ('Ostrom 1996a')."""
    return {work.iri: work.label for work in told_apart(works({}))}


def facets(values: dict[str, str]) -> dict[str, list[tuple[str, str, int]]]:
    """Per facet: (value, label, number of works of the selection) rows, most works first."""
    counted: dict[str, list[tuple[str, str, int]]] = {}
    for row in engine().solutions(_query("papers-facets").sparql(values)):
        value = row["value"].value
        label = row["label"].value if row["label"] is not None else value.rstrip("/").rsplit("/", 1)[-1]
        counted.setdefault(row["facet"].value, []).append((value, label, int(row["papers"].value)))
    return counted


@bp.get("/papers")
def papers():
    values = selection()
    sort = request.args.get("sort", "year")
    if sort not in SORTS:
        raise InvalidParameter(f"unknown sort {sort!r}", where="sort", hint="one of " + ", ".join(SORTS))
    listed = sorted(told_apart(works(values), works({}) if values else None), key=_sort_key(sort))
    fmt = request.args.get("format")
    if fmt == "csv":
        return _csv(listed)
    if fmt in citations.FORMATS:
        return cited(citations.records(engine(), values), fmt, "papers")
    if fmt not in (None, "html", "json"):
        raise InvalidParameter(f"unknown format {fmt!r}", where="format",
                               hint="html, json, csv, " + ", ".join(citations.FORMATS))
    page = _page(len(listed))
    shown = listed[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    query = _query("papers-selection").sparql(values)
    if not wants_html():
        return {"selection": values, "sort": sort, "total": len(listed), "page": page,
                "papers": [work.__dict__ for work in shown], "facets": {
                    name: [{"value": v, "label": label, "papers": n} for v, label, n in rows]
                    for name, rows in facets(values).items()}, "sparql": query}
    return render_template(
        "ui/papers.html", works=shown, total=len(listed), page=page, pages=max(1, -(-len(listed) // PAGE_SIZE)),
        values=values, sort=sort, sorts=SORTS, facets=facets(values), facet_names=FACETS,
        link=_link, editor=url_for("ui.editor", query=query),
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


def _sort_key(sort: str):
    if sort == "title":
        return lambda work: (work.title.casefold(), work.iri)
    if sort == "cited":
        return lambda work: (-work.cited, -(work.year or 0), work.iri)
    return lambda work: (-(work.year or 0), work.title.casefold(), work.iri)


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
