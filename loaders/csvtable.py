"""The CSV templates for papers and case studies (loaders/templates/).

The header row decides the template and must be exactly its columns, in any order: a missing
column or one the template does not know is an error naming it. Lists inside a cell are
separated by ';'. Rows are reported by the line they start on.
"""

from __future__ import annotations

import csv
import difflib
import io

from coprokg.loaders.cases import Case
from coprokg.loaders.report import Origin, Report
from coprokg.loaders.source import Source
from coprokg.loaders.work import KINDS, Work, clean, split_list, split_name, year_of

PAPER_COLUMNS = ("id,type,title,authors,year,container,volume,issue,pages,doi,url,publisher,abstract,keywords,"
                 "model_type,discipline,country,concepts,reviewed_in,contribution,cited_by").split(",")
CASE_COLUMNS = ("id,name,country,setting,place,background,objective,research_aim,methods,vulnerable_groups,"
                "programme,reported_in,informs_objectives").split(",")
csv.field_size_limit(10 * 2**20)


def read(source: Source, report: Report) -> list[Work | Case]:
    reader = csv.reader(io.StringIO(source.text, newline=""))
    header = [clean(name) or "" for name in next(reader, [])]
    columns = _template(header, source, report)
    if columns is None:
        return []
    records = []
    start = reader.line_num + 1
    for row in reader:
        origin = Origin(source.name, start, None)
        start = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            report.error(origin, f"this row has {len(row)} cells, the header {len(header)}",
                         "quote cells that contain commas with double quotes")
            continue
        cells = {name: clean(value) for name, value in zip(header, row)}
        origin = Origin(source.name, origin.line, cells.get("id"))
        records.append(_paper(cells, origin, report) if columns is PAPER_COLUMNS else _case(cells, origin))
    if not records and not report.errors:
        report.error(source.origin, "the file has a header but no rows", "add one row per record")
    return records


def _template(header: list[str], source: Source, report: Report) -> list[str] | None:
    if not any(header):
        report.error(source.origin, "the file is empty", "start from a template in loaders/templates/")
        return None
    columns = PAPER_COLUMNS if len(set(header) & set(PAPER_COLUMNS)) >= len(set(header) & set(CASE_COLUMNS)) \
        else CASE_COLUMNS
    which = "papers" if columns is PAPER_COLUMNS else "cases"
    origin = Origin(source.name, 1)
    for name in header:
        if name not in columns:
            close = difflib.get_close_matches(name, columns, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"the {which} template's columns are: {','.join(columns)}"
            report.error(origin, f"unknown column in the {which} template", hint, field=name, value=name)
    for name in columns:
        if name not in header:
            report.error(origin, f"the {which} template needs this column (it may be left empty in every row)",
                         f"copy the header row of loaders/templates/{which}.csv", field=name)
    if len(set(header)) != len(header):
        report.error(origin, "a column appears twice in the header", "keep one of each")
    return None if report.errors else columns


def _paper(cells: dict, origin: Origin, report: Report) -> Work:
    kind = (cells["type"] or "article").lower()
    if kind not in KINDS:
        report.error(origin, "unknown type", f"use one of {', '.join(KINDS)}", field="type", value=cells["type"])
    return Work(
        origin=origin, kind=kind, title=cells["title"],
        authors=[split_name(name) for name in split_list(cells["authors"])],
        year=year_of(cells["year"]), container=cells["container"], volume=cells["volume"], issue=cells["issue"],
        pages=cells["pages"], doi=cells["doi"], urls=[cells["url"]] if cells["url"] else [],
        publisher=cells["publisher"],
        abstract=cells["abstract"], keywords=split_list(cells["keywords"]),
        model_types=split_list(cells["model_type"]), disciplines=split_list(cells["discipline"]),
        countries=split_list(cells["country"]), concepts=split_list(cells["concepts"]),
        reviewed_in=split_list(cells["reviewed_in"]), cited_by=split_list(cells["cited_by"]),
        contribution=cells["contribution"],
    )


def _case(cells: dict, origin: Origin) -> Case:
    return Case(
        origin=origin, id=cells["id"], name=cells["name"], countries=split_list(cells["country"]),
        setting=cells["setting"], place=cells["place"], background=cells["background"],
        objective=cells["objective"], research_aim=cells["research_aim"], methods=split_list(cells["methods"]),
        vulnerable_groups=split_list(cells["vulnerable_groups"]), programme=cells["programme"],
        reported_in=split_list(cells["reported_in"]), informs_objectives=split_list(cells["informs_objectives"]),
    )
