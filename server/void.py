"""GET /.well-known/void: the VoID description of the dataset.

https://www.w3.org/TR/void/#well-known

With a release (``COPROKG_RELEASES``), it is the newest release's own description (VoID and
DCAT: version, date, licence, citation, each file's size and sha256), its files resolved under
``/dumps/`` here. Without one, it is computed from the live store: counts, class and property
partitions from ``rq/void.rq``, the package's version and the data's modification time.
Either is served in any RDF format, with an ETag.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from flask import Blueprint, request
from pyoxigraph import Literal, NamedNode, RdfFormat, parse, serialize
from rdflib import URIRef
from rdflib.namespace import VOID

from coprokg import __version__, dataset, formats
from coprokg.release import current, description, version_and_date
from coprokg.server.http import engine, negotiate, not_acceptable, not_modified, settings, tagged

bp = Blueprint("void", __name__)

VOID_QUERY = Path(__file__).parent / "rq" / "void.rq"
XSD_DATETIME = NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


@bp.get("/.well-known/void")
def void():
    fmt = negotiate(formats.GRAPH_FORMATS)
    if fmt is None:
        return not_acceptable(formats.GRAPH_FORMATS)
    release = current(settings().releases)
    if release is not None:
        etag = engine().etag("void-release", release.name, fmt.media_type, request.host_url)
        cached = not_modified(etag)
        return cached if cached is not None else tagged(_released(release, fmt), fmt.media_type, etag)
    etag = engine().etag("void", fmt.media_type, request.host_url)
    cached = not_modified(etag)
    if cached is not None:
        return cached
    modified = _modified(engine().store)
    base = settings().base_iri
    answer = engine().query(
        VOID_QUERY.read_text(),
        fmt,
        {},
        {
            "dataset": NamedNode(dataset.dataset_iri(base)),
            "endpoint": NamedNode(request.host_url + "sparql"),
            "title": Literal(dataset.TITLE),
            "version": Literal(__version__),
            "license": NamedNode(dataset.LICENSE),
            "rights": Literal(dataset.RIGHTS),
            "citation": Literal(str(citation())),
            "modified": Literal(modified, datatype=XSD_DATETIME),
        },
        capped=False,
    )
    return tagged(answer.body, fmt.media_type, etag)


def citation() -> dataset.Citation:
    """How to cite what this server serves: the current release, else the live data as of its
    last change, under the package's version."""
    base = settings().base_iri
    release = current(settings().releases)
    if release is not None:
        version, date = version_and_date(release)
        return dataset.Citation(version, date, dataset.version_iri(base, version))
    return dataset.Citation(__version__, _modified(engine().store)[:10], dataset.dataset_iri(base))


def _released(release: Path, fmt: formats.Format) -> bytes:
    """The release's description, its files under /dumps/ here, with this server's endpoint."""
    graph = description(release, request.host_url + "dumps/")
    for subject in set(graph.subjects(predicate=VOID.dataDump)):
        graph.add((subject, VOID.sparqlEndpoint, URIRef(request.host_url + "sparql")))
    triples = parse(graph.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES)
    return serialize(triples, format=fmt.serializer)


def _modified(store) -> str:
    """When the data last changed: the embedded store's version file, else now."""
    version_file = Path(store.location) / "version"
    moment = version_file.stat().st_mtime if version_file.exists() else datetime.now(timezone.utc).timestamp()
    return datetime.fromtimestamp(moment, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
