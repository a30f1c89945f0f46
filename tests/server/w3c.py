"""Replay the W3C SPARQL 1.1 Protocol and Graph Store Protocol manifests against a server.

The manifests are in ../shared/w3c (see its README). Protocol tests are structured HTTP
requests (ht:Request); the Graph Store tests are HTTP messages written in their comments.
Request paths starting with ``/sparql/`` go to /update for updates and /sparql for queries;
``$GRAPHSTORE$`` is /data. Updates carry the server's update token.

The Graph Store tests are one sequence on one store (each builds on the state the ones before
left); ``$NEWPATH$`` is the Location of the graph the POST to the store made. A response the
test shows with a body must hold that graph (compared as RDF graphs, blank nodes up to
renaming). Where the test writes 200 for a PUT, POST or DELETE, 204 passes too and the other
way round: the specification allows either for a graph changed in place.

    python -m tests.server.w3c            # serve a fresh store, replay, print the results table
"""

from __future__ import annotations

import http.client
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pyoxigraph import NamedNode, QueryResultsFormat, RdfFormat, parse, parse_query_results
from rdflib import RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from coprokg.loaders.rdf import GENID
from tests.support import SHARED

W3C = SHARED / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RESULTS = {"application/sparql-results+json": QueryResultsFormat.JSON, "application/sparql-results+xml": QueryResultsFormat.XML}
TABULAR = {*RESULTS, "text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"}


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    statuses: set[str]  # "2xx", "404", ...
    boolean: bool | None = None
    format: str | None = None
    graph: str | None = None  # Turtle the response must hold (Graph Store tests)


@dataclass
class W3CTest:
    suite: str
    id: str
    name: str
    requests: list[Request]
    graph_data: list[tuple[Path, str]] = field(default_factory=list)


def protocol_tests() -> list[W3CTest]:
    folder = W3C / "sparql11-protocol"
    graph = Graph().parse(folder / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in Collection(graph, graph.value(manifest, MF.entries)):
        action = graph.value(test, MF.action)
        requests = [_request(graph, r) for r in Collection(graph, graph.value(action, HT.requests))]
        data = [
            (folder / Path(urlsplit(str(graph.value(d, UT.graph))).path).name, str(graph.value(d, RDFS.label)))
            for d in graph.objects(test, UT.graphData)
        ]
        tests.append(W3CTest("protocol", str(test).rsplit("#", 1)[-1], str(graph.value(test, MF.name)), requests, data))
    return tests


def _request(graph: Graph, node) -> Request:
    headers = {}
    if graph.value(node, HT.headers) is not None:
        for header in Collection(graph, graph.value(node, HT.headers)):
            headers[str(graph.value(header, HT.fieldName)).lower()] = str(graph.value(header, HT.fieldValue))
    body = graph.value(node, HT.body)
    data = b""
    if body is not None:
        encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
        data = str(graph.value(body, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = {str(s).rsplit("StatusCode", 1)[-1] for s in graph.objects(response, MF.expectedStatus)}
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    path = str(graph.value(node, HT.absolutePath))
    text = (path + " " + data.decode("utf-8", "replace")).lower()
    is_update = "update" in headers.get("content-type", "") or re.search(r"[?&]?(update|using-graph-uri|using-named-graph-uri)=", text)
    path = path.replace("/sparql/", "/update" if is_update else "/sparql", 1)
    return Request(str(graph.value(node, HT.methodName)), path, headers, data, statuses,
                   None if boolean is None else boolean.toPython(), None if fmt is None else str(fmt))


def graph_store_tests() -> list[W3CTest]:
    graph = Graph().parse(W3C / "sparql11-graph-store" / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in Collection(graph, graph.value(manifest, MF.entries)):
        comment = next(str(c) for c in graph.objects(test, RDFS.comment) if "#### Request" in str(c))
        request_text, response_text = comment.split("#### Request", 1)[1].split("#### Response", 1)
        lines = [line[4:] for line in request_text.strip("\n").splitlines()]
        method, target, _ = lines[0].split(" ", 2)
        head, _, body = "\n".join(lines[1:]).partition("\n\n")
        headers = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        headers = {k.lower(): v for k, v in headers.items() if k.lower() != "host"}
        status = response_text.strip().split()[0]
        statuses = {"200", "204"} if method in ("PUT", "POST", "DELETE") and status in ("200", "204") else {status}
        expected = "\n".join(line[4:] for line in response_text.strip("\n").splitlines()).partition("\n\n")[2]
        tests.append(W3CTest("graph-store", str(test).rsplit("#", 1)[-1], str(graph.value(test, MF.name)),
                             [Request(method, target, headers, body.encode(), statuses,
                                      format="RDF" if expected.strip() else None, graph=expected.strip() or None)]))
    return tests


def replay(test: W3CTest, base_url: str, token: str, state: dict | None = None) -> str | None:
    """Run a test's requests in order; None when every response is as expected, else why not.
    ``state`` carries $NEWPATH$ from one Graph Store test to the next."""
    authority = urlsplit(base_url).netloc
    state = {} if state is None else state
    for request in test.requests:
        if "$NEWPATH$" in request.path and "newpath" not in state:
            return f"{request.method} $NEWPATH$: no earlier test made a new graph"
        path = request.path.replace("$NEWPATH$", state.get("newpath", ""))
        path = path.replace("$HOST$/$GRAPHSTORE$", authority + "/data")
        path = path.replace("$GRAPHSTORE$", "/data").replace("$HOST$", authority)
        body = request.body.replace(b"$HOST$/$GRAPHSTORE$", authority.encode() + b"/data")
        headers = dict(request.headers)
        if path.startswith(("/update", "/data")) and request.method != "GET":
            headers["authorization"] = f"Bearer {token}"
        connection = http.client.HTTPConnection(authority, timeout=30)
        connection.request(request.method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        content = response.read()
        connection.close()
        status = str(response.status)
        if response.status == 201 and response.getheader("Location"):
            location = urlsplit(response.getheader("Location"))
            state["newpath"] = location.path + (f"?{location.query}" if location.query else "")
        if not ({status, status[0] + "xx"} & request.statuses):
            return f"{request.method} {path[:60]}: status {status}, expected {'/'.join(sorted(request.statuses))}"
        media_type = (response.getheader("Content-Type") or "").split(";")[0].strip()
        if request.format == "RDF" and media_type not in RDF_TYPES:
            return f"{request.method} {path[:60]}: {media_type!r} is not RDF"
        if request.format in ("tabular", "boolean") and media_type not in TABULAR:
            return f"{request.method} {path[:60]}: {media_type!r} is not a results format"
        if request.boolean is not None and bool(parse_query_results(content, RESULTS[media_type])) != request.boolean:
            return f"{request.method} {path[:60]}: boolean answer is not {request.boolean}"
        if request.graph is not None:
            expected = Graph().parse(data=request.graph.replace("$HOST$/$GRAPHSTORE$", authority + "/data"), format="turtle")
            served = deskolemised(Graph().parse(data=content, format=media_type))
            if not isomorphic(expected, served):
                return f"{request.method} {path[:60]}: the graph served has {len(served)} triples, not the {len(expected)} expected"
    return None


def deskolemised(graph: Graph) -> Graph:
    """The graph with the store's skolem IRIs read back as blank nodes (RDF 1.1 Concepts, 3.5):
    a load replaces each blank node by an IRI made from its content, so a graph written with
    blank nodes is served with those IRIs, and is the same graph once they are blank again."""
    def term(node):
        return BNode(node[len(GENID):]) if isinstance(node, URIRef) and node.startswith(GENID) else node

    result = Graph()
    for triple in graph:
        result.add(tuple(term(node) for node in triple))
    return result


def load_graph_data(engine, test: W3CTest) -> None:
    """Reset the store to the ontology, then add the test's graph data."""
    with engine.writing() as store:
        for graph in store.graphs():
            if not graph.value.startswith("https://w3id.org/coproduction/graph/ontology"):
                store.drop_graph(graph)
        store.update("CLEAR DEFAULT")
        for path, iri in test.graph_data:
            store.add_graph(NamedNode(iri), [q.triple for q in parse(path=str(path), format=RdfFormat.N_TRIPLES)])


def run_all(token: str = "w3c-token") -> list[tuple[W3CTest, str | None]]:
    """Serve a fresh store under waitress and replay every test; (test, failure or None)."""
    from coprokg.settings import Settings
    from coprokg.server import close_app, create_app
    from tests.server.conftest import Live

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings.load({"store": folder + "/store", "update_token": token, "query_workers": 1}, environ={}))
        live = Live(app)
        try:
            outcomes, state, previous = [], {}, None
            for test in protocol_tests() + graph_store_tests():
                if test.suite == "protocol" or previous != test.suite:  # Graph Store tests: one sequence
                    load_graph_data(app.extensions["coprokg.engine"], test)
                previous = test.suite
                outcomes.append((test, replay(test, live.url, token, state)))
            return outcomes
        finally:
            live.stop()
            close_app(app)


def markdown(outcomes) -> str:
    lines = ["| suite | test | result |", "|---|---|---|"]
    for test, failure in outcomes:
        lines.append(f"| {test.suite} | `{test.id}` | {'pass' if failure is None else 'fail: ' + failure.replace('|', '/')} |")
    passed = sum(failure is None for _, failure in outcomes)
    return "\n".join(lines) + f"\n\n{passed} of {len(outcomes)} pass."


if __name__ == "__main__":
    print(markdown(run_all()))
    sys.exit(0)
