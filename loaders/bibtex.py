"""BibTeX and BibLaTeX (.bib), read with bibtexparser's v2 API.

LaTeX in titles and names ({\\"o}, \\aa, {Braces}) is decoded with pylatexenc, the decoder
bibtexparser itself uses, applied only to fields that carry LaTeX. A block bibtexparser cannot
parse (unbalanced braces, a missing comma) is reported with its line and stops the load.
"""

from __future__ import annotations

import logging
import re
import unicodedata

import bibtexparser
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from loaders.report import Origin, Report
from loaders.source import Source
from loaders.work import Work, clean, split_list, year_of

KINDS = {
    "article": "article", "book": "book", "inbook": "chapter", "incollection": "chapter", "inproceedings": "chapter",
    "conference": "chapter", "techreport": "report", "report": "report", "online": "webpage", "www": "webpage",
    "electronic": "webpage", "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "unpublished": "preprint", "misc": "document",
}
_LATEX = re.compile(r"[\\{}~$]")
_DECODER = LatexNodes2Text()
_MARKS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
          ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a"}
_ACCENT = re.compile(r"\\([\"'`^~=.])\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))|\\([uvHckr])(?:\s*\{\s*([A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTERS = {"aa": "å", "AA": "Å", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "l": "ł", "L": "Ł", "i": "ı", "&": "&", "%": "%", "$": "$", "_": "_", "#": "#"}
_LETTER = re.compile(r"\\(aa|AA|ss|ae|AE|oe|OE|[oOlLi](?![A-Za-z])|[&%$_#])(?:\{\}|\s(?=[A-Za-z]))?")
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


def decode(value: str | None) -> str | None:
    """LaTeX to text: accents and special letters by table (fast), anything else by pylatexenc."""
    if value is None or not _LATEX.search(value):
        return clean(value)
    text = _ACCENT.sub(_accented, value)
    text = _LETTER.sub(lambda m: _LETTERS[m[1]], text)
    if "\\" in text or "$" in text or "~" in text:
        text = _DECODER.latex_to_text(text)
        return clean(unicodedata.normalize("NFC", text))
    return clean(unicodedata.normalize("NFC", text.replace("{", "").replace("}", "")))


def _accented(found: re.Match) -> str:
    mark = found[1] or found[4]
    letter = found[2] or found[3] or found[5] or found[6]
    return letter + _MARKS[mark]


def read(source: Source, report: Report) -> list[Work]:
    library = bibtexparser.parse_string(source.text)
    for block in library.failed_blocks:
        origin = Origin(source.name, block.start_line + 1, getattr(block, "key", None))
        if isinstance(block, DuplicateBlockKeyBlock):
            report.warning(origin, "a second entry with this key; both are read",
                           "give each entry its own key")
            continue
        detail = " ".join(str(block.error).split()) if isinstance(block, ParsingFailedBlock) else ""
        report.error(origin, f"cannot parse this BibTeX entry ({detail or 'syntax error'})",
                     "check that every { has its }, that fields are separated by commas, and the entry ends with }",
                     value=block.raw.strip().splitlines()[0] if block.raw.strip() else "")
    works = []
    for entry in library.entries:
        works.append(_work(entry, source.name))
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and hasattr(block, "ignore_error_block"):
            works.append(_work(block.ignore_error_block, source.name))
    if not works and not report.errors:
        report.error(source.origin, "no BibTeX entries found", "a .bib file holds entries such as @article{key, ...}")
    return works


def _work(entry, file: str) -> Work:
    fields = {f.key.lower(): f.value for f in entry.fields}
    text = {k: v for k, v in fields.items() if isinstance(v, str)}
    kind = KINDS.get(entry.entry_type.lower(), "document")
    if kind == "document" and "arxiv" in (text.get("eprinttype", "") + text.get("archiveprefix", "")).lower():
        kind = "preprint"
    container = text.get("journal") or text.get("journaltitle") or text.get("booktitle")
    return Work(
        origin=Origin(file, entry.start_line + 1, entry.key),
        kind=kind,
        title=decode(text.get("title")),
        authors=_names(text.get("author")),
        editors=_names(text.get("editor")),
        year=year_of(text.get("year") or text.get("date")),
        container=decode(container),
        volume=clean(text.get("volume")),
        issue=clean(text.get("number") or text.get("issue")),
        pages=clean(text.get("pages")),
        doi=clean(text.get("doi")),
        url=clean(text.get("url")),
        publisher=decode(text.get("publisher") or text.get("institution") or text.get("school")),
        abstract=decode(text.get("abstract")),
        keywords=split_list(decode(text.get("keywords")), ";" if ";" in text.get("keywords", "") else ","),
    )


def _names(value: str | None) -> list[tuple[str, str]]:
    names = []
    for name in split_multiple_persons_names(value or ""):
        parts = parse_single_name_into_parts(name, strict=False)
        family = decode(" ".join(parts.von + parts.last)) or ""
        given = decode(" ".join(parts.first + parts.jr)) or ""
        if family or given:
            names.append((family or given, given if family else ""))
    return names
