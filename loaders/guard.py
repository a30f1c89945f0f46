"""Checks that run before any parser sees a file, so hostile input fails fast and offline.

- Nesting depth (Turtle/TriG brackets, JSON arrays and objects, XML elements) is counted by a
  flat scan: parsers that recurse would otherwise exhaust the stack or crash the process.
- RDF/XML may carry no DOCTYPE at all (defusedxml): no entity expansion bombs, no external
  entities, nothing read from disk or network.
- JSON-LD may name no remote context (``"@context": "http://..."`` or ``@import``): a load
  never makes a network request.
"""

from __future__ import annotations

import io
import json
import re

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from xml.etree.ElementTree import ParseError

from coprokg.loaders.report import Origin, Report
from coprokg.loaders.source import Source

MAX_DEPTH = 100
_TURTLE_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^>\s]*>|#[^\n]*|[\[\](){}]',
    re.DOTALL,
)
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_OPEN = frozenset("[({")


def check_nesting(source: Source, report: Report, syntax: str = "json") -> None:
    """Refuse text nested deeper than MAX_DEPTH brackets (outside strings, IRIs and comments)."""
    tokens = _JSON_TOKENS if syntax == "json" else _TURTLE_TOKENS
    text = source.text
    depth = 0
    for token in tokens.finditer(text):
        char = token.group()
        if len(char) != 1:
            continue
        if char in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                report.error(Origin(source.name, line), f"nesting deeper than {MAX_DEPTH} levels is refused",
                             "flatten the data: give nested nodes their own IRIs")
                return
        else:
            depth -= 1


def check_xml(source: Source, report: Report) -> None:
    """Refuse a DOCTYPE (entities) and element nesting deeper than MAX_DEPTH."""
    depth = 0
    try:
        for event, _ in iterparse(io.BytesIO(source.data), events=("start", "end"), forbid_dtd=True):
            depth += 1 if event == "start" else -1
            if depth > MAX_DEPTH:
                report.error(source.origin, f"XML nesting deeper than {MAX_DEPTH} levels is refused",
                             "flatten the data: give nested nodes their own IRIs")
                return
    except DefusedXmlException:
        report.error(source.origin, "RDF/XML with a DOCTYPE or entity declarations is refused",
                     "entities can read files, reach the network or expand to gigabytes: write the values out")
    except ParseError as error:
        line, column = error.position
        report.error(Origin(source.name, line), f"not well-formed XML (column {column + 1}): {error}",
                     "fix the XML syntax there")


class _Members(list):
    """A JSON object as the list of its (key, value) members, in order, repeats kept."""


def check_jsonld_contexts(source: Source, report: Report) -> None:
    """Refuse any @context that is (or contains) a URL, and any @import.

    Objects are read as lists of their members, so a key written twice (which a JSON reader
    may keep either of, and the JSON-LD parser need not read as this one does) is seen twice."""
    try:
        data = json.loads(source.text, object_pairs_hook=_Members)
    except json.JSONDecodeError as error:
        report.error(Origin(source.name, error.lineno), f"not valid JSON: {error.msg} at column {error.colno}",
                     "fix the JSON syntax there")
        return
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, _Members):  # before list: members are a list too
            for key, value in node:
                if key == "@context":
                    remote = [v for v in (value if type(value) is list else [value]) if isinstance(v, str)]
                    if remote:
                        report.error(source.origin, f"remote JSON-LD context {remote[0]!r} is refused",
                                     "a load makes no network request: put the context object inline")
                        return
                if key == "@import":
                    report.error(source.origin, f"JSON-LD @import {value!r} is refused",
                                 "a load makes no network request: put the context object inline")
                    return
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
