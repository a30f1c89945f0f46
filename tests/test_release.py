"""Releases: `coprokg release` twice from one store gives the same bytes; the dumps restore the
store; the description gives each file's size and checksum, the licence and the citation; the
server serves the newest release at /dumps/ and /.well-known/void."""

from __future__ import annotations

import gzip
import hashlib
import os
import re

import pytest
from pyoxigraph import BlankNode, RdfFormat, Store, parse
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, VOID

from coprokg.ontology.files import version as ontology_version
from coprokg.release import SPDX
from coprokg.server import close_app, create_app
from coprokg.settings import Settings
from tests.support import REPO, coprokg

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DATE = "2026-03-01"
BLANK_NODES = b"""
<https://example.org/a> <https://example.org/knows> _:someone <https://example.org/graph/extra> .
_:someone <https://example.org/name> "Someone" <https://example.org/graph/extra> .
_:other <https://example.org/name> "Other" <https://example.org/graph/extra> .
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """The CLI's environment on a store seeded with the curated data, plus a graph with blank nodes."""
    folder = tmp_path_factory.mktemp("release")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPROKG_")}
    env.update(PYTHONPATH=str(REPO), COPROKG_STORE=str(folder / "store"), COPROKG_DATA_DIR=str(REPO / "data"))
    (folder / "extra.nq").write_bytes(BLANK_NODES)
    imported = coprokg("import", str(folder / "extra.nq"), "--force", env=env)
    assert imported.returncode == 0, imported.stderr
    return env


@pytest.fixture(scope="module")
def released(env, tmp_path_factory):
    """The same store released twice, into two folders."""
    made = []
    for name in ("first", "second"):
        out = tmp_path_factory.mktemp(name)
        result = coprokg("release", str(out), "--version", "1.2.3", "--date", DATE, env=env)
        assert result.returncode == 0, result.stderr
        made.append(out / f"coprokg-1.2.3-{DATE}")
    return made


def test_a_release_made_twice_from_one_store_is_byte_identical(released):
    first, second = released
    names = sorted(path.name for path in first.iterdir())
    assert names == ["CHANGELOG.md", "coprokg-1.2.3.nq.gz", "coprokg-1.2.3.trig.gz", f"ontology-{ontology_version()}.ttl", "void.ttl"]
    assert names == sorted(path.name for path in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_the_dumps_restore_the_store(env, released, tmp_path):
    exported = tmp_path / "export.nq"
    assert coprokg("export", "-o", str(exported), env=env).returncode == 0
    original = list(parse(exported.read_bytes(), format=RdfFormat.N_QUADS))
    for name, fmt in (("coprokg-1.2.3.nq.gz", RdfFormat.N_QUADS), ("coprokg-1.2.3.trig.gz", RdfFormat.TRIG)):
        fresh = Store()
        fresh.load(gzip.decompress((released[0] / name).read_bytes()), fmt)
        restored = list(fresh)
        assert len(restored) == len(original) > 10000

        def without_blank_nodes(quads):
            return {str(q) for q in quads if not any(isinstance(t, BlankNode) for t in (q.subject, q.object))}

        assert without_blank_nodes(restored) == without_blank_nodes(original)
        names = {q.object.value for q in restored if q.predicate.value == "https://example.org/name"}
        assert names == {"Someone", "Other"}
    text = gzip.decompress((released[0] / "coprokg-1.2.3.nq.gz").read_bytes()).decode()
    assert set(re.findall(r"_:\w+", text)) == {"_:b1", "_:b2"}, "blank nodes are named in a stable order"


def test_every_dump_opens_with_its_licence_and_citation(released):
    for name in ("coprokg-1.2.3.nq.gz", "coprokg-1.2.3.trig.gz"):
        head = gzip.decompress((released[0] / name).read_bytes()).decode().splitlines()[:3]
        assert all(line.startswith("# ") for line in head)
        assert "CC BY 4.0" in head[1] and "remain under the terms of the works they are quoted from" in head[1]
        assert head[2].startswith("# Cite as: ") and "version 1.2.3 (2026-03-01)" in head[2]


def test_the_description_gives_sizes_checksums_licence_citation_and_version(released):
    folder = released[0]
    graph = Graph().parse(folder / "void.ttl", format="turtle", publicID=folder.as_uri() + "/")
    release = URIRef("https://w3id.org/coproduction/dataset/1.2.3")
    assert graph.value(release, DCTERMS.issued) == Literal(DATE, datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
    assert str(graph.value(release, OWL.versionInfo)) == "1.2.3"
    assert graph.value(release, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    citation = str(graph.value(release, DCTERMS.bibliographicCitation))
    assert "version 1.2.3 (2026-03-01)" in citation and str(release) in citation
    dumps = set(graph.objects(release, VOID.dataDump))
    assert {URIRef(folder.as_uri() + "/coprokg-1.2.3.nq.gz"), URIRef(folder.as_uri() + "/coprokg-1.2.3.trig.gz")} == dumps
    files = set(graph.objects(release, DCAT.distribution))
    assert len(files) == 4
    for file in files:
        content = (folder / file.rsplit("/", 1)[1]).read_bytes()
        assert int(graph.value(file, DCAT.byteSize)) == len(content)
        checksum = graph.value(file, SPDX.checksum)
        assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(content).hexdigest()
        assert graph.value(file, DCTERMS.license) is not None
    ontology = Graph().parse(folder / f"ontology-{ontology_version()}.ttl", format="turtle")
    assert ontology.value(URIRef("https://w3id.org/coproduction/ontology"), OWL.versionIRI) == URIRef(
        f"https://w3id.org/coproduction/ontology/{ontology_version()}"
    )


def test_a_release_is_never_rewritten(env, released):
    again = coprokg("release", str(released[0].parent), "--version", "1.2.3", "--date", DATE, env=env)
    assert again.returncode == 2
    assert "exists already" in again.stderr.decode() and "Traceback" not in again.stderr.decode()
    bad = coprokg("release", str(released[0].parent), "--date", "1 March", env=env)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr.decode()


@pytest.fixture
def serving(released, tmp_path):
    def make(releases: str):
        app = create_app(Settings.load({"store": str(tmp_path / "store"), "data_dir": str(tmp_path / "none"),
                                        "query_workers": 1, "releases": releases}, environ={}))
        made.append(app)
        return app.test_client()

    made = []
    yield make
    for app in made:
        close_app(app)


def test_the_server_serves_the_newest_release_and_its_description(released, serving):
    older = released[1].parent / "coprokg-1.0.0-2025-01-01"
    older.mkdir()
    (older / "void.ttl").write_text("")
    client = serving(str(released[1].parent))
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format="turtle")
    release = URIRef("https://w3id.org/coproduction/dataset/1.2.3")
    assert graph.value(release, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1/sparql")
    for dump in graph.objects(release, VOID.dataDump):
        assert dump.startswith("http://127.0.0.1/dumps/")
        body = client.get(dump.removeprefix("http://127.0.0.1")).data
        checksum = graph.value(graph.value(dump, SPDX.checksum), SPDX.checksumValue)
        assert hashlib.sha256(body).hexdigest() == str(checksum)
    listing = client.get("/dumps/").get_json()
    assert listing["release"] == f"coprokg-1.2.3-{DATE}" and len(listing["files"]) == 5
    assert client.get("/dumps/nothing.nq.gz").status_code == 404
    assert client.get("/.well-known/void", headers={"Accept": "application/ld+json"}).status_code == 200
    home = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f"version 1.2.3 ({DATE}) [Data set]. https://w3id.org/coproduction/dataset/1.2.3" in home


def test_without_a_release_the_live_description_carries_the_citation(serving):
    client = serving("")
    missing = client.get("/dumps/coprokg-1.2.3.nq.gz")
    assert missing.status_code == 404 and "coprokg release" in missing.get_json()["message"]
    graph = Graph().parse(data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data, format="turtle")
    dataset = URIRef("https://w3id.org/coproduction/dataset")
    assert "https://w3id.org/coproduction/dataset" in str(graph.value(dataset, DCTERMS.bibliographicCitation))
    assert "quoted from" in str(graph.value(dataset, DCTERMS.rights))
    assert graph.value(dataset, OWL.versionInfo) is not None
    home = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert str(graph.value(dataset, DCTERMS.bibliographicCitation)) in home
