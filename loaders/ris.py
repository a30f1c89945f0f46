"""RIS (.ris), as EndNote, Zotero, Mendeley and the databases export it, read with rispy.

rispy drops a record that has no closing ``ER  -`` line without a word; this module checks the
record structure first, so such a file is refused with the line of the unclosed record. A line
without a tag continues the field above it (rispy joins it to a text field); after a name
(AU, A2, ...) it would be read as another person, and is an error.
"""

from __future__ import annotations

import re

import rispy

from coprokg.loaders.report import Origin, Report
from coprokg.loaders.source import Source
from coprokg.loaders.work import Work, clean, split_name, year_of

KINDS = {
    "JOUR": "article", "EJOUR": "article", "MGZN": "article", "NEWS": "article", "BOOK": "book", "EBOOK": "book",
    "CHAP": "chapter", "ECHAP": "chapter", "CONF": "chapter", "CPAPER": "chapter", "RPRT": "report",
    "GOVDOC": "report", "ELEC": "webpage", "WEB": "webpage", "BLOG": "webpage", "THES": "thesis",
    "UNPB": "preprint", "INPR": "preprint", "GEN": "document",
}
# Tags holding one name each: a line without a tag after one of them would be read as a name of its own.
NAME_TAGS = frozenset({"AU", "A1", "A2", "A3", "A4", "ED"})
_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")


def read(source: Source, report: Report) -> list[Work]:
    starts = _record_lines(source, report)
    if report.errors:
        return []
    entries = rispy.loads(source.text, skip_unknown_tags=True)
    return [_work(entry, Origin(source.name, line, entry.get("id"))) for entry, line in zip(entries, starts)]


def _record_lines(source: Source, report: Report) -> list[int]:
    """The line of each record's TY tag; a record without its ER line is an error."""
    starts: list[int] = []
    open_at = None
    tag = None
    for number, line in enumerate(source.text.splitlines(), 1):
        found = _TAG.match(line)
        if not found:
            if open_at is not None and tag in NAME_TAGS and line.strip():
                report.error(Origin(source.name, number), f"a line without a tag continues the {tag} field: it would "
                             "be read as another person", f"join it to the {tag} line above it (one name per {tag} line)",
                             field=tag, value=line.strip())
            continue
        tag = found[1]
        if tag == "TY":
            if open_at is not None:
                _unclosed(report, source, open_at)
            open_at = number
            starts.append(number)
        elif tag == "ER":
            open_at = None
    if open_at is not None:
        _unclosed(report, source, open_at)
    if not starts and not report.errors:
        report.error(source.origin, "no RIS records found", "a record starts with 'TY  - JOUR' and ends with 'ER  - '")
    return starts


def _unclosed(report: Report, source: Source, line: int) -> None:
    report.error(Origin(source.name, line), "this RIS record has no end line 'ER  - '",
                 "end every record with a line 'ER  - ' (export the file again if it was cut short)")


def _work(entry: dict, origin: Origin) -> Work:
    pages = "-".join(p for p in (clean(entry.get("start_page")), clean(entry.get("end_page"))) if p) or None
    urls = entry.get("urls") or []
    return Work(
        origin=origin,
        kind=KINDS.get((entry.get("type_of_reference") or "").upper(), "document"),
        title=clean(entry.get("title") or entry.get("primary_title")),
        authors=[split_name(name) for name in (entry.get("authors") or entry.get("first_authors") or [])],
        editors=[split_name(name) for name in entry.get("secondary_authors") or []],
        year=year_of(entry.get("year") or entry.get("publication_year") or entry.get("date")),
        container=clean(entry.get("journal_name") or entry.get("secondary_title") or entry.get("alternate_title3")),
        volume=clean(entry.get("volume")),
        issue=clean(entry.get("number")),
        pages=pages,
        doi=clean(entry.get("doi")),
        issn=clean(entry.get("issn")),
        url=clean(urls[0]) if urls else None,
        publisher=clean(entry.get("publisher")),
        abstract=clean(entry.get("abstract") or entry.get("notes_abstract")),
        keywords=[k for k in (clean(k) for k in entry.get("keywords") or []) if k],
    )
