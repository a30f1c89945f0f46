"""What a query or update may ask for, decided by parsing it before anything runs.

The server never reaches the network or reads a local file on a client's behalf
(DESIGN.md, "Boundaries that keep it safe"). A request is parsed with rdflib's SPARQL
parser and its algebra is walked:

- ``SERVICE`` (federated query) and ``LOAD`` are refused;
- ``FROM`` / ``FROM NAMED`` / ``USING`` / ``USING NAMED`` and the protocol's
  ``default-graph-uri`` / ``named-graph-uri`` may only name graphs the store already holds;
- nesting of ``{ }`` and ``( )`` deeper than ``max_nesting`` is refused by a lexical scan
  first, since a few thousand nested groups crash the query engine's process and deep
  nesting exhausts the parser's recursion.

A query in which none of the words ``SERVICE``, ``FROM``, ``LOAD``, ``USING`` or ``WITH``
and no codepoint escape (a backslash and ``u`` or ``U``: SPARQL expands them before it reads a keyword) is
written anywhere, in any case, not even inside a string or an IRI, cannot name another
endpoint or a graph: it is not parsed here, only scanned for nesting, and the store's own
parser reads it (a syntax error is then the store's). Every other query is parsed.

The parse is cached by text; the graph check runs on every request, as graphs come and go.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from coprokg.errors import CoprokgError, QueryError

_PARSER_LOCK = threading.Lock()  # rdflib's pyparsing grammar is not safe to use from two threads at once
QUERY_KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}

# Any of these anywhere in a query (even in a string or an IRI) sends it through the parser.
_MAY_REACH_OUT = re.compile(r"service|from|load|using|with|\\u", re.IGNORECASE)
# Strings, IRIs and comments are skipped; what is left of the text is brackets or other.
_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*|[{(]|[})]',
    re.DOTALL,
)


class Refused(CoprokgError):
    """A request the server will not run: it would reach outside the store."""

    http_status = 400
    kind = "refused"


@dataclass(frozen=True)
class Checked:
    """What parsing found: the query form and the graphs the request names."""

    kind: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE; None: not parsed, the store's parser decides
    default: tuple[str, ...] = ()  # FROM / USING
    named: tuple[str, ...] = ()  # FROM NAMED / USING NAMED

    @property
    def graphs(self) -> tuple[str, ...]:
        return self.default + self.named


def check_query(text: str, known_graphs, *, max_nesting: int, protocol_graphs: Iterable[str] = ()) -> Checked:
    """Parse a query and refuse it unless it stays inside the store.

    ``known_graphs`` is a callable giving the IRIs of the store's graphs (asked only when
    the request names graphs)."""
    if not _MAY_REACH_OUT.search(text):
        _check_nesting(text, "query", max_nesting)
        _check_graphs(list(protocol_graphs), known_graphs)
        return Checked(None)
    checked = _parse(text, "query", max_nesting)
    _check_graphs([*checked.graphs, *protocol_graphs], known_graphs)
    return checked


def check_update(text: str, known_graphs, *, max_nesting: int, protocol_graphs: Iterable[str] = ()) -> Checked:
    """Parse an update and refuse it unless it stays inside the store."""
    checked = _parse(text, "update", max_nesting)
    _check_graphs([*checked.graphs, *protocol_graphs], known_graphs)
    return checked


def nesting_depth(text: str) -> int:
    depth = deepest = 0
    for token in _TOKENS.finditer(text):
        mark = token.group()
        if mark in "{(":
            depth += 1
            deepest = max(deepest, depth)
        elif mark in "})":
            depth -= 1
    return deepest


def _check_nesting(text: str, what: str, max_nesting: int) -> None:
    depth = nesting_depth(text)
    if depth > max_nesting:
        raise Refused(
            f"the {what} nests groups {depth} deep; the server allows {max_nesting}",
            where=what,
            hint="flatten the nested { } and ( ), or raise COPROKG_MAX_NESTING",
        )


@lru_cache(maxsize=1024)
def _parse(text: str, what: str, max_nesting: int) -> Checked:
    _check_nesting(text, what, max_nesting)
    try:
        with _PARSER_LOCK:
            if what == "query":
                parsed = translateQuery(parseQuery(text)).algebra
                kind = QUERY_KINDS[parsed.name]
            else:
                parsed = translateUpdate(parseUpdate(text)).algebra
                kind = "UPDATE"
    except ParseException as error:
        raise _syntax_error(what, error) from None
    except RecursionError:
        raise Refused(f"the {what} is nested too deeply to parse", where=what, hint="flatten it") from None
    except Exception as error:  # rdflib raises plain exceptions for unknown prefixes and the like
        raise QueryError(f"cannot read the {what}: {error}", where=what) from None
    named = list(_named_graphs(parsed, what))
    return Checked(
        kind, tuple(iri for key, iri in named if key == "default"), tuple(iri for key, iri in named if key == "named")
    )


def _named_graphs(node, what: str) -> Iterable[tuple[str, str]]:
    """Walk the algebra: refuse SERVICE and LOAD, yield every graph a dataset clause names."""
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            raise Refused(
                f"SERVICE {_iri(node['term'] if 'term' in node else None)} asks the server to query another endpoint",
                where=what,
                hint="the server answers from its own store only; query that endpoint directly",
            )
        if node.name == "Load":
            raise Refused(
                f"LOAD {_iri(node['iri'] if 'iri' in node else None)} asks the server to fetch a document",
                where=what,
                hint="send the data itself: PUT or POST it to /data, or INSERT DATA it",
            )
        if node.name in ("DatasetClause", "UsingClause"):
            for key in ("default", "named"):
                if key in node:  # CompValue.get answers the key itself for a missing key
                    yield key, str(node[key])
        for value in node.values():
            yield from _named_graphs(value, what)
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _named_graphs(item, what)


def _check_graphs(named: list[str], known_graphs) -> None:
    if not named:
        return
    known = set(known_graphs())
    for iri in named:
        if iri not in known:
            raise Refused(
                f"the graph <{iri}> is not in the store",
                where="dataset",
                hint="name only graphs the store holds (SELECT DISTINCT ?g WHERE { GRAPH ?g { } } lists "
                "them); the server never fetches a graph from elsewhere",
            )


def _iri(term) -> str:
    return f"<{term}>" if term is not None else "(variable)"


def _syntax_error(what: str, error: ParseException) -> QueryError:
    near = error.line[max(0, error.col - 30) : error.col + 10].strip()
    return QueryError(
        f"syntax error: {error.msg}",
        where=f"{what} line {error.lineno}, column {error.col}",
        hint=f"check the text near {near!r}" if near else "the text ends too early",
    )
