"""The wheel: built from the repository, installed with its dependencies into a new virtual
environment outside the repository, it serves the curated graph, the catalog, the ontology and
the pages' assets, and puts nothing but ``coprokg`` on the path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
import zipfile

import pytest

from coprokg.queries import catalog
from tests.support import REPO, free_port, wait_for

NOT_SOURCES = (".venv", ".git", "var", "__pycache__", "*.egg-info", "build", "dist", ".pytest_cache")
ERIKSSON = "https://w3id.org/coproduction/paper/doi/10.1080/10967494.2021.1969486"


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel pip builds from a copy of the sources (a build leaves build/ and *.egg-info beside them)."""
    folder = tmp_path_factory.mktemp("wheel")
    shutil.copytree(REPO, folder / "src", ignore=shutil.ignore_patterns(*NOT_SOURCES))
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(folder / "dist"), str(folder / "src"))
    (built,) = (folder / "dist").glob("coprokg-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory):
    """A new virtual environment with the wheel and its dependencies (from pip's cache when it has them)."""
    folder = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", str(folder / "venv"))
    python = folder / "venv" / "bin" / "python"
    run(str(python), "-m", "pip", "install", "--quiet", str(wheel))
    return folder / "venv"


@pytest.fixture(scope="module")
def served(venv, tmp_path_factory):
    """`coprokg serve` from the new environment, in a folder outside the repository, on a new store."""
    work = tmp_path_factory.mktemp("work")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COPROKG_", "PYTHON"))}
    env.update(COPROKG_STORE=str(work / "store"), COPROKG_QUERY_WORKERS="1")
    process = subprocess.Popen([str(venv / "bin" / "coprokg"), "serve", "--port", str(port)], cwd=work, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/health", process, timeout=180)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


def get(url: str, accept: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.headers.get_content_type(), response.read()


def test_the_wheel_holds_one_top_level_package(wheel):
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert tops == {"coprokg", wheel.name.split("-py3")[0] + ".dist-info"}


def test_the_installed_package_is_the_wheel_not_the_repository(venv):
    shown = run(str(venv / "bin" / "python"), "-c",
                "import coprokg.server, coprokg.data, importlib.util; "
                "print(coprokg.server.__file__); print(coprokg.data.DATA_DIR); "
                "print(importlib.util.find_spec('server'), importlib.util.find_spec('store'))", cwd=venv).stdout.split("\n")
    assert all(line.startswith(str(venv)) for line in shown[:2]), shown
    assert shown[2] == "None None"


def test_the_served_graph_holds_the_curated_papers(served):
    query = "PREFIX bibo: <http://purl.org/ontology/bibo/> SELECT ?paper WHERE { ?paper a bibo:AcademicArticle }"
    status, media_type, body = get(f"{served}/sparql?{urllib.parse.urlencode({'query': query})}",
                                   "application/sparql-results+json")
    papers = {row["paper"]["value"] for row in json.loads(body)["results"]["bindings"]}
    assert status == 200 and ERIKSSON in papers and len(papers) > 50


def test_the_catalog_ontology_and_assets_are_served(served):
    status, _, body = get(served + "/queries", "application/json")
    assert status == 200
    assert {entry["name"] for entry in json.loads(body)["queries"]} == set(catalog.names())
    status, media_type, body = get(served + "/queries/evidence-matrix", "application/sparql-results+json")
    assert status == 200 and json.loads(body)["results"]["bindings"]
    status, media_type, body = get(served + "/ontology", "text/html")
    assert status == 200 and media_type == "text/html" and b"coproduction ontology" in body.lower()
    status, media_type, body = get(served + "/static/coprokg.css", "text/css")
    assert status == 200 and media_type == "text/css" and body
    status, media_type, body = get(served + "/", "text/html")
    assert status == 200 and b"coprokg.css" in body
