"""RIS (.ris), as EndNote, Zotero, Mendeley and the databases export it, read with rispy.

rispy drops a record that has no closing ``ER  -`` line without a word; this module checks the
record structure first, so such a file is refused with the line of the unclosed record. A line
without a tag continues the field above it (rispy joins it to a text field); after a name
(AU, A2, ...) it would be read as another person, and is an error. A tag that holds one value
(a title, a year, a DOI...) given twice in a record is an error naming both lines; every note
(N1), link (UR) and funding line (Web of Science's FU and FX) is kept. Scopus writes a record's
funding into its note ("Funding details: ...; Funding text 1: ..."): those parts are read as
funding statements.
"""

from __future__ import annotations

import re

import rispy
from rispy.config import LIST_TYPE_TAGS, TAG_KEY_MAPPING

from coprokg.loaders.report import Origin, Report
from coprokg.loaders.source import Source
from coprokg.loaders.work import Work, clean, split_funders, split_name, year_of

KINDS = {
    "JOUR": "article", "EJOUR": "article", "MGZN": "article", "NEWS": "article", "BOOK": "book", "EBOOK": "book",
    "CHAP": "chapter", "ECHAP": "chapter", "CONF": "chapter", "CPAPER": "chapter", "RPRT": "report",
    "GOVDOC": "report", "ELEC": "webpage", "WEB": "webpage", "BLOG": "webpage", "THES": "thesis",
    "UNPB": "preprint", "INPR": "preprint", "GEN": "document",
}
# Tags holding one name each: a line without a tag after one of them would be read as a name of its own.
NAME_TAGS = frozenset({"AU", "A1", "A2", "A3", "A4", "ED"})
_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
# Tags read as one value: given twice in a record, one of the two would be lost.
SINGLE_TAGS = frozenset({"TI", "T1", "PY", "Y1", "DO", "VL", "IS", "SP", "EP"})
MAPPING = {**TAG_KEY_MAPPING, "FU": "funders", "FX": "funding_text"}
LIST_TAGS = [*LIST_TYPE_TAGS, "FU", "FX"]
# The parts of a Scopus note, each "Label: value" ("Export Date: 12 March 2024; Cited By: 4;
# Funding details: ..."); the funding parts are funding statements, and the correspondence address
# and references, which Scopus's BibTeX gives as fields of their own, are not kept in the note.
_SCOPUS_PART = re.compile(r"(?:^|;\s*)(Export Date|Cited By|Correspondence Address|Funding details|Funding text \d+|"
                          r"References|Chemicals/CAS|Tradenames|Manufacturers|Sponsors|Conference name|"
                          r"Conference date|Conference location|Conference code|Molecular Sequence Numbers|"
                          r"Art\. No\.|Publication Stage|Source|Editors)\s*:\s*", re.IGNORECASE)
# Web of Science writes the early-access date of a record not yet in an issue as C6 ("DEC 2023").
_EARLY_ACCESS = re.compile(r"^[A-Z]{3} (\d{4})$")
_SCOPUS_FUNDING = re.compile(r"^funding (?:details|text \d+)$", re.IGNORECASE)
_SCOPUS_DROPPED = re.compile(r"^(?:correspondence address|references)$", re.IGNORECASE)


def read(source: Source, report: Report) -> list[Work]:
    scanned = _scan(source, report)
    if scanned is None:
        return []
    entries = rispy.loads(source.text, skip_unknown_tags=True, mapping=MAPPING, list_tags=LIST_TAGS)
    return [_work(entry, Origin(source.name, line, entry.get("id")), notes, report)
            for entry, (line, notes) in zip(entries, scanned)]


def _scan(source: Source, report: Report) -> list[tuple[int, list[str]]] | None:
    """Each record's TY line and its notes (an N1 line with the lines that continue it: rispy
    would read each continuation line as a note of its own); None when a record has no ER line
    or a name is split over two lines (reported), as rispy would misread the file."""
    records: list[tuple[int, list[str]]] = []
    broken = False
    open_at = tag = None
    seen: dict[str, int] = {}  # single-valued tag -> its line in the open record
    for number, line in enumerate(source.text.splitlines(), 1):
        found = _TAG.match(line)
        if not found:
            if open_at is not None and tag in NAME_TAGS and line.strip():
                broken = True
                report.error(Origin(source.name, number), f"a line without a tag continues the {tag} field: it would "
                             "be read as another person", f"join it to the {tag} line above it (one name per {tag} line)",
                             field=tag, value=line.strip())
            elif open_at is not None and tag == "N1":
                records[-1][1][-1] += "\n" + line
            continue
        tag = found[1]
        if tag == "TY":
            if open_at is not None:
                broken = _unclosed(report, source, open_at)
            open_at, seen = number, {}
            records.append((number, []))
        elif tag == "ER":
            open_at = None
        elif open_at is not None and tag == "N1":
            records[-1][1].append(line[6:])
        elif open_at is not None and tag in SINGLE_TAGS:
            if tag in seen:
                report.error(Origin(source.name, open_at), f"the {tag} field is given twice, on lines {seen[tag]} and "
                             f"{number}; it can have one value", "keep the right one and delete the other", field=tag,
                             value=line[6:].strip())
            seen.setdefault(tag, number)
    if open_at is not None:
        broken = _unclosed(report, source, open_at)
    if not records and not broken:
        report.error(source.origin, "no RIS records found", "a record starts with 'TY  - JOUR' and ends with 'ER  - '")
    return None if broken or not records else records


def _unclosed(report: Report, source: Source, line: int) -> bool:
    report.error(Origin(source.name, line), "this RIS record has no end line 'ER  - '",
                 "end every record with a line 'ER  - ' (export the file again if it was cut short)")
    return True


def _work(entry: dict, origin: Origin, notes: list[str], report: Report) -> Work:
    year = year_of(entry.get("year") or entry.get("publication_year") or entry.get("date"))
    early = _EARLY_ACCESS.match(clean(entry.get("custom6")) or "")
    if year is None and early:
        year = early[1]
        report.warning(origin, f"no year: an early-access record, dated {year} by its early-access date",
                       "nothing to do now; the issue's year comes with a later export", field="year",
                       value=entry.get("custom6"))
    pages = "-".join(p for p in (clean(entry.get("start_page")), clean(entry.get("end_page"))) if p) or None
    notes, funding = _notes(notes)
    funding += [funder for value in entry.get("funders") or [] for funder in split_funders(value)]
    funding += [text for text in (clean(v) for v in entry.get("funding_text") or []) if text]
    return Work(
        origin=origin,
        kind=KINDS.get((entry.get("type_of_reference") or "").upper(), "document"),
        title=clean(entry.get("title") or entry.get("primary_title")),
        # AU and A1 are both the primary authors (RIS); a file may give some in each.
        authors=[split_name(name) for name in dict.fromkeys([*(entry.get("authors") or []), *(entry.get("first_authors") or [])])],
        editors=[split_name(name) for name in entry.get("secondary_authors") or []],
        year=year,
        container=clean(entry.get("journal_name") or entry.get("secondary_title") or entry.get("alternate_title3")),
        volume=clean(entry.get("volume")),
        issue=clean(entry.get("number")),
        pages=pages,
        doi=clean(entry.get("doi")),
        issn=clean(entry.get("issn")),
        urls=[url for url in (clean(u) for u in entry.get("urls") or []) if url],
        publisher=clean(entry.get("publisher")),
        abstract=clean(entry.get("abstract") or entry.get("notes_abstract")),
        keywords=[k for k in (clean(k) for k in entry.get("keywords") or []) if k],
        notes=notes,
        funding=funding,
    )


def _notes(values: list[str]) -> tuple[list[str], list[str]]:
    """The notes of a record and the funding statements Scopus writes into them."""
    notes, funding = [], []
    for value in (clean(v) for v in values):
        parts = list(_SCOPUS_PART.finditer(value or ""))
        if not parts or parts[0].start() != 0:
            notes += [value] if value else []
            continue
        kept = []
        for part, following in zip(parts, [*parts[1:], None]):
            label, text = part[1], clean(value[part.end():following.start() if following else None])
            if _SCOPUS_FUNDING.match(label):
                funding += [text] if text else []
            elif not _SCOPUS_DROPPED.match(label):
                kept.append(f"{label}: {text}" if text else f"{label}:")
        notes += ["; ".join(kept)] if kept else []
    return notes, funding
