"""BibTeX and BibLaTeX (.bib), read with bibtexparser's v2 API.

LaTeX in titles and names ({\\"o}, \\aa, {Braces}) is decoded with pylatexenc, the decoder
bibtexparser itself uses, applied only to fields that carry LaTeX. A block bibtexparser cannot
parse (unbalanced braces, a missing comma) is reported with its line and stops the load.

A large file is read in two halves at once, the second in a forked process, split where an
entry begins (a line starting with @ outside any braces). When a half has a block that
cannot be parsed, or the file defines @string macros or delimits an entry with parentheses,
the whole file is read in one piece, so reports are those of a whole reading.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
import unicodedata

import bibtexparser
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from coprokg.loaders import workers
from coprokg.loaders.report import Origin, Report
from coprokg.loaders.source import Source
from coprokg.loaders.work import Work, clean, split_list, year_of

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
PARALLEL_CHARS = 1_000_000  # files this long or longer are read in two halves at once
_BRACE_OR_ENTRY = re.compile(r"[{}]|^[ \t]*@", re.MULTILINE)
_STRING_MACRO = re.compile(r"@[ \t]*string\b", re.IGNORECASE)
_PARENTHESISED_ENTRY = re.compile(r"\n[ \t]*@[ \t]*\w+[ \t]*\(")
DUPLICATE = ("a second entry with this key; both are read", "give each entry its own key")


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
    text = source.text
    halves = _halves(text) if len(text) >= PARALLEL_CHARS else None
    works = _read_halves(source.name, *halves, report) if halves else None
    return works if works is not None else _read_whole(source, report)


def _read_whole(source: Source, report: Report) -> list[Work]:
    library = bibtexparser.parse_string(source.text)
    for block in library.failed_blocks:
        origin = Origin(source.name, block.start_line + 1, getattr(block, "key", None))
        if isinstance(block, DuplicateBlockKeyBlock):
            report.warning(origin, *DUPLICATE)
            continue
        detail = " ".join(str(block.error).split()) if isinstance(block, ParsingFailedBlock) else ""
        report.error(origin, f"cannot parse this BibTeX entry ({detail or 'syntax error'})",
                     "check that every { has its }, that fields are separated by commas, and the entry ends with }",
                     value=block.raw.strip().splitlines()[0] if block.raw.strip() else "")
    works = []
    for entry in library.entries:
        works.append(_work(entry, source.name))
    works += [_duplicate(block, source.name) for block in library.failed_blocks if isinstance(block, DuplicateBlockKeyBlock)]
    if not works and not report.errors:
        report.error(source.origin, "no BibTeX entries found", "a .bib file holds entries such as @article{key, ...}")
    return works


def _halves(text: str) -> tuple[str, str, int] | None:
    """The text before and from the first entry past its middle that begins outside any braces,
    with the number of lines before it; None when the file must be read whole."""
    if (_STRING_MACRO.search(text) or _PARENTHESISED_ENTRY.search("\n" + text)
            or "fork" not in multiprocessing.get_all_start_methods()):
        return None
    middle = len(text) // 2
    depth = text.count("{", 0, middle) - text.count("}", 0, middle)
    for found in _BRACE_OR_ENTRY.finditer(text, middle):
        mark = found.group()
        if mark == "{":
            depth += 1
        elif mark == "}":
            depth -= 1
        elif depth == 0:  # an @ that begins a line (^ matches after a newline only, also at ``middle``)
            cut = found.start()
            return text[:cut], text[cut:], text.count("\n", 0, cut)
    return None


def _read_halves(file: str, first: str, second: str, lines_before: int, report: Report) -> list[Work] | None:
    """Both halves read at once; None when either has a block that cannot be parsed."""
    with workers.pool(1) as pool:
        later = pool.submit(_read_part, second, file, lines_before)
        read_here = _read_part(first, file, 0)
        read_there = later.result()
    if read_here is None or read_there is None:
        return None
    (works, duplicates), (more, more_duplicates) = read_here, read_there
    keys = {w.origin.key for w in works}
    # As one reading has them: entries, then the entries whose key came earlier, in file order.
    duplicates = sorted([*duplicates, *(w for w in more if w.origin.key in keys), *more_duplicates],
                        key=lambda w: w.origin.line)
    for work in duplicates:
        report.warning(work.origin, *DUPLICATE)
    return works + [w for w in more if w.origin.key not in keys] + duplicates


def _read_part(text: str, file: str, lines_before: int) -> tuple[list[Work], list[Work]] | None:
    """A half's entries and its entries with a key already used in it, as works; None when it
    has a block that cannot be parsed."""
    library = bibtexparser.parse_string(text)
    if any(not isinstance(b, DuplicateBlockKeyBlock) for b in library.failed_blocks):
        return None
    duplicates = [_duplicate(block, file, lines_before) for block in library.failed_blocks]
    return [_work(entry, file, lines_before) for entry in library.entries], duplicates


def _duplicate(block: DuplicateBlockKeyBlock, file: str, lines_before: int = 0) -> Work:
    """The entry of a block whose key an earlier entry has: bibtexparser keeps it unprocessed
    (braces, names), so it is parsed again on its own."""
    (entry,) = bibtexparser.parse_string(block.raw).entries
    return _work(entry, file, lines_before + block.start_line)


def _work(entry, file: str, lines_before: int = 0) -> Work:
    fields = {f.key.lower(): f.value for f in entry.fields}
    text = {k: v for k, v in fields.items() if isinstance(v, str)}
    kind = KINDS.get(entry.entry_type.lower(), "document")
    if kind == "document" and "arxiv" in (text.get("eprinttype", "") + text.get("archiveprefix", "")).lower():
        kind = "preprint"
    container = text.get("journal") or text.get("journaltitle") or text.get("booktitle")
    return Work(
        origin=Origin(file, lines_before + entry.start_line + 1, entry.key),
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
        issn=clean(text.get("issn")),
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
