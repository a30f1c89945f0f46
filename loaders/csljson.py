"""CSL-JSON (.json): Zotero's export (a list of items) and Crossref's answer for a DOI
(one item, or the REST API's ``{"message": {...}}``).

A JSON reader keeps one of the values of a key an object gives twice and drops the other
without a word: an item that gives a field twice is an error naming the field and both values."""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter

from coprokg.loaders.guard import check_nesting
from coprokg.loaders.iris import normalise_orcid
from coprokg.loaders.report import Origin, Report
from coprokg.loaders.source import Source
from coprokg.loaders.work import Work, clean, split_list, split_name, year_of

KINDS = {
    "article-journal": "article", "journal-article": "article", "article-magazine": "article",
    "article-newspaper": "article", "book": "book", "monograph": "book", "edited-book": "book",
    "chapter": "chapter", "book-chapter": "chapter", "paper-conference": "chapter",
    "proceedings-article": "chapter", "report": "report", "webpage": "webpage", "post-weblog": "webpage",
    "thesis": "thesis", "dissertation": "thesis", "posted-content": "preprint", "article": "preprint",
}
_TAGS = re.compile(r"</?jats:[\w-]+(?:\s[^<>]*)?/?>")  # the JATS markup of Crossref abstracts


def read(source: Source, report: Report) -> list[Work]:
    check_nesting(source, report)
    if report.errors:
        return []
    try:
        data = json.loads(source.text, object_pairs_hook=_Item.of)
    except json.JSONDecodeError as error:
        report.error(Origin(source.name, error.lineno), f"not valid JSON: {error.msg} at column {error.colno}",
                     "export the file again as CSL JSON")
        return []
    if isinstance(data, dict):
        data = [data.get("message", data)] if "message" in data else [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        report.error(source.origin, "CSL JSON is a list of items (objects)", "export the file again as CSL JSON")
        return []
    if not data:
        report.error(source.origin, "the file holds no items", "export at least one item")
    return [_work(item, Origin(source.name, n, _text(item.get("id")), unit="item"), report)
            for n, item in enumerate(data, 1)]


class _Item(dict):
    """A JSON object, with the (key, values) of each key it gives more than once."""

    repeated: dict[str, list] = {}

    @classmethod
    def of(cls, pairs: list[tuple]) -> "_Item":
        item = cls(pairs)
        item.repeated = {key: [v for k, v in pairs if k == key] for key, n in Counter(k for k, _ in pairs).items()
                         if n > 1}
        return item


def _text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return clean(value) if isinstance(value, (str, int, float)) else None


def _texts(value) -> list[str]:
    """Every text of a field given as text or as a list of texts."""
    return [t for t in (_text(v) for v in (value if isinstance(value, list) else [value])) if t]


def _repeats(value, path: str = ""):
    """(field path, values) of every key given more than once in ``value``, at any depth: a
    field of the item (``URL``), or of an object inside it (``author[2].family``, ``issued.date-parts``)."""
    if isinstance(value, dict):
        for key, values in getattr(value, "repeated", {}).items():
            yield f"{path}.{key}" if path else key, values
        for key, inner in value.items():
            yield from _repeats(inner, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for n, inner in enumerate(value, 1):
            yield from _repeats(inner, f"{path}[{n}]")


def _work(item: dict, origin: Origin, report: Report) -> Work:
    for key, values in _repeats(item):
        where = "this item" if "." not in key and "[" not in key else "this object of the item"
        report.error(origin, f"the field is given {len(values)} times in {where}; it can have one value",
                     "keep the right one and delete the others", field=key,
                     value=" | ".join(json.dumps(v, ensure_ascii=False)[:200] for v in values))
    orcids: dict[tuple[str, str], str] = {}
    abstract = _text(item.get("abstract"))
    keywords = item.get("keyword")
    subjects = item.get("subject") if isinstance(item.get("subject"), list) else []
    return Work(
        origin=origin,
        kind=KINDS.get(str(item.get("type", "")).lower(), "document"),
        title=_text(item.get("title")),
        authors=_names(item.get("author"), origin, "author", report, orcids),
        editors=_names(item.get("editor"), origin, "editor", report),
        year=_year(item.get("issued"), origin, report),
        container=_text(item.get("container-title")),
        volume=_text(item.get("volume")),
        issue=_text(item.get("issue")),
        pages=_text(item.get("page")),
        doi=_text(item.get("DOI")),
        issn=_text(item.get("ISSN")),
        urls=_texts(item.get("URL")),
        publisher=_text(item.get("publisher")),
        abstract=clean(_TAGS.sub(" ", abstract)) if abstract else None,
        keywords=(split_list(keywords, ";" if ";" in keywords else ",") if isinstance(keywords, str) else [])
        + [s for s in (_text(s) for s in subjects) if s],
        notes=_texts(item.get("note")),
        orcids=orcids,
    )


def _names(people, origin: Origin, field: str, report: Report, orcids: dict | None = None) -> list[tuple[str, str]]:
    """The names of a CSL name list (and their ORCID iDs into ``orcids``); a name given as text
    ("Family, Given") instead of an object is read as such, with a warning."""
    orcids = {} if orcids is None else orcids
    if people is None:
        return []
    if isinstance(people, str):
        people = [people]
    if not isinstance(people, list):
        report.error(origin, "a list of names is expected", 'write [{"family": "...", "given": "..."}]', field=field,
                     value=json.dumps(people, ensure_ascii=False)[:200])
        return []
    names = []
    for person in people:
        if isinstance(person, str) and clean(person):
            name = split_name(person)
            report.warning(origin, f"a name given as text, not as an object: read as family {name[0]!r}, given "
                           f"{name[1]!r}", 'write {"family": "...", "given": "..."} to be sure', field=field,
                           value=person)
            names.append(name)
        elif isinstance(person, dict):
            found = _name(person)
            if found:
                names.append(found)
                orcid = normalise_orcid(_text(person.get("ORCID")))
                if orcid:
                    orcids[found] = orcid
                elif person.get("ORCID"):
                    report.warning(origin, "not an ORCID iD (its check digit does not match)", "correct or remove it",
                                   field=field, value=_text(person.get("ORCID")))
            else:
                report.error(origin, "a name without family name or literal", 'write {"family": "...", "given": "..."}',
                             field=field, value=json.dumps(person, ensure_ascii=False)[:200])
        else:
            report.error(origin, "a name must be an object", 'write {"family": "...", "given": "..."}', field=field,
                         value=json.dumps(person, ensure_ascii=False)[:200])
    return names


def _name(person: dict) -> tuple[str, str] | None:
    family = _text(person.get("family")) or _text(person.get("literal"))
    given = _text(person.get("given")) or ""
    if person.get("non-dropping-particle") and family:
        family = f"{_text(person['non-dropping-particle'])} {family}"
    return (family, given) if family else None


def _year(issued, origin: Origin, report: Report) -> str | None:
    """The year of a CSL date; a date that cannot be (month 13, day 45, four parts) is an error."""
    if not isinstance(issued, dict):
        return year_of(_text(issued))
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0] and parts[0][0] is not None:
        for date in parts[:2]:  # a date, or the two ends of a range
            problem = _impossible(date)
            if problem:
                report.error(origin, f"this date cannot be: {problem}", "write [[year]], [[year, month]] or "
                             "[[year, month, day]] with a real month and day", field="issued",
                             value=json.dumps(parts))
                return None
        return year_of(str(parts[0][0]))
    return year_of(_text(issued.get("raw") or issued.get("literal")))


def _impossible(date) -> str | None:
    if not isinstance(date, list) or not 1 <= len(date) <= 3:
        return f"{len(date) if isinstance(date, list) else 'no'} parts; a date has one to three"
    try:
        numbers = [int(str(part)) for part in date]
    except ValueError:
        return "a part is not a number"
    year, month, day = (numbers + [1, 1])[:3]
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"there is no day {day} in month {month} of {year}"
    return None
