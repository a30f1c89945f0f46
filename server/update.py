"""The SPARQL 1.1 Protocol update operation at /update, behind the update token.

https://www.w3.org/TR/sparql11-protocol/#update-operation

POST as a form (``update=``) or as an ``application/sparql-update`` body. The update is
checked first (:mod:`coprokg.server.safety`): LOAD and SERVICE are refused, USING may only
name graphs the store holds, the load history graph is out of its reach; the text checked
is the text run.
It then runs as one transaction, in a worker process without network (a crash costs the
worker, never the server), while queries go on answering from the previous snapshot.
Relative IRIs in it resolve against the endpoint's URL, the service-defined base IRI.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from pyoxigraph import NamedNode

from coprokg.errors import QueryError
from coprokg.server import safety
from coprokg.server.auth import require_token
from coprokg.server.http import body_text, engine, settings, single

bp = Blueprint("update", __name__)


@bp.post("/update")
def update():
    require_token()
    text = _update_text()
    if not text.strip():
        raise QueryError("no SPARQL update in the request", where="update", hint="send it as the 'update' form field or an application/sparql-update body")
    if request.values.getlist("using-graph-uri") or request.values.getlist("using-named-graph-uri"):
        raise QueryError(
            "using-graph-uri and using-named-graph-uri are not supported",
            where="using-graph-uri",
            hint="name the graphs in the update itself with USING / USING NAMED",
        )
    checked = safety.check_update(text, engine().graphs, max_nesting=settings().max_nesting, read=engine().read)
    engine().update(checked.text, base_iri=_base_iri())
    return jsonify(status="ok", version=engine().version())


def _base_iri() -> str | None:
    """The service's base IRI for relative IRIs in an update: this endpoint's URL (as the
    Protocol suggests), when it is a valid IRI."""
    try:
        return NamedNode(request.base_url).value
    except ValueError:
        return None


def _update_text() -> str:
    if request.mimetype == "application/sparql-update":
        return body_text("update")
    if request.mimetype == "application/x-www-form-urlencoded":
        return single(request.form.getlist("update"), "update")
    raise QueryError(
        f"unsupported request content type {request.mimetype or '(none)'!r}",
        where="Content-Type",
        hint="POST application/x-www-form-urlencoded with an 'update' field, or application/sparql-update",
    )
