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
from collections import defaultdict

import bibtexparser
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from coprokg.loaders import workers
from coprokg.loaders.report import Origin, Problem, Report
from coprokg.loaders.source import Source
from coprokg.loaders.work import Work, clean, split_funders, split_list, year_of

KINDS = {
    "article": "article", "book": "book", "inbook": "chapter", "incollection": "chapter", "inproceedings": "chapter",
    "conference": "chapter", "techreport": "report", "report": "report", "online": "webpage", "www": "webpage",
    "electronic": "webpage", "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "unpublished": "preprint", "misc": "document",
}
_LATEX = re.compile(r"[\\{}~$%&]")
_DECODER = LatexNodes2Text()
_MARKS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
          ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328", "r": "\u030a"}
_ACCENT = re.compile(r"\\([\"'`^~=.])\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))|\\([uvHckr])(?:\s*\{\s*([A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTERS = {"aa": "å", "AA": "Å", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
            "l": "ł", "L": "Ł", "i": "ı", "textless": "<", "textgreater": ">"}
# A control word eats the space after it (\\aa b is "åb"); a control symbol does not (50\\% of).
_LETTER = re.compile(r"\\(aa|AA|ss|ae|AE|oe|OE|textless|textgreater|[oOlLi](?![A-Za-z]))(?:\{\}|\s+)?")
# Escaped symbols, and the raw % and & a field holds as text, stand in for themselves as private-use
# characters while pylatexenc reads the rest: it reads % as a comment (dropping the text after it)
# and & as a column separator.
_SYMBOLS = {"&": "\ue000", "%": "\ue001", "$": "\ue002", "_": "\ue003", "#": "\ue004"}
_SYMBOL = re.compile(r"\\([&%$_#])(?:\{\})?|(?<!\\)([%&])")
_UNSYMBOL = str.maketrans({v: k for k, v in _SYMBOLS.items()})
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
PARALLEL_CHARS = 1_000_000  # files this long or longer are read in two halves at once
_BRACE_OR_ENTRY = re.compile(r"[{}]|^[ \t]*@", re.MULTILINE)
_STRING_MACRO = re.compile(r"@[ \t]*string\b", re.IGNORECASE)
_PARENTHESISED_ENTRY = re.compile(r"\n[ \t]*@[ \t]*\w+[ \t]*\(")
# Fields a record may give more than once (Scopus: funding_details once per funder): keywords
# are joined; every url, note and funding statement is kept; of the others the first is read.
REPEATABLE = frozenset({"funding_details", "funding_text", "funding-acknowledgement", "funding-text", "keywords",
                        "author_keywords", "note", "annote", "annotation", "url", "file", "urldate", "comment",
                        "references", "correspondence_address", "chemicals_cas", "tradenames", "manufacturers",
                        "sponsors", "publisher"})
JOINED = frozenset({"keywords", "author_keywords"})
# Funding as Scopus writes it (funding_details once per funder, then funding_text 1, 2...) and as
# Web of Science does (Funding-Acknowledgement listing the funders, Funding-Text).
FUNDERS = ("funding_details", "funding-acknowledgement")
_FUNDING_TEXT = re.compile(r"^funding[_-]text(?:\s*\d+)?$")
NAME_FIELDS = frozenset({"author", "editor"})
_FIELD_NAMES = ("author|editor|title|journal|journaltitle|booktitle|year|date|volume|number|issue|pages|doi|url|"
                "keywords|abstract|publisher|issn|isbn|month|note")
# A field that swallowed the next one: a missing comma ("{T} author = {...}") or brace ("url = {http://x/{a},
# keywords = {...}").
_SWALLOWED = re.compile(rf"(?:[}}\"]\s*,?|,)\s*\b({_FIELD_NAMES})\s*=\s*[{{\"\d]", re.IGNORECASE)
_EARLY_YEAR = re.compile(r"\b\d{4}\b")
DUPLICATE = ("a second entry with this key; both are read", "give each entry its own key")


def decode(value: str | None) -> str | None:
    """LaTeX to text: accents and special letters by table (fast), anything else by pylatexenc."""
    if value is None or not _LATEX.search(value):
        return clean(value)
    text = _ACCENT.sub(_accented, value)
    text = _LETTER.sub(lambda m: _LETTERS[m[1]], text)
    text = _SYMBOL.sub(lambda m: _SYMBOLS[m[1] or m[2]], text)
    if "\\" in text or "$" in text or "~" in text:
        text = _DECODER.latex_to_text(text)
    else:
        text = text.replace("{", "").replace("}", "")
    return clean(unicodedata.normalize("NFC", text.translate(_UNSYMBOL)))


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
    works = []
    for block in library.failed_blocks:
        origin = Origin(source.name, block.start_line + 1, getattr(block, "key", None))
        if isinstance(block, DuplicateBlockKeyBlock):
            report.warning(origin, *DUPLICATE)
            continue
        if isinstance(block, DuplicateFieldKeyBlock):
            works += _repeated_fields(block, source.name, report)
            continue
        detail = " ".join(str(block.error).split()) if isinstance(block, ParsingFailedBlock) else ""
        report.error(origin, f"cannot parse this BibTeX entry ({detail or 'syntax error'})",
                     "check that every { has its }, that fields are separated by commas, and the entry ends with }",
                     value=block.raw.strip().splitlines()[0] if block.raw.strip() else "")
    for entry in library.entries:
        works += _checked(entry, source.name, report)
    works.sort(key=lambda w: w.origin.line)  # those with a repeated field among the others
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock):
            works += _checked(_duplicate(block), source.name, report, block.start_line)
    if not works and not report.errors and not report.warnings:
        report.error(source.origin, "no BibTeX entries found", "a .bib file holds entries such as @article{key, ...}")
    return works


def _repeated_fields(block: DuplicateFieldKeyBlock, file: str, report: Report) -> list[Work]:
    """An entry giving a field more than once: read when every such field may repeat (Scopus
    writes funding_details once per funder), refused naming the lines otherwise."""
    entry = block.ignore_error_block
    origin = Origin(file, block.start_line + 1, entry.key)
    lines: dict[str, list[int]] = defaultdict(list)
    for f in entry.fields:
        lines[f.key.lower()].append(f.start_line + 1)
    once = sorted(key for key, at in lines.items() if len(at) > 1 and key not in REPEATABLE)
    for key in once:
        report.error(origin, f"the field is given {len(lines[key])} times, on lines "
                     f"{', '.join(map(str, lines[key][:-1]))} and {lines[key][-1]}; it can have one value",
                     "keep the right one and delete the others", field=key)
    return [] if once else _checked(entry, file, report, raw=True)


def _checked(entry, file: str, report: Report, lines_before: int = 0, raw: bool = False) -> list[Work]:
    """The entry as a work, with the problems it shows reported; none for an empty entry.
    ``raw``: bibtexparser left the braces around its values."""
    work, problems = _work(entry, file, lines_before, raw)
    report.problems.extend(problems)
    return [work] if work is not None else []


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
    keys = {w.origin.key for w, _ in works}
    # As one reading has them: entries, then the entries whose key came earlier, in file order.
    duplicates = sorted([*duplicates, *((w, p) for w, p in more if w.origin.key in keys), *more_duplicates],
                        key=lambda found: found[0].origin.line)
    for work, _ in duplicates:
        report.warning(work.origin, *DUPLICATE)
    found = works + [(w, p) for w, p in more if w.origin.key not in keys] + duplicates
    for _, problems in found:
        report.problems.extend(problems)
    return [work for work, _ in found]


def _read_part(text: str, file: str, lines_before: int):
    """A half's entries and its entries with a key already used in it, as (work, problems);
    None when it has a block that cannot be parsed or gives a field twice."""
    library = bibtexparser.parse_string(text)
    if any(not isinstance(b, DuplicateBlockKeyBlock) for b in library.failed_blocks):
        return None
    entries = [_work(entry, file, lines_before) for entry in library.entries]
    duplicates = [_work(_duplicate(block), file, lines_before + block.start_line) for block in library.failed_blocks]
    return [e for e in entries if e[0] is not None], [d for d in duplicates if d[0] is not None]


def _duplicate(block: DuplicateBlockKeyBlock):
    """The entry of a block whose key an earlier entry has: bibtexparser keeps it unprocessed
    (braces, names), so it is parsed again on its own."""
    (entry,) = bibtexparser.parse_string(block.raw).entries
    return entry


def _unenclose(value: str, layers: int = -1) -> str:
    """A value without the braces or quotes around all of it, ``layers`` of them or every one:
    Web of Science writes {{2013}}."""
    value = value.strip()
    if layers and len(value) >= 2 and value[0] == '"' == value[-1]:
        value, layers = value[1:-1].strip(), layers - 1
    while layers and value.startswith("{") and _closing(value) == len(value) - 1:
        value, layers = value[1:-1].strip(), layers - 1
    return value


def _closing(value: str) -> int:
    depth = 0
    for at, char in enumerate(value):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return at
    return -1


def _work(entry, file: str, lines_before: int = 0, raw: bool = False) -> tuple[Work | None, list[Problem]]:
    origin = Origin(file, lines_before + entry.start_line + 1, entry.key)
    problems: list[Problem] = []
    if not entry.fields:
        problems.append(Problem("warning", origin, "an entry without any field (older Zotero versions write them); "
                                "skipped", "nothing to do"))
        return None, problems
    values: dict[str, list[str]] = defaultdict(list)
    for f in entry.fields:
        if not isinstance(f.value, str):
            continue
        key = f.key.lower()
        # Names braced once more are one name ({{World Health Organization}}): only the braces
        # bibtexparser removes from other entries go.
        value = _unenclose(f.value, (1 if raw else 0) if key in NAME_FIELDS else -1)
        swallowed = _SWALLOWED.search(value)
        if swallowed:
            problems.append(Problem("error", Origin(file, lines_before + f.start_line + 1, entry.key),
                                    f"this field holds what looks like the next field, {swallowed[1]!r}: a comma or a "
                                    "closing brace is missing before it", "end the field with }, and a comma before "
                                    "the next field", key, value[:200]))
        values[key].append(value)
    text = {key: "; ".join(found) if key in JOINED else found[0] for key, found in values.items()}
    kind = KINDS.get(entry.entry_type.lower(), "document")
    if kind == "document" and "arxiv" in (text.get("eprinttype", "") + text.get("archiveprefix", "")).lower():
        kind = "preprint"
    container = text.get("journal") or text.get("journaltitle") or text.get("booktitle")
    year = year_of(text.get("year") or text.get("date"))
    early = text.get("earlyaccessdate") or text.get("early access date")
    if year is None and early and _EARLY_YEAR.search(early):
        year = _EARLY_YEAR.search(early)[0]
        problems.append(Problem("warning", origin, f"no year: an early-access record, dated {year} by its "
                                "early-access date", "nothing to do now; the issue's year comes with a later export",
                                "year", early))
    keywords = "; ".join(k for k in (text.get("keywords"), text.get("author_keywords")) if k)
    work = Work(
        origin=origin,
        kind=kind,
        title=decode(text.get("title")),
        authors=_names(text.get("author")),
        editors=_names(text.get("editor")),
        year=year,
        container=decode(container),
        volume=clean(text.get("volume")),
        issue=clean(text.get("number") or text.get("issue")),
        pages=clean(text.get("pages")),
        doi=clean(text.get("doi")),
        issn=clean(text.get("issn")),
        urls=[url for url in (clean(v) for v in values["url"]) if url],
        publisher=decode(text.get("publisher") or text.get("institution") or text.get("school")),
        abstract=decode(text.get("abstract")),
        keywords=split_list(decode(keywords), ";" if ";" in keywords else ","),
        notes=[note for note in (decode(v) for v in values["note"]) if note],
        funding=_funding(values),
    )
    return work, problems


def _funding(values: dict[str, list[str]]) -> list[str]:
    """The funding statements of an entry: one per funder, then its funding texts."""
    funders = [funder for key in FUNDERS for value in values.get(key, ()) for funder in split_funders(value)]
    texts = [value for key, found in values.items() if _FUNDING_TEXT.match(key) for value in found]
    return [statement for statement in (decode(v) for v in funders + texts) if statement]


def _names(value: str | None) -> list[tuple[str, str]]:
    names = []
    for name in split_multiple_persons_names(value or ""):
        parts = parse_single_name_into_parts(name, strict=False)
        family = decode(" ".join(parts.von + parts.last)) or ""
        given = decode(" ".join(parts.first + parts.jr)) or ""
        if family or given:
            names.append((family or given, given if family else ""))
    return names
