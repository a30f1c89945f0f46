"""``/charts``: pictures where people would rather look, drawn on the server as SVG (no
script), each with the table it is drawn from: model types by year (stacked bars), concepts
by literature (which concepts the works of each discipline are about) and the evidence matrix
as a heatmap of the practices, case studies and papers in each cell. The citation network
around a paper or a concept is drawn on its own page (:mod:`coprokg.server.network`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, render_template

from coprokg.queries import catalog
from coprokg.server.http import engine

bp = Blueprint("charts", __name__)
RQ = Path(__file__).parent / "rq"
PALETTE = ("#1b6ca8", "#d95f02", "#1b9e77", "#7570b3", "#a6761d", "#e7298a", "#66a61e", "#666666")
LONGEST = 24  # characters of a slanted column label; longer ones are cut with an ellipsis
HEAT = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")  # from no evidence to the most


@dataclass
class Bar:
    x: float
    y: float
    height: float
    colour: str
    title: str


def models_per_year() -> dict:
    """Stacked bars: one column per year, one segment per model type; and the table."""
    rows = [(int(r["year"].value), r["model"].value, r["label"].value if r["label"] else r["model"].value.rsplit("/", 1)[-1],
             int(r["papers"].value)) for r in engine().solutions((RQ / "chart-models-per-year.rq").read_text())]
    years = list(range(min(r[0] for r in rows), max(r[0] for r in rows) + 1)) if rows else []
    models = sorted({(label, model) for _, model, label, _ in rows})
    colours = {model: PALETTE[n % len(PALETTE)] for n, (_, model) in enumerate(models)}
    totals = {year: sum(n for y, _, _, n in rows if y == year) for year in years}
    top = max(totals.values(), default=1)
    width, height, left, bottom = 24, 200, 40, 30
    bars, stacked = [], {year: 0 for year in years}
    for year, model, label, n in rows:
        x = left + years.index(year) * width
        h = n / top * height
        stacked[year] += h
        bars.append(Bar(x + 2, height - stacked[year] + 10, h, colours[model], f"{year}, {label}: {n}"))
    table = [(year, [sum(n for y, m, _, n in rows if y == year and m == model) for _, model in models]) for year in years]
    return {"bars": bars, "years": years, "top": top, "models": [(label, model, colours[model]) for label, model in models],
            "table": table, "width": left + len(years) * width + 10, "height": height + bottom + 10,
            "left": left, "step": width, "base": height + 10}


def concepts_by_literature(most: int = 30) -> dict:
    """A grid of disciplines (rows) by concepts (columns), each cell the number of works of that
    discipline about that concept, linked to that /papers selection. Concepts used by the most
    disciplines come first: they are the bridges between fields. The picture shows the first
    ``most`` concepts; the table all of them."""
    cells, disciplines, concepts = {}, {}, {}
    for row in engine().solutions((RQ / "chart-concepts-by-discipline.rq").read_text()):
        discipline, concept = row["discipline"].value, row["concept"].value
        disciplines[discipline] = _label(row["disciplineLabel"], discipline)
        concepts[concept] = _label(row["conceptLabel"], concept)
        cells[(discipline, concept)] = int(row["papers"].value)
    used_by = {c: sum(1 for d in disciplines if (d, c) in cells) for c in concepts}
    works = {c: sum(n for (_, c2), n in cells.items() if c2 == c) for c in concepts}
    columns = sorted(concepts, key=lambda c: (-used_by[c], -works[c], concepts[c].casefold(), c))
    rows = sorted(disciplines, key=lambda d: (disciplines[d].casefold(), d))
    top = max(cells.values(), default=1)
    shade = {key: HEAT[min(len(HEAT) - 1, 1 + round((n - 1) / max(1, top - 1) * (len(HEAT) - 2)))] for key, n in cells.items()}
    drawn = columns[:most]
    size, left = 34, 190
    head = 24 + int(5.5 * min(LONGEST, max((len(concepts[c]) for c in drawn), default=0)))  # room for slanted labels
    return {"cells": cells, "shade": shade, "disciplines": [(d, disciplines[d]) for d in rows],
            "concepts": [(c, concepts[c], used_by[c]) for c in columns], "drawn": [(c, concepts[c], used_by[c]) for c in drawn],
            "size": size, "left": left, "head": head, "top": top, "longest": LONGEST,
            "width": left + len(drawn) * size + int(head * 0.7) + 10, "height": head + len(rows) * size + 10}


def _label(term, iri: str) -> str:
    return term.value if term is not None else iri.rstrip("/").rsplit("/", 1)[-1]


def evidence_heatmap() -> dict:
    """The evidence matrix (catalog question evidence-matrix) as cells shaded by what they hold."""
    result = engine().solutions(catalog.get("evidence-matrix").sparql())
    cells, modes, levels = {}, {}, {}
    for row in result:
        mode, level = row["modeLabel"].value, row["levelLabel"].value
        modes.setdefault(mode, row["mode"].value)
        levels.setdefault(level, row["level"].value)
        counts = tuple(int(row[name].value) for name in ("practices", "cases", "papers"))
        cells[(mode, level)] = (counts, row["gap"] is not None and row["gap"].value == "true")
    most = max((sum(counts) for counts, _ in cells.values()), default=1) or 1
    shade = {key: HEAT[min(len(HEAT) - 1, round(sum(counts) / most * (len(HEAT) - 1)))] for key, (counts, _) in cells.items()}
    return {"modes": modes, "levels": levels, "cells": cells, "shade": shade, "size": 110, "left": 150, "top": 40}


@bp.get("/charts")
def charts():
    return render_template("ui/charts.html", models=models_per_year(), literatures=concepts_by_literature(),
                           heat=evidence_heatmap())
