"""The SPARQL 1.1 Graph Store HTTP Protocol at /data.

https://www.w3.org/TR/sparql11-http-rdf-update/

A graph is named by ``?graph=IRI`` (indirect identification), ``?default``, or, for a graph
named by this server's own URL, by that URL: ``/data/<path>`` (direct identification).

- ``GET`` / ``HEAD`` answer the graph in any RDF format, through the query workers (time
  limit, row cap).
- ``PUT`` replaces a named graph, ``POST`` merges into it, and ``POST /data`` makes a new
  graph (201 Created, its URL in Location). The body goes through the loaders' pipeline as
  one load: shapes validation (400 with every problem found, nothing written), provenance
  in the load history, all or nothing. A multipart/form-data POST is one load of its parts.
- ``DELETE`` removes a graph (``?default``: empties the default graph).

Writes run in the update worker (:meth:`coprokg.server.engine.QueryService.write`): the body
is parsed, validated and written there, without network, on the store handed over to it, so
a body that crashes a parser costs that worker, never the server. Writes need the update token. The default graph takes no PUT or POST: the store keeps
written data in named graphs, each with its provenance record, and its query default graph
is their union. The load history graph is written by the loaders only.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for
from pyoxigraph import NamedNode

from coprokg import formats
from coprokg.errors import CoprokgError, QueryError
from coprokg.loaders.api import GRAPH_FORMATS, load_rdf_parts
from coprokg.loaders.history import LOADS_GRAPH, load_graph
from coprokg.loaders.pipeline import LoadReport
from coprokg.loaders.registry import for_media_type
from coprokg.server.auth import require_token
from coprokg.server.errors import error_response
from coprokg.server.http import engine, negotiate, not_acceptable, not_modified, tagged
from coprokg.store import derived, search

bp = Blueprint("gsp", __name__)

WHOLE_GRAPH = "CONSTRUCT WHERE { ?s ?p ?o }"
WRITABLE = "Turtle (text/turtle), N-Triples (application/n-triples), JSON-LD (application/ld+json), RDF/XML (application/rdf+xml)"


class Protected(CoprokgError):
    http_status = 403
    kind = "protected-graph"


class UnsupportedMediaType(CoprokgError):
    http_status = 415
    kind = "unsupported-media-type"


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
    response = tagged(answer.body, fmt.media_type, etag)
    if answer.truncated:
        response.headers["Coprokg-Truncated"] = f"true; only the first {answer.rows} triples (COPROKG_MAX_ROWS)"
    return response


@bp.put("/data")
@bp.put("/data/<path:rest>")
def put_graph(rest: str | None = None):
    require_token()
    return _write(request.base_url if rest else _graph(), replace=True)


@bp.post("/data")
@bp.post("/data/<path:rest>")
def post_graph(rest: str | None = None):
    require_token()
    if rest:
        return _write(request.base_url, replace=False)
    if not request.args.getlist("graph") and "default" not in request.args:
        return _write(None, replace=False)  # the request names the graph store: a new graph
    return _write(_graph(), replace=False)


@bp.delete("/data")
@bp.delete("/data/<path:rest>")
def delete_graph(rest: str | None = None):
    require_token()
    graph = request.base_url if rest else _graph()
    _check_writable(graph)
    if not engine().write(_deleted, graph):
        return _no_such_graph(graph)
    return Response(status=204)


def _write(graph: str | None, *, replace: bool):
    """PUT (``replace``) or POST the request's RDF into ``graph`` (None: a new load graph)."""
    if graph == "":
        return _default_graph_is_read_only()
    _check_writable(graph)
    existed, report = engine().write(_stored, _payload(), graph, replace)
    written = graph or (load_graph(report.load_id).value if report.load_id else None)
    created = written is not None and not existed and report.load_id is not None
    body = {
        "status": "created" if created else "replaced" if replace else "merged" if report.load_id else "unchanged",
        "graph": written,
        "load": report.load_id,
        "triples": report.counts.triples,
        "summary": report.summary(),
        "warnings": [problem.to_dict() for problem in report.warnings],
    }
    if report.already_loaded_as:
        body["already_loaded_as"] = report.already_loaded_as
    response = jsonify(body)
    if created:
        response.status_code = 201
        response.headers["Location"] = written if graph == request.base_url else _url_of(written)
    return response


def _stored(store, parts: list[tuple[bytes, str]], graph: str | None, replace: bool) -> tuple[bool, LoadReport]:
    """The write of a PUT or POST, run by the update worker: whether ``graph`` existed, and the load's report."""
    existed = graph is not None and NamedNode(graph) in store.graphs()
    return existed, load_rdf_parts(store, parts, graph, replace)


def _deleted(store, graph: str) -> bool:
    """The write of a DELETE, run by the update worker: False when there is no such graph."""
    before = store.version()
    with derived.refreshed(store, [NamedNode(graph)] if graph else []):  # the derived graphs follow
        if not graph:
            store.update("CLEAR DEFAULT")
            return True
        if not store.drop_graph(NamedNode(graph)):
            return False
    search.after_unload(store, graph, before)
    return True


def _payload() -> list[tuple[bytes, str]]:
    """The RDF parts of the request: its body, or each file of a multipart/form-data POST."""
    if request.mimetype == "multipart/form-data" and request.method == "POST":
        parts = [(part.read(), part.content_type or "") for part in request.files.values()]
        if not parts:
            raise QueryError("the multipart request holds no file part", where="body",
                             hint="send each RDF document as a file part with its own Content-Type")
    else:
        parts = [(request.get_data(), request.content_type or "")]
    for _, media_type in parts:
        fmt = for_media_type(media_type)
        if fmt is None or fmt.name not in GRAPH_FORMATS:
            raise UnsupportedMediaType(
                f"cannot store a body of type {media_type or '(none)'!r}",
                where="Content-Type",
                hint=f"send one RDF graph as {WRITABLE}",
            )
    return parts


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
    if graphs:
        try:
            NamedNode(graphs[0])
        except ValueError as error:
            raise QueryError(f"the graph name {graphs[0]!r} is not an IRI: {error}", where="graph") from None
    return graphs[0] if graphs else ""


def _check_writable(graph: str | None) -> None:
    if graph == LOADS_GRAPH.value:
        raise Protected(
            f"the graph <{graph}> is the load history; only loads write it",
            where="graph",
            hint="to undo a load, use 'coprokg unload <id>'; write data to a graph of its own",
        )
    if graph is not None and derived.is_derived(graph):
        raise Protected(
            f"the graph <{graph}> is derived from the others (inferences and their records); "
            "every write recomputes it",
            where="graph",
            hint="write the asserted statements to a graph of their own; what follows from them is derived",
        )


def _default_graph_is_read_only():
    response = error_response(
        405,
        "method-not-allowed",
        "the default graph takes no PUT or POST: this store keeps written data in named graphs, each with its "
        "provenance, and answers queries over their union",
        where="graph",
        hint="PUT or POST to /data?graph=<IRI>, or POST to /data to make a new graph",
    )
    response.headers["Allow"] = "GET, HEAD, DELETE"
    return response


def _url_of(graph: str) -> str:
    return url_for("gsp.get_graph", graph=graph, _external=True)


def _no_such_graph(graph: str):
    return error_response(404, "not-found", f"the store has no graph <{graph}>", where="graph")
