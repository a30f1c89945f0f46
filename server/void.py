"""GET /.well-known/void: the VoID description of the dataset, computed from the store.

https://www.w3.org/TR/void/#well-known

Counts, class and property partitions come from ``rq/void.rq``; the answer is served in
any RDF format, with an ETag from the data version.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from flask import Blueprint, request
from pyoxigraph import Literal, NamedNode

from coprokg import formats
from coprokg.server.http import engine, negotiate, not_acceptable, not_modified, settings, tagged

bp = Blueprint("void", __name__)

VOID_QUERY = Path(__file__).parent / "rq" / "void.rq"
DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
XSD_DATETIME = NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


@bp.get("/.well-known/void")
def void():
    fmt = negotiate(formats.GRAPH_FORMATS)
    if fmt is None:
        return not_acceptable(formats.GRAPH_FORMATS)
    etag = engine().etag("void", fmt.media_type, request.host_url)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    answer = engine().query(
        VOID_QUERY.read_text(),
        fmt,
        {},
        {
            "dataset": NamedNode(settings().base_iri + "dataset"),
            "endpoint": NamedNode(request.host_url + "sparql"),
            "license": NamedNode(DATA_LICENSE),
            "modified": Literal(_modified(engine().store), datatype=XSD_DATETIME),
        },
        capped=False,
    )
    return tagged(answer.body, fmt.media_type, etag)


def _modified(store) -> str:
    """When the data last changed: the embedded store's version file, else now."""
    version_file = Path(store.location) / "version"
    moment = version_file.stat().st_mtime if version_file.exists() else datetime.now(timezone.utc).timestamp()
    return datetime.fromtimestamp(moment, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
