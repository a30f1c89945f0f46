"""What a query or update may ask for, decided on exactly the text that will run.

The server never reaches the network or reads a local file on a client's behalf
(DESIGN.md, "Boundaries that keep it safe"). Every request is handled so:

1. its text is made canonical (:func:`coprokg.server.lexer.canonical`: codepoint escapes
   expanded, every line terminator a line feed); that text, and no other, is checked and run
   (:attr:`Checked.text`), so the check and the engine cannot disagree on where a comment ends;
2. :func:`coprokg.server.lexer.scan` measures its nesting of ``{ }``, ``( )`` and ``[ ]``
   with the grammar's own terminals (a few thousand nested groups crash the engine's
   process); deeper than ``max_nesting`` is refused, and so is ``SERVICE`` or ``LOAD``
   written as code anywhere;
3. it is parsed with rdflib's SPARQL parser (:func:`parse`), always, and the algebra is
   walked: ``SERVICE`` and ``LOAD`` are refused; ``FROM`` / ``FROM NAMED`` / ``USING`` /
   ``USING NAMED`` and the protocol's ``default-graph-uri`` / ``named-graph-uri`` may only
   name graphs the store holds; an update may not write the load history graph (only loads
   and unloads do).

Steps 1 and 2 are cheap (linear in the text) and run where the check is asked for. Step 3
may take rdflib tens of seconds on a crafted text, so the server has it done by a worker
process under the query time limit (the ``read`` argument; :meth:`coprokg.server.engine.
QueryService.read`): a text slow to parse costs its own request and a worker, never the
other clients.

Every refused or failed attempt to reach outside the store gets the same answer
(:func:`outbound_refused`), whatever the target, so answers tell nothing about other hosts.
The query and update workers also run without any network (:mod:`coprokg.server.sandbox`).

The parse is cached by text (in this process, and by the server); the graph check runs on
every request, as graphs come and go.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from coprokg.errors import CoprokgError, QueryError
from coprokg.loaders.history import LOADS_GRAPH
from coprokg.store.derived import is_derived
from coprokg.server.lexer import canonical, scan

_PARSER_LOCK = threading.Lock()  # rdflib's pyparsing grammar is not safe to use from two threads at once
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # an IRI with a scheme (RFC 3986, 3.1)
QUERY_KINDS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
OUTBOUND = (
    "the server answers from its own store only: it does not query other endpoints (SERVICE) "
    "or fetch documents (LOAD)"
)
OUTBOUND_HINT = "query that endpoint yourself; to add data, PUT or POST it to /data or INSERT DATA it"
Reader = Callable[[str, str], "Checked"]  # (canonical text, "query" or "update") -> Checked
STARTS = {
    "query": "SELECT, CONSTRUCT, DESCRIBE or ASK",
    "update": "INSERT, DELETE, WITH, CLEAR, DROP, CREATE, ADD, MOVE or COPY",
}


class Refused(CoprokgError):
    """A request the server will not run: it would reach outside the store."""

    http_status = 400
    kind = "refused"


@dataclass(frozen=True)
class Checked:
    """What parsing found: the query form and the graphs the request names."""

    kind: str  # SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE
    text: str  # the canonical text: the one to run
    default: tuple[str, ...] = ()  # FROM / USING
    named: tuple[str, ...] = ()  # FROM NAMED / USING NAMED

    @property
    def graphs(self) -> tuple[str, ...]:
        return self.default + self.named


def outbound_refused(what: str) -> Refused:
    """The one answer to any attempt to reach outside the store, refused or failed."""
    return Refused(OUTBOUND, where=what, hint=OUTBOUND_HINT)


def check_query(text: str, known_graphs, *, max_nesting: int, protocol_graphs: Iterable[str] = (),
                read: Reader | None = None) -> Checked:
    """Read a query and refuse it unless it stays inside the store; run ``Checked.text``.

    ``known_graphs`` is a callable giving the IRIs of the store's graphs (asked only when
    the request names graphs); ``read`` parses the canonical text (:func:`parse` unless
    given: the server passes one that runs it in a worker)."""
    return _check(text, "query", known_graphs, max_nesting, protocol_graphs, read or parse)


def check_update(text: str, known_graphs, *, max_nesting: int, protocol_graphs: Iterable[str] = (),
                 read: Reader | None = None) -> Checked:
    """Read an update and refuse it unless it stays inside the store and off the load history."""
    return _check(text, "update", known_graphs, max_nesting, protocol_graphs, read or parse)


def _check(text: str, what: str, known_graphs, max_nesting: int, protocol_graphs: Iterable[str], read: Reader) -> Checked:
    text = canonical(text, what)
    found = scan(text)
    if found.depth > max_nesting:
        raise Refused(
            f"the {what} nests groups {found.depth} deep; the server allows {max_nesting}",
            where=what,
            hint="flatten the nested { }, ( ) and [ ], or raise COPROKG_MAX_NESTING",
        )
    if found.keywords & {"SERVICE", "LOAD"}:
        raise outbound_refused(what)
    checked = read(text, what)
    _check_graphs([*checked.graphs, *protocol_graphs], known_graphs)
    return checked


@lru_cache(maxsize=1024)
def parse(text: str, what: str) -> Checked:
    """Step 3 on a canonical text that passed the scan: parse it with rdflib and walk the
    algebra; the query form and the graphs named, or :class:`Refused` / QueryError."""
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
    if what == "update":
        _check_history_untouched(parsed)
    named = list(_named_graphs(parsed, what))
    return Checked(
        kind,
        text,
        tuple(iri for key, iri in named if key == "default"),
        tuple(iri for key, iri in named if key == "named"),
    )


def _named_graphs(node, what: str) -> Iterable[tuple[str, str]]:
    """Walk the algebra: refuse SERVICE and LOAD, yield every graph a dataset clause names."""
    if isinstance(node, CompValue):
        if node.name in ("ServiceGraphPattern", "Load"):
            raise outbound_refused(what)
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


def _check_history_untouched(operations) -> None:
    """Refuse an update that could write the load history graph: naming it, or every graph
    (DROP/CLEAR ALL or NAMED), or a graph variable in a template (GRAPH ?g); and one naming a
    derived graph (the inferences and their records), which only a refresh writes.

    A graph written must be named by an IRI written in full, with no BASE declared: rdflib
    resolves a relative IRI against BASE only when it holds no colon, and then not always as
    Oxigraph does (RFC 3986), so ``<./x:y/../loads>`` or ``<..//loads>`` could reach the
    history unseen."""
    history = str(LOADS_GRAPH.value)
    for operation in operations:
        targets = []
        if operation.name in ("Drop", "Clear", "Create"):
            targets = [operation["graphiri"]]
        elif operation.name in ("Add", "Copy", "Move"):
            targets = list(operation["graph"]) if operation.name == "Move" else [operation["graph"][1]]
        elif operation.name in ("InsertData", "DeleteData", "DeleteWhere"):
            targets = list(operation["quads"])
        elif operation.name == "Modify":
            templates = [operation[key] for key in ("delete", "insert") if key in operation and operation[key]]
            targets = [graph for template in templates for graph in template["quads"]]
            if "withClause" in operation and operation["withClause"] is not None:
                targets.append(operation["withClause"])
        if operation.prologue.base and any(isinstance(target, URIRef) for target in targets):
            raise Refused(
                f"the update declares BASE <{operation.prologue.base}> and writes a named graph",
                where="update",
                hint="write the IRI of every graph an update writes in full, without BASE",
            )
        for target in targets:
            if isinstance(target, URIRef) and not _ABSOLUTE.match(target):
                raise Refused(
                    f"the update writes the graph <{target}>, a relative IRI",
                    where="update",
                    hint="write the IRI of every graph an update writes in full (scheme and all)",
                )
            if isinstance(target, URIRef) and is_derived(str(target)):
                raise Refused(
                    f"the update writes the graph <{target}>, which is derived from the others (inferences "
                    "and their records): every load and unload recomputes it",
                    where="update",
                    hint="write the asserted statements to a graph of their own; the next load or unload "
                    "derives what follows from them",
                )
            if isinstance(target, Variable) or target in ("ALL", "NAMED") or str(target) == history:
                raise Refused(
                    f"the update could write the load history graph <{history}>; only loads and unloads write it",
                    where="update",
                    hint="name the graphs to change (DROP GRAPH <g>, GRAPH <g> { ... }) instead of ALL, NAMED "
                    "or GRAPH ?g; to undo a load, use 'coprokg unload <id>'",
                )


def _syntax_error(what: str, error: ParseException) -> QueryError:
    """A syntax error in words a SPARQL user reads: where, and what was found there."""
    line = error.line or ""
    found = line[error.col - 1 :].split()[0][:30] if line[error.col - 1 :].strip() else ""
    near = line[max(0, error.col - 30) : error.col + 10].strip()
    where = f"{what} line {error.lineno}, column {error.col}"
    if error.msg.startswith("Expected {Select") or what == "update" and error.loc == 0:
        message = f"this is not a SPARQL {what}: it should start with {STARTS[what]} (after any PREFIX and BASE)"
        if what == "query" and found:
            message += f", not {found!r}"
        return QueryError(message, where=where, hint="check the spelling of the keywords")
    if not found:
        return QueryError(f"syntax error: the {what} ends too early", where=where, hint="is a { or ( left open, or a part missing at the end?")
    return QueryError(f"syntax error at {found!r}", where=where, hint=f"check the text near {near!r}")
