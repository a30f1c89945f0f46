"""The SPARQL 1.1 Graph Store HTTP Protocol at /data (indirect graph identification).

https://www.w3.org/TR/sparql11-http-rdf-update/

``GET /data?graph=IRI`` (or ``?default``) answers the graph in any RDF format, through
the query workers (time limit, row cap). ``DELETE`` removes it, behind the update token.
A graph named by this server's own URL is also reached directly: ``GET /data/<path>``
(direct graph identification).
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from pyoxigraph import NamedNode

from coprokg import formats
from coprokg.errors import QueryError
from server.auth import require_token
from server.errors import error_response
from server.http import engine, negotiate, not_acceptable, not_modified, with_media_type

bp = Blueprint("gsp", __name__)

WHOLE_GRAPH = "CONSTRUCT WHERE { ?s ?p ?o }"


@bp.get("/data")
@bp.get("/data/<path:rest>")
def get_graph(rest: str | None = None):
    graph = request.base_url if rest else _graph()
    if graph and graph not in engine().graphs():
        return _no_such_graph(graph)
    fmt = negotiate(formats.GRAPH_FORMATS)
    if fmt is None:
        return not_acceptable(formats.GRAPH_FORMATS)
    dataset = {"default": [graph] if graph else [], "named": []}
    etag = engine().etag("gsp", graph, fmt.media_type)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    answer = engine().query(WHOLE_GRAPH, fmt, dataset)
    response = Response(answer.body, content_type=with_media_type(fmt.media_type))
    response.headers["ETag"] = etag
    response.vary.add("Accept")
    if answer.truncated:
        response.headers["Coprokg-Truncated"] = f"true; only the first {answer.rows} triples (COPROKG_MAX_ROWS)"
    return response


@bp.delete("/data")
@bp.delete("/data/<path:rest>")
def delete_graph(rest: str | None = None):
    require_token()
    graph = request.base_url if rest else _graph()
    with engine().writing() as store:
        if graph:
            if not store.drop_graph(NamedNode(graph)):
                return _no_such_graph(graph)
        else:
            store.update("CLEAR DEFAULT")
    return Response(status=204)


def _graph() -> str:
    """The graph IRI of ``?graph=``, or "" for ``?default``; exactly one of them."""
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if default == bool(graphs) or len(graphs) > 1:
        raise QueryError(
            "name one graph: ?graph=<IRI> or ?default",
            where="query string",
            hint="for example /data?graph=https://w3id.org/coproduction/graph/ontology",
        )
    if graphs and not graphs[0].startswith(("http://", "https://", "urn:")):
        raise QueryError(f"the graph name {graphs[0]!r} is not an absolute IRI", where="graph")
    return graphs[0] if graphs else ""


def _no_such_graph(graph: str):
    return error_response(404, "not-found", f"the store has no graph <{graph}>", where="graph")
