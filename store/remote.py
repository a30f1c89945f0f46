"""A remote store: any SPARQL 1.1 Query/Update endpoint, through SPARQLWrapper.

The endpoint must present the union of its named graphs as the default graph, as the
embedded store does (Oxigraph: ``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph
true``; Virtuoso does so when a query names no graph). The data version lives in the graph
``<graph/store>`` and is renewed inside every update coprokg sends.
"""

from __future__ import annotations

import socket
import uuid
from typing import BinaryIO, Iterable, Mapping
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
    GraphResult,
    QueryResult,
    Store,
    Term,
    check_dataset_format,
    insert_data,
)

META_GRAPH = NamedNode(str(GRAPH["store"]))
DATA_VERSION = NamedNode(str(COP.dataVersion))

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
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
        client = self._client(self.location, sparql, kind="SELECT")
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
        quads = list(quads)
        drops = "".join(f"DROP SILENT GRAPH {graph} ;\n" for graph in replace_graphs)
        if not quads and not drops:
            return 0
        self.update(drops + insert_data(quads))
        return len(quads)

    def drop_graph(self, graph: NamedNode) -> bool:
        if graph not in self.graphs():
            return False
        self.update(f"DROP GRAPH {graph}")
        return True

    def graphs(self) -> list[NamedNode]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        names = {row["g"] for row in rows if isinstance(row["g"], NamedNode)}
        names.discard(META_GRAPH)
        return sorted(names, key=lambda g: g.value)

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
        if quads:
            self.update(insert_data(quads))
        return len(quads)

    def version(self) -> str:
        rows = list(self.query(f"SELECT ?v WHERE {{ GRAPH {META_GRAPH} {{ {META_GRAPH} {DATA_VERSION} ?v }} }}"))
        return rows[0]["v"].value if rows else ""

    def is_new(self) -> bool:
        return self.version() == ""

    def count(self) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {META_GRAPH}) }}"
        return int(next(iter(self.query(query)))["n"].value)

    def _quads(self) -> Iterable[Quad]:
        rows = self.query(
            f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {META_GRAPH}) }}"
        )
        return [Quad(row["s"], row["p"], row["o"], row["g"]) for row in rows]

    def _client(self, url: str, text: str, *, kind: str) -> SPARQLWrapper:
        client = SPARQLWrapper(url, updateEndpoint=url)
        client.setMethod(POST)
        client.setOnlyConneg(True)
        client.setQuery(text)
        client.queryType = kind  # never let a keyword inside a string decide query vs update
        client.addCustomHttpHeader("Accept", ACCEPT)
        return client

    def _send(self, client: SPARQLWrapper, what: str) -> tuple[bytes, str]:
        url = client.updateEndpoint if what == "update" else client.endpoint

        def attempt(end: float) -> tuple[bytes, str]:
            client.setTimeout(deadline.socket_timeout(end))
            response = client.query().response
            media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip()
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


def _default_update_url(query_url: str) -> str:
    if query_url.rstrip("/").endswith("/query"):
        return query_url.rstrip("/")[: -len("query")] + "update"
    return query_url


def _with_values(sparql: str, substitutions: Mapping[str, Term]) -> str:
    """Bind variables with a trailing VALUES clause built from escaped terms.

    Standard SPARQL has no pre-binding; a final VALUES block gives the same answer when
    the bound variables are in scope at the end of the query (projected, or SELECT *).
    """
    names = " ".join(f"?{name}" for name in substitutions)
    terms = " ".join(str(term) for term in substitutions.values())
    return f"{sparql}\nVALUES ({names}) {{ ({terms}) }}"
