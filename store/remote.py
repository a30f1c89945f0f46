"""A remote store: any SPARQL 1.1 Query/Update endpoint, through SPARQLWrapper.

The endpoint must present the union of its named graphs as the default graph, as the
embedded store does (Oxigraph: ``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph
true``; Virtuoso does so when a query names no graph). The data version lives in the graph
``<graph/store>`` and is renewed inside every update coprokg sends, so that every process
over the same endpoint sees a write at once.

What differs between endpoints, and how this module copes (Oxigraph and Virtuoso 7 are tested):

- Virtuoso keeps graphs of its own (``SYSTEM_GRAPHS``): they are not data, so the graph list,
  counts and dumps leave them out.
- Virtuoso's SPARQL compiler refuses an ``INSERT DATA`` of more than a few thousand triples,
  and runs the operations of one request one after the other without a transaction: a large
  write goes in requests of ``WRITE_CHUNK`` quads, and if any of them (or the quads' source)
  fails, the graphs it touched are put back as they were (new ones dropped, others restored
  from a copy read before the write). Other clients may see a large write while it is made.
- Virtuoso chooses a format by the Accept header alone (it will answer a CONSTRUCT with
  SPARQL JSON, a SELECT with Turtle): the header names only the formats of the query's form.
- Virtuoso cuts an answer at its ``ResultSetMaxRows`` and answers a query past its
  ``MaxQueryExecutionTime`` with what it found so far; both say so in a header, and both are
  errors here rather than short answers.
"""
from __future__ import annotations

import re
import socket
import uuid
from itertools import islice
from typing import BinaryIO, Iterable, Iterator, Mapping
from urllib.error import HTTPError, URLError

from pyoxigraph import (
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    RdfFormat,
    parse,
    parse_query_results,
    serialize,
)
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from coprokg.errors import QueryError, StoreError
from coprokg.store import deadline
from coprokg.vocab import COP, GRAPH
from coprokg.store.base import (
    NOT_CODE,
    GraphResult,
    QueryResult,
    Store,
    Term,
    check_dataset_format,
    insert_data,
    where_start,
)

META_GRAPH = NamedNode(str(GRAPH["store"]))
DATA_VERSION = NamedNode(str(COP.dataVersion))

# Graphs Virtuoso keeps for itself (its RDF views, LDP, the service description): never data.
SYSTEM_GRAPHS = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/")
WRITE_CHUNK = 2000  # quads per request of a large write (Virtuoso's compiler gives out near 5,000)
ACCEPT = {
    "SELECT": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
    "ASK": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
    "CONSTRUCT": "application/n-triples, text/turtle;q=0.9",
    "DESCRIBE": "application/n-triples, text/turtle;q=0.9",
    None: "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8",
}
_FORM = re.compile(r"(?<![\w:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])", re.IGNORECASE)
_DATA_GRAPH = (f"FILTER(?g != {META_GRAPH} && "
               + " && ".join(f'!STRSTARTS(STR(?g), "{prefix}")' for prefix in SYSTEM_GRAPHS) + ")")
RESULT_FORMATS = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/turtle": RdfFormat.TURTLE,
    "application/rdf+xml": RdfFormat.RDF_XML,
}


class RemoteStore(Store):
    def __init__(self, query_url: str, update_url: str = "", timeout: float = 10.0):
        self.location = query_url
        self.update_url = update_url or _default_update_url(query_url)
        self.timeout = timeout
        self.version()  # fail now, with a clear message, if nobody answers

    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: list[NamedNode] | None = None,
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult:
        if substitutions:
            sparql = _with_values(sparql, substitutions)
        client = self._client(self.location, sparql, kind="SELECT", accept=ACCEPT[query_form(sparql)])
        for graph in default_graph or ():
            client.addDefaultGraph(graph.value)
        for graph in named_graphs or ():
            client.addNamedGraph(graph.value)
        body, media_type = self._send(client, "query")
        try:
            if media_type in RESULT_FORMATS:
                return _results(body, RESULT_FORMATS[media_type])
            if media_type in GRAPH_FORMATS:
                return GraphResult(q.triple for q in parse(body, GRAPH_FORMATS[media_type]))
        except (SyntaxError, ValueError) as error:
            raise BadAnswer(f"the endpoint's answer is not valid {media_type}: {' '.join(str(error).split())}",
                            where=self.location,
                            hint="the endpoint or a proxy cut or garbled it; try again, or look at the endpoint's log") from None
        raise BadAnswer(f"the endpoint answered with unexpected media type {media_type!r}", where=self.location)

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        if base_iri is not None:  # on the update's first line, so that its line numbers stay
            sparql = f"BASE {NamedNode(base_iri)} {sparql}"
        version = Literal(uuid.uuid4().hex)
        renewal = (
            f"DELETE WHERE {{ GRAPH {META_GRAPH} {{ {META_GRAPH} {DATA_VERSION} ?v }} }} ;\n"
            f"INSERT DATA {{ GRAPH {META_GRAPH} {{ {META_GRAPH} {DATA_VERSION} {version} }} }}"
        )
        self._send(self._client(self.update_url, f"{sparql}\n;\n{renewal}", kind="INSERT"), "update")

    def add_quads(self, quads: Iterable[Quad], *, replace_graphs: Iterable[NamedNode] = ()) -> int:
        quads, replace_graphs = iter(quads), list(replace_graphs)
        first = list(islice(quads, WRITE_CHUNK + 1))
        drops = "".join(f"DROP SILENT GRAPH {graph} ;\n" for graph in replace_graphs)
        if len(first) <= WRITE_CHUNK:  # one request: one operation list the endpoint runs at once
            if not first and not drops:
                return 0
            self.update(drops + insert_data(first))
            return len(first)
        return self._add_in_chunks(first, quads, replace_graphs)

    def _add_in_chunks(self, chunk: list[Quad], rest: Iterator[Quad], replace_graphs: list[NamedNode]) -> int:
        """A large write in requests of WRITE_CHUNK quads; on any failure the graphs it touched
        are put back: those it made dropped, the others given the content they had before."""
        existing, touched, backup, written = set(self.graphs()), set(), [], 0
        drops = "".join(f"DROP SILENT GRAPH {graph} ;\n" for graph in replace_graphs)
        try:
            while chunk:
                new = {q.graph_name for q in chunk if isinstance(q.graph_name, NamedNode)} | set(replace_graphs)
                new -= touched
                backup += self._quads(sorted(new & existing, key=str))  # before the graph's first change
                touched |= new
                self.update(drops + insert_data(chunk))
                written, drops = written + len(chunk), ""
                chunk = list(islice(rest, WRITE_CHUNK))
        except BaseException:
            self.update(" ;\n".join(f"DROP SILENT GRAPH {graph}" for graph in sorted(touched, key=str)))
            for start in range(0, len(backup), WRITE_CHUNK):
                self.update(insert_data(backup[start : start + WRITE_CHUNK]))
            raise
        return written

    def drop_graph(self, graph: NamedNode) -> bool:
        if graph not in self.graphs():
            return False
        self.update(f"DROP SILENT GRAPH {graph}")  # Virtuoso refuses DROP GRAPH of a graph made by INSERT
        return True

    def graphs(self) -> list[NamedNode]:
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_DATA_GRAPH} }}")
        return sorted((row["g"] for row in rows if isinstance(row["g"], NamedNode)), key=lambda g: g.value)

    def dump(self, output: BinaryIO, format: RdfFormat = RdfFormat.N_QUADS) -> int:
        check_dataset_format(format)
        quads = self._quads()
        serialize(quads, output, format)
        return len(quads)

    def restore(self, source: BinaryIO | bytes, format: RdfFormat = RdfFormat.N_QUADS) -> int:
        check_dataset_format(format)
        try:
            quads = [q for q in parse(source, format) if q.graph_name != META_GRAPH]
        except SyntaxError as error:
            raise QueryError(f"not valid {format.name}: {error}", where="restore") from None
        return self.add_quads(quads)

    def version(self) -> str:
        rows = list(self.query(f"SELECT ?v WHERE {{ GRAPH {META_GRAPH} {{ {META_GRAPH} {DATA_VERSION} ?v }} }}"))
        return rows[0]["v"].value if rows else ""

    def is_new(self) -> bool:
        return self.version() == ""

    def count(self) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_DATA_GRAPH} }}"
        return int(next(iter(self.query(query)))["n"].value)

    def _quads(self, graphs: list[NamedNode] | None = None) -> list[Quad]:
        """The quads of ``graphs``, or of every data graph."""
        if graphs == []:
            return []
        query = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_DATA_GRAPH} }}"
        if graphs:
            query += "\nVALUES ?g { " + " ".join(str(graph) for graph in graphs) + " }"
        return [Quad(row["s"], row["p"], row["o"], row["g"]) for row in self.query(query)]

    def _client(self, url: str, text: str, *, kind: str, accept: str = ACCEPT[None]) -> SPARQLWrapper:
        client = SPARQLWrapper(url, updateEndpoint=url)
        client.setMethod(POST)
        client.setOnlyConneg(True)
        client.setQuery(text)
        client.queryType = kind  # never let a keyword inside a string decide query vs update
        client.addCustomHttpHeader("Accept", accept)
        return client

    def _send(self, client: SPARQLWrapper, what: str) -> tuple[bytes, str]:
        url = client.updateEndpoint if what == "update" else client.endpoint

        def attempt(end: float) -> tuple[bytes, str]:
            client.setTimeout(deadline.socket_timeout(end))
            response = client.query().response
            media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip()
            _check_whole(response.headers, url)
            return deadline.read_body(response, end, url, self.timeout), media_type

        try:
            return deadline.request(attempt, url=url, seconds=self.timeout)
        except SPARQLWrapperException as error:
            detail = str(error).split("Response:", 1)[-1].strip().replace("\n", " ")
            if "400" in str(error) or "QueryBadFormed" in type(error).__name__:
                raise QueryError(f"the endpoint refused the {what}: {detail}", where=url) from None
            raise StoreError(f"the endpoint failed on the {what}: {detail}", where=url) from None
        except HTTPError as error:
            raise StoreError(f"the endpoint answered HTTP {error.code} {error.reason}", where=url) from None
        except (URLError, socket.timeout, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(
                f"cannot reach the SPARQL endpoint: {reason}",
                where=url,
                hint="check that the endpoint is running and COPROKG_STORE points at it",
            ) from None


class BadAnswer(StoreError):
    """The remote store answered, but not with a SPARQL answer coprokg can read."""

    http_status = 502
    kind = "bad-store-answer"


def _results(body: bytes, format: QueryResultsFormat):
    """The parsed answer, read to its end first: pyoxigraph parses solutions lazily, and a cut
    answer must fail here, not half-way through whoever iterates it."""
    parsed = parse_query_results(body, format)
    if isinstance(parsed, QueryBoolean):
        return parsed
    for _ in parsed:
        pass
    return parse_query_results(body, format)


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first such keyword outside comments,
    strings and IRIs (only to choose the Accept header; the endpoint parses the query)."""
    found = _FORM.search(NOT_CODE.sub(" ", sparql))
    return found[1].upper() if found else None


def _check_whole(headers, url: str) -> None:
    """Refuse an answer Virtuoso says it cut short (row limit, or time limit's partial answer)."""
    if headers.get("X-SQL-State"):
        raise BadAnswer(f"the endpoint stopped the query and gave a partial answer: {headers.get('X-SQL-Message', '')}",
                         where=url, hint="raise MaxQueryExecutionTime in virtuoso.ini, or ask a narrower question")
    if headers.get("X-SPARQL-MaxRows"):
        raise BadAnswer(f"the endpoint cut the answer at {headers['X-SPARQL-MaxRows']} rows", where=url,
                         hint="raise ResultSetMaxRows in virtuoso.ini's [SPARQL] section")


def _default_update_url(query_url: str) -> str:
    if query_url.rstrip("/").endswith("/query"):
        return query_url.rstrip("/")[: -len("query")] + "update"
    return query_url


def _with_values(sparql: str, substitutions: Mapping[str, Term]) -> str:
    """Bind variables with a VALUES row of escaped terms opening the outermost WHERE group
    (as the catalog binds its parameters; Virtuoso refuses a VALUES clause after an ASK)."""
    names = " ".join(f"?{name}" for name in substitutions)
    terms = " ".join(str(term) for term in substitutions.values())
    start = where_start(sparql)
    if start is None:
        raise QueryError("the query has no group pattern to bind values in", where=sparql[:60])
    return f"{sparql[:start]}\nVALUES ({names}) {{ ({terms}) }}{sparql[start:]}"
