"""The SPARQL 1.1 Protocol query operation at /sparql.

https://www.w3.org/TR/sparql11-protocol/#query-operation

GET or POST (form or ``application/sparql-query``); ``default-graph-uri`` and
``named-graph-uri`` set the dataset; the answer's format comes from the ``format``
parameter or the Accept header. ``infer=false`` (as GraphDB's) leaves the inference graph
(:mod:`coprokg.store.derived`) out of the dataset: the query sees asserted statements only.
GET without a query describes the service: the SPARQL Service Description for RDF clients;
browsers are sent to the query editor.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for
from pyoxigraph import serialize

from coprokg import formats
from coprokg.errors import QueryError
from coprokg.server import safety
from coprokg.server.errors import error_response
from coprokg.server.results import for_spreadsheets
from coprokg.server.http import body_text, engine, exact_csv, negotiate, not_acceptable, not_modified, settings, single, tagged, with_media_type
from coprokg.server.service import description
from coprokg.store import derived

bp = Blueprint("sparql", __name__)

@bp.route("/sparql", methods=["GET", "POST"])
def sparql():
    query = _query_text()
    if not query:
        if request.method == "GET" and "query" not in request.args:
            return _describe_service()
        return error_response(
            400,
            "missing-query",
            "no SPARQL query in the request",
            hint="send it as the 'query' parameter (GET or form POST) or as an application/sparql-query body",
        )
    dataset_params = _dataset_parameters()
    checked = safety.check_query(
        query, engine().graphs, max_nesting=settings().max_nesting, protocol_graphs=[*dataset_params.get("default", ()), *dataset_params.get("named", ())],
        read=engine().read,
    )
    query = checked.text  # the text checked is the text run
    solutions = negotiate(formats.RESULT_FORMATS) if checked.kind in ("SELECT", "ASK") else None
    triples = negotiate(formats.GRAPH_FORMATS) if checked.kind in ("CONSTRUCT", "DESCRIBE") else None
    if solutions is None and triples is None:
        answers = {"SELECT": formats.RESULT_FORMATS, "ASK": formats.RESULT_FORMATS}
        answers.update(CONSTRUCT=formats.GRAPH_FORMATS, DESCRIBE=formats.GRAPH_FORMATS)
        return not_acceptable(answers.get(checked.kind, formats.RESULT_FORMATS + formats.GRAPH_FORMATS))
    dataset = dataset_params or _query_dataset(checked)
    if not _infer():
        dataset = _without_inferences(dataset)
    wanted = (solutions, triples)
    exact = exact_csv()
    etag = engine().etag(query, [f.media_type for f in wanted if f], repr(sorted(dataset.items())), f"exact={exact}")
    cached = not_modified(etag)
    if cached is not None:
        return cached
    answer = for_spreadsheets(engine().query(query, wanted, dataset), exact)
    response = tagged(answer.body, answer.media_type, etag)
    if answer.rows is not None:
        response.headers["Coprokg-Rows"] = str(answer.rows)
    if answer.truncated:
        response.headers["Coprokg-Truncated"] = (
            f"true; the answer stops at the first {answer.rows} rows (COPROKG_MAX_ROWS); add LIMIT/OFFSET to page"
        )
    return response


def _query_text() -> str:
    if request.method == "GET":
        query = single(request.args.getlist("query"), "query")
        if len(query) > settings().max_get_query:
            raise QueryError(
                f"the query is {len(query)} characters long; GET takes at most {settings().max_get_query}",
                where="query",
                hint="send long queries with POST (a form field 'query' or an application/sparql-query body)",
            )
        return query
    if request.mimetype == "application/sparql-query":
        return body_text("query")
    if request.mimetype == "application/x-www-form-urlencoded":
        if "update" in request.form:
            raise QueryError("updates go to /update, not /sparql", where="update", hint="POST the update to /update")
        return single(request.form.getlist("query"), "query")
    raise QueryError(
        f"unsupported request content type {request.mimetype or '(none)'!r}",
        where="Content-Type",
        hint="POST application/x-www-form-urlencoded with a 'query' field, or application/sparql-query",
    )


def _dataset_parameters() -> dict:
    """The protocol's dataset: default-graph-uri / named-graph-uri from the URL (and a form body)."""
    values = request.values if request.mimetype == "application/x-www-form-urlencoded" else request.args
    default, named = values.getlist("default-graph-uri"), values.getlist("named-graph-uri")
    if not default and not named:
        return {}
    return {"default": default, "named": named}


def _infer() -> bool:
    """The ``infer`` parameter: true (the default) or false."""
    values = request.values if request.mimetype == "application/x-www-form-urlencoded" else request.args
    value = single(values.getlist("infer"), "infer").lower()
    if value not in ("", "true", "false"):
        raise QueryError(f"infer is {value!r}; it is true or false", where="infer",
                         hint="send infer=false to leave the inference graph out, or leave the parameter out")
    return value != "false"


def _without_inferences(dataset: dict) -> dict:
    """The dataset less the inference graph; without one, every graph but the inference graph."""
    hidden = {graph.value for graph in derived.inferred_graphs()}
    if not dataset:
        graphs = [graph for graph in engine().graphs() if graph not in hidden]
        return {"default": graphs, "named": graphs}
    return {key: [graph for graph in graphs if graph not in hidden] for key, graphs in dataset.items()}


def _query_dataset(checked: safety.Checked) -> dict:
    if not checked.graphs:
        return {}
    return {"default": list(checked.default), "named": list(checked.named)}


def _describe_service():
    fmt = negotiate(formats.GRAPH_FORMATS, allow_html=True)
    if fmt == "html":
        return redirect(url_for("ui.editor"), 303)
    if fmt is None:
        return not_acceptable(formats.GRAPH_FORMATS)
    triples = description(
        request.base_url,
        engine().graphs(),
        writable=bool(settings().update_token),
        void_url=request.host_url + ".well-known/void",
    )
    response = Response(serialize(triples, format=fmt.serializer), content_type=with_media_type(fmt.media_type))
    response.vary.add("Accept")
    return response
