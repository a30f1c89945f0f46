"""Releases of the graph: a dated, versioned directory of files to publish and cite.

``write_release(store, out_dir, ...)`` writes ``out_dir/coprokg-<version>-<date>/`` holding

- ``coprokg-<version>.nq.gz`` and ``coprokg-<version>.trig.gz``: every graph of the store;
- ``ontology-<ontology version>.ttl``: the ontology graph, with its ``owl:versionIRI``;
- ``CHANGELOG.md``: the curated graph's changelog (``data/CHANGELOG.md``);
- ``void.ttl``: a VoID and DCAT description of the release: version, date, licence, citation,
  and each file's media type, byte size and sha256 (https://www.w3.org/TR/void/,
  https://www.w3.org/TR/vocab-dcat-3/, checksums in SPDX terms as DCAT 3 suggests).

A release made twice from the same store is byte-identical: quads are sorted by their N-Quads
form, blank nodes are renamed in the order of the sorted statements they occur in, gzip headers
carry no time or file name, and the description is written from sorted triples. The files
named in ``void.ttl`` are relative IRIs, resolved against wherever the description is
published (the server resolves them under ``/dumps/``).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import BlankNode, Quad, RdfFormat, parse, serialize
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from coprokg import dataset
from coprokg.bootstrap import ONTOLOGY_GRAPH
from coprokg.data import DATA_DIR
from coprokg.errors import ConfigError
from coprokg.ontology.files import ONTOLOGY_IRI
from coprokg.store import Store
from coprokg.vocab import PREFIXES

SPDX = Namespace("http://spdx.org/rdf/terms#")
GZIP = URIRef("http://www.iana.org/assignments/media-types/application/gzip")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3; rdflib's DCAT namespace predates it
CHANGELOG = DATA_DIR / "CHANGELOG.md"
DESCRIPTION = "void.ttl"
_PLACEHOLDER = "http://release.invalid/"  # the base relative file IRIs are written against, then dropped
_NAME = re.compile(r"^coprokg-(?P<version>.+)-(?P<date>\d{4}-\d{2}-\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")


@dataclass(frozen=True)
class Release:
    directory: Path
    version: str
    date: str
    quads: int


def write_release(store: Store, out_dir: str | Path, *, base: str, version: str, date: str) -> Release:
    """Write a release of everything ``store`` holds under ``out_dir``; ConfigError if that
    release exists already or the version or date cannot name one."""
    if not _VERSION.match(version):
        raise ConfigError(f"{version!r} cannot name a release", where="--version", hint="use a version such as 0.2.0")
    if not _DATE.match(date):
        raise ConfigError(f"{date!r} is not a date", where="--date", hint="give the date as YYYY-MM-DD")
    target = Path(out_dir) / f"coprokg-{version}-{date}"
    if target.exists():
        raise ConfigError(f"the release {target} exists already", where=str(target),
                          hint="publish a new release under another --version or --date; a release is never rewritten")
    quads = canonical(_all_quads(store))
    header = _header(base, version, date)
    files: dict[str, tuple[bytes, str]] = {
        f"coprokg-{version}.nq.gz": (_gzip(header + serialize(quads, format=RdfFormat.N_QUADS)), "application/n-quads"),
        f"coprokg-{version}.trig.gz": (_gzip(header + _trig(quads)), "application/trig"),
    }
    ontology_version, ontology_turtle = _ontology(quads)
    files[f"ontology-{ontology_version}.ttl"] = (ontology_turtle, "text/turtle")
    files["CHANGELOG.md"] = (CHANGELOG.read_bytes(), "text/markdown")
    description = _description(base, version, date, len(quads), ontology_version, files)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".release-", dir=out_dir))
    try:
        for name, (content, _) in files.items():
            (staging / name).write_bytes(content)
        (staging / DESCRIPTION).write_bytes(description)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Release(target, version, date, len(quads))


def current(releases_dir: str | Path) -> Path | None:
    """The newest release in ``releases_dir`` (latest date, then the version sorting last), or None."""
    folder = Path(releases_dir)
    if not str(releases_dir) or not folder.is_dir():
        return None
    found = [(m["date"], m["version"], path) for path in folder.iterdir()
             if (m := _NAME.match(path.name)) and (path / DESCRIPTION).is_file()]
    return max(found)[2] if found else None


def version_and_date(release_dir: Path) -> tuple[str, str]:
    """The version and date a release directory's name gives."""
    match = _NAME.match(release_dir.name)
    return match["version"], match["date"]


def canonical(quads: list[Quad]) -> list[Quad]:
    """The quads sorted by their N-Quads form, blank nodes renamed b1, b2, ... in a stable order:
    by the sorted statements each occurs in (other blank nodes masked), then by the store's label."""
    occurrences: dict[str, list[str]] = {}
    for quad in quads:
        masked = None
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, BlankNode):
                masked = masked or _masked(quad)
                occurrences.setdefault(term.value, []).append(masked)
    order = sorted(occurrences, key=lambda label: (sorted(occurrences[label]), label))
    names = {label: BlankNode(f"b{i}") for i, label in enumerate(order, 1)}

    def rename(term):
        return names[term.value] if isinstance(term, BlankNode) else term

    renamed = [Quad(rename(q.subject), q.predicate, rename(q.object), rename(q.graph_name)) if names else q for q in quads]
    return sorted(renamed, key=str)


def _masked(quad: Quad) -> str:
    def mask(term):
        return BlankNode("x") if isinstance(term, BlankNode) else term

    return str(Quad(mask(quad.subject), quad.predicate, mask(quad.object), mask(quad.graph_name)))


def _all_quads(store: Store) -> list[Quad]:
    buffer = io.BytesIO()
    store.dump(buffer, RdfFormat.N_QUADS)
    return list(parse(buffer.getvalue(), format=RdfFormat.N_QUADS))


def _gzip(content: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as sink:
        sink.write(content)
    return out.getvalue()


def _header(base: str, version: str, date: str) -> bytes:
    """The comment each dump opens with: what it is, its licence and how to cite it."""
    citation = dataset.Citation(version, date, dataset.version_iri(base, version))
    lines = [f"{dataset.TITLE}, version {version} ({date}), {citation.iri}", dataset.RIGHTS, f"Cite as: {citation}"]
    return "".join(f"# {line}\n" for line in lines).encode()


def _trig(quads: list[Quad]) -> bytes:
    return serialize(quads, format=RdfFormat.TRIG, prefixes={p: str(ns) for p, ns in PREFIXES.items()})


def _ontology(quads: list[Quad]) -> tuple[str, bytes]:
    """The ontology graph's version and the graph as Turtle."""
    triples = [q.triple for q in quads if q.graph_name == ONTOLOGY_GRAPH]
    infos = [t.object.value for t in triples if t.predicate.value == str(OWL.versionInfo)
             and t.subject.value == str(ONTOLOGY_IRI)]
    if not infos:
        raise ConfigError("the store holds no ontology with an owl:versionInfo", where=str(ONTOLOGY_GRAPH),
                          hint="release a store coprokg seeded (it loads the ontology on first use)")
    return infos[0], serialize(triples, format=RdfFormat.TURTLE, prefixes={p: str(ns) for p, ns in PREFIXES.items()})


def _description(base: str, version: str, date: str, quads: int, ontology_version: str, files: dict) -> bytes:
    """The release's VoID and DCAT description, as Turtle with the files as relative IRIs."""
    graph = Graph()
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("spdx", SPDX), ("owl", OWL)):
        graph.bind(prefix, namespace)
    release = URIRef(dataset.version_iri(base, version))
    citation = dataset.Citation(version, date, str(release))
    license_ = URIRef(dataset.LICENSE)
    for p, o in (
        (RDF.type, VOID.Dataset), (RDF.type, DCAT.Dataset),
        (DCTERMS.title, Literal(dataset.TITLE)), (DCTERMS.description, Literal(dataset.DESCRIPTION)),
        (DCTERMS.creator, Literal(dataset.CREATOR)),
        (OWL.versionInfo, Literal(version)), (DCAT_VERSION, Literal(version)),
        (DCTERMS.issued, Literal(date, datatype=XSD.date)),
        (DCTERMS.isVersionOf, URIRef(dataset.dataset_iri(base))),
        (DCTERMS.license, license_), (DCTERMS.rights, Literal(dataset.RIGHTS)),
        (DCTERMS.bibliographicCitation, Literal(str(citation))),
        (VOID.triples, Literal(quads, datatype=XSD.integer)),
        (VOID.vocabulary, URIRef("https://w3id.org/coproduction/ontology#")),
    ):
        graph.add((release, p, o))
    for name, (content, media_type) in files.items():
        file = URIRef(_PLACEHOLDER + name)
        checksum = BNode()  # written inline, as [ ... ]: no label to vary
        graph.add((release, DCAT.distribution, file))
        if name.endswith((".nq.gz", ".trig.gz")):
            graph.add((release, VOID.dataDump, file))
            graph.add((file, DCAT.compressFormat, GZIP))
        for p, o in (
            (RDF.type, DCAT.Distribution), (DCAT.downloadURL, file), (DCAT.mediaType, Literal(media_type)),
            (DCAT.byteSize, Literal(len(content), datatype=XSD.nonNegativeInteger)),
            (SPDX.checksum, checksum), (DCTERMS.license, license_),
        ):
            graph.add((file, p, o))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(hashlib.sha256(content).hexdigest(), datatype=XSD.hexBinary)))
    ontology = URIRef(f"{_PLACEHOLDER}ontology-{ontology_version}.ttl")
    graph.set((ontology, DCTERMS.license, URIRef("https://opensource.org/licenses/MIT")))
    graph.add((ontology, DCTERMS.isFormatOf, URIRef(f"https://w3id.org/coproduction/ontology/{ontology_version}")))
    text = graph.serialize(format="turtle", base=_PLACEHOLDER)
    return text.replace(f"@base <{_PLACEHOLDER}> .\n", "", 1).encode()


def description(release_dir: Path, publish_base: str) -> Graph:
    """A release's description with its files' IRIs resolved under ``publish_base``."""
    return Graph().parse(release_dir / DESCRIPTION, format="turtle", publicID=publish_base)
