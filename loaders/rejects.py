"""Setting bad records aside: ``coprokg load FILE... --rejects OUT``.

A load stays all or nothing for what it writes; with a rejects folder, the records that have
an error are left out of it instead of stopping it. Each input file with such records gets,
in OUT, a file of the same name holding exactly those records, verbatim in its own format (a
BibTeX entry or RIS record as it was written, the CSV header and the rows, the CSL-JSON items),
and a sidecar ``<name>.problems.txt`` with every problem found in them. The folder's files load
as they are once fixed. A problem that names no record (a file that is not UTF-8, not valid
JSON, or RDF that does not parse) sets the whole file aside.

Records are told apart from the text itself, as the readers see them: a BibTeX entry is an @
line outside any braces up to the next one; an RIS record a TY line to its ER line; a CSV
record a row (the header is kept); a CSL-JSON record an item; an RDF file is one record.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from coprokg.loaders.registry import for_path
from coprokg.loaders.report import Origin, Problem
from coprokg.loaders.source import Source

_ENTRY_OR_BRACE = re.compile(r"[{}]|^[ \t]*@", re.MULTILINE)
_RIS_START = re.compile(r"^TY  -", re.MULTILINE)
_RIS_END = re.compile(r"^ER  -", re.MULTILINE)


@dataclass
class Records:
    """The records of one source: where each starts (a line, or an item number for CSL-JSON)
    and its text."""

    source: Source
    starts: list[int]
    texts: list[str]
    header: str = ""  # text every part of the file needs (the CSV header row)

    def record(self, origin: Origin) -> int | None:
        """The index of the record ``origin`` is in, or None when it names none."""
        if origin.line is None or not self.starts or origin.line < self.starts[0]:
            return None
        return bisect.bisect_right(self.starts, origin.line) - 1


def records(source: Source) -> Records:
    """The records of a source, as the format reads them; an RDF file is one record."""
    fmt = for_path(source.name)
    name = fmt.name if fmt else ""
    try:
        text = source.text
    except Exception:  # not UTF-8 or empty: the reader reports it, and the file is one record
        return Records(source, [], [])
    if name == "bibtex":
        return _by_lines(source, text, _bibtex_starts(text))
    if name == "ris":
        return _by_lines(source, text, [text.count("\n", 0, m.start()) + 1 for m in _RIS_START.finditer(text)])
    if name == "csv":
        return _csv(source, text)
    if name == "csljson":
        return _json(source, text)
    return Records(source, [], [])


def _bibtex_starts(text: str) -> list[int]:
    starts, depth = [], 0
    for found in _ENTRY_OR_BRACE.finditer(text):
        mark = found.group()
        if mark == "{":
            depth += 1
        elif mark == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            starts.append(text.count("\n", 0, found.start()) + 1)
    return starts


def _by_lines(source: Source, text: str, starts: list[int]) -> Records:
    lines = text.splitlines(keepends=True)
    ends = starts[1:] + [len(lines) + 1]
    return Records(source, starts, ["".join(lines[a - 1:b - 1]).rstrip() + "\n" for a, b in zip(starts, ends)])


def _csv(source: Source, text: str) -> Records:
    reader = csv.reader(io.StringIO(text, newline=""))
    lines = text.splitlines(keepends=True)
    next(reader, None)
    header_end = reader.line_num
    starts, texts, start = [], [], header_end + 1
    for _ in reader:
        starts.append(start)
        texts.append("".join(lines[start - 1:reader.line_num]))
        start = reader.line_num + 1
    return Records(source, starts, texts, header="".join(lines[:header_end]))


def _json(source: Source, text: str) -> Records:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return Records(source, [], [])
    items = data if isinstance(data, list) else [data]
    return Records(source, list(range(1, len(items) + 1)), [json.dumps(item, ensure_ascii=False, indent=2)
                                                              for item in items])


@dataclass
class SetAside:
    """Records set aside, by file: the record indexes (None: the whole file) and their problems."""

    records: dict[str, Records] = field(default_factory=dict)
    chosen: dict[str, dict[int | None, list[Problem]]] = field(default_factory=dict)

    def add(self, problems: list[Problem]) -> bool:
        """Set aside the records these errors name; False when none is new (nothing more can be done)."""
        added = False
        for problem in problems:
            found = self.records.get(problem.origin.file)
            if found is None:
                continue
            index = found.record(problem.origin)
            chosen = self.chosen.setdefault(problem.origin.file, {})
            key = None if None in chosen else index
            added |= key not in chosen
            chosen.setdefault(key, []).append(problem)
        return added

    def skips(self, origin: Origin) -> bool:
        """Whether ``origin`` is in a record set aside (or a file set aside whole)."""
        chosen = self.chosen.get(origin.file)
        if not chosen:
            return False
        return None in chosen or self.records[origin.file].record(origin) in chosen

    @property
    def count(self) -> int:
        return sum(len(self.records[name].starts) or 1 if None in chosen else len(chosen)
                   for name, chosen in self.chosen.items())

    def write(self, folder: Path) -> list[Path]:
        """Each file's records set aside, verbatim, and their problems beside them."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, chosen in self.chosen.items():
            found = self.records[name]
            target = folder / Path(name).name
            if None in chosen:
                target.write_bytes(found.source.data)
            else:
                indexes = sorted(chosen)
                texts = [found.texts[i] for i in indexes]
                if for_path(name).name == "csljson":
                    body = "[\n" + ",\n".join(texts) + "\n]\n"
                else:
                    body = found.header + "\n".join(texts)
                target.write_text(body, encoding="utf-8")
            problems = [str(p) for key in sorted(chosen, key=lambda k: -1 if k is None else k) for p in chosen[key]]
            sidecar = folder / f"{target.name}.problems.txt"
            sidecar.write_text(f"# Records of {name} set aside; fix them in {target.name} and load it.\n"
                               + "\n".join(problems) + "\n", encoding="utf-8")
            written += [target, sidecar]
        return written
