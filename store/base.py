"""The store interface every other part of coprokg uses.

Results are pyoxigraph objects whichever implementation answers: ``QuerySolutions`` for
SELECT, ``QueryBoolean`` for ASK, and for CONSTRUCT/DESCRIBE an iterable of ``Triple`` with a
``serialize(output=None, format=...)`` method (pyoxigraph's ``QueryTriples`` or
:class:`GraphResult`).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from contextlib import contextmanager
from itertools import groupby
from typing import BinaryIO, Iterable, Mapping, Union

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    serialize,
)

from coprokg.errors import QueryError

Term = Union[NamedNode, BlankNode, Literal]
DATASET_FORMATS = (RdfFormat.N_QUADS, RdfFormat.TRIG)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
# What a SPARQL keyword or variable cannot hide in: comments, strings, IRIs.
NOT_CODE = re.compile(r'#[^\n]*|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>')


class GraphResult:
    """The triples of a CONSTRUCT or DESCRIBE answer, shaped like pyoxigraph's QueryTriples."""

    def __init__(self, triples: Iterable[Triple]):
        self._triples = list(triples)

    def __iter__(self):
        return iter(self._triples)

    def serialize(self, output=None, format: RdfFormat = RdfFormat.N_TRIPLES):
        return serialize(self._triples, output, format)


QueryResult = Union[QuerySolutions, QueryBoolean, QueryTriples, GraphResult]


class Store(ABC):
    """A SPARQL 1.1 dataset whose default graph, for queries, is the union of its named graphs."""

    location: str

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: list[NamedNode] | None = None,
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult:
        """Run a query. ``substitutions`` binds variables (by name, without '?') to terms.

        ``default_graph`` / ``named_graphs`` restrict the dataset as the SPARQL Protocol's
        ``default-graph-uri`` / ``named-graph-uri`` do; without them the default graph is the
        union of all named graphs.
        """

    @abstractmethod
    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update, all of it or none of it; its relative IRIs resolve against
        ``base_iri`` (an update's own BASE comes first)."""

    @abstractmethod
    def add_quads(self, quads: Iterable[Quad], *, replace_graphs: Iterable[NamedNode] = ()) -> int:
        """Write quads, into any number of named graphs, all or nothing: if ``quads`` (which
        may be a generator) raises, or the write fails, nothing is written.

        The graphs in ``replace_graphs`` lose their previous content in the same transaction.
        Returns the number of quads written; writing none leaves the data version as it was.
        """

    def add_graph(self, graph: NamedNode, triples: Iterable[Triple], *, replace: bool = False) -> int:
        """Write ``triples`` into the named graph ``graph`` in one transaction; with ``replace``
        the graph's previous content goes in the same transaction."""
        return self.add_quads(as_quads(graph, triples), replace_graphs=[graph] if replace else ())

    @contextmanager
    def undoable(self, graphs: Iterable[NamedNode]):
        """Put ``graphs`` back as they were, and drop the graphs it made, if the block raises:
        the block may write several times (a load, then the graphs derived from it) and still
        be all or nothing. This implementation copies the graphs before the block (their blank
        nodes come back as new ones)."""
        graphs = sorted(set(graphs), key=str)
        existing = set(self.graphs())
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?g { "
                          + " ".join(str(graph) for graph in graphs) + " } }") if graphs else []
        backup = [Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows]
        before = self.version()
        try:
            yield
        except BaseException:
            if self.version() == before:  # the block wrote nothing
                raise
            made = [graph for graph in self.graphs() if graph not in existing]  # a load's new graph
            self.add_quads(backup, replace_graphs=sorted({*graphs, *made}, key=str))
            raise

    @abstractmethod
    def drop_graph(self, graph: NamedNode) -> bool:
        """Remove a named graph; False when there was no such graph."""

    @abstractmethod
    def graphs(self) -> list[NamedNode]:
        """The named graphs holding data, sorted by IRI."""

    @abstractmethod
    def dump(self, output: BinaryIO, format: RdfFormat = RdfFormat.N_QUADS) -> int:
        """Write every named graph as N-Quads or TriG; returns the number of quads written."""

    @abstractmethod
    def restore(self, source: BinaryIO | bytes, format: RdfFormat = RdfFormat.N_QUADS) -> int:
        """Add the quads of an N-Quads or TriG dump, all or nothing. Returns the quad count."""

    @abstractmethod
    def version(self) -> str:
        """A token that changes on every write made through coprokg."""

    @abstractmethod
    def is_new(self) -> bool:
        """True until the first write made through coprokg."""

    def count(self) -> int:
        """Number of quads of data in the store."""
        query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        return int(next(iter(self.query(query)))["n"].value)

    def flush(self) -> None:
        """Make every write so far visible to other processes opening the store."""

    def close(self) -> None:
        """Release the store; the object is unusable afterwards."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def syntax_error(what: str, error: SyntaxError, text: str) -> QueryError:
    """A one-line report of a pyoxigraph syntax error in ``what`` ("query", "update"...),
    with line, column and the text there."""
    message = " ".join(str(error).split())
    found = re.match(r"error at (\d+):(\d+): (.*)", message)
    if not found:
        return QueryError(f"syntax error: {message}", where=what)
    line, column, detail = int(found[1]), int(found[2]), found[3]
    expected = re.match(r"expected one of (.*)", detail)
    if expected:
        options = expected[1].split(", ")
        if len(options) > 6:
            detail = f"expected one of {', '.join(options[:6])}, ... ({len(options) - 6} more)"
    lines = text.splitlines() or [""]
    source = lines[min(line, len(lines)) - 1]
    near = source[max(0, column - 30) : column + 10].strip()
    return QueryError(
        f"syntax error: {detail}",
        where=f"{what} line {line}, column {column}",
        hint=f"check the text near {near!r}" if near else "the text ends too early",
    )


def where_start(text: str) -> int | None:
    """Where the outermost WHERE group of ``text`` opens (just after its brace): the first
    ``WHERE {`` (or, for ``ASK {``, the first brace) outside comments, strings and IRIs."""
    code = NOT_CODE.sub(lambda match: " " * len(match[0]), text)
    found = _WHERE.search(code)
    if found is not None:
        return found.end()
    return code.index("{") + 1 if "{" in code else None


def check_dataset_format(format: RdfFormat) -> None:
    if format not in DATASET_FORMATS:
        raise ValueError(f"dumps are N-Quads or TriG, not {format.name}")


def as_quads(graph: NamedNode, triples: Iterable[Triple]) -> list[Quad]:
    return [Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def insert_data(quads: Iterable[Quad]) -> str:
    """A SPARQL ``INSERT DATA`` for quads, written from their escaped N-Triples forms."""
    blocks = []
    for graph, group in groupby(sorted(quads, key=lambda q: str(q.graph_name)), key=lambda q: q.graph_name):
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in group)
        blocks.append(body if isinstance(graph, DefaultGraph) else f"GRAPH {graph} {{\n{body}\n}}")
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"
