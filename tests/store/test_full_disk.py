"""A load that fills the disk, on a small tmpfs: a clear error (CLI exit 1,
server 507), the failed write's files gone, the store openable and as it was."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from coprokg.server import close_app, create_app
from coprokg.settings import Settings
from tests.server.conftest import TOKEN
from tests.support import REPO, coprokg

TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture
def small_disk(tmp_path):
    """A 24 MB tmpfs (mounting needs root: CI runs as root; elsewhere the tests skip)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=True)


def _papers(n: int) -> str:
    """``n`` distinct BibTeX records with long abstracts: a few MB of triples."""
    words = "citizens co-design services public value participation health care design evaluation".split()
    return "\n".join(
        f"@article{{rec{i},\n  title = {{{' '.join(words[(i + k) % len(words)] for k in range(7)).capitalize()} {i}}},\n"
        f"  author = {{Family{i % 97}, A.}},\n  journal = {{Journal {i % 13}}},\n  year = {{{1980 + i % 40}}},\n"
        f"  doi = {{10.5555/full.{i}}},\n  abstract = {{{' '.join(words[(i * k) % len(words)] for k in range(120))}}}\n}}\n"
        for i in range(n))


def _used(disk) -> int:
    return shutil.disk_usage(disk).used


def _store_on(disk, cli_env) -> tuple[dict, bytes, int]:
    """A seeded store on ``disk``: the CLI's environment for it, its triples (CSV) and the disk used."""
    env = {**cli_env, "COPROKG_STORE": str(disk / "store")}
    assert coprokg("stats", env=env).returncode == 0
    return env, coprokg("query", TRIPLES, "--format", "csv", env=env).stdout, _used(disk)


def test_a_load_that_fills_the_disk_is_undone_and_the_store_stays_usable(small_disk, cli_env, tmp_path):
    env, before, used = _store_on(small_disk, cli_env)
    big = tmp_path / "big.bib"
    big.write_text(_papers(6000))
    load = coprokg("load", str(big), env=env)
    assert load.returncode == 1
    err = load.stderr.decode()
    assert "error: " + str(small_disk / "store") + ": the disk is full; the write was undone" in err
    assert "free space on that disk" in err and "Traceback" not in err
    assert _used(small_disk) <= used + 2**20, "the failed write's files are removed"
    left = {p.name for p in (small_disk / "store").iterdir()}
    assert {"oxigraph", "version"} <= left and not left & {"before-write", "failed-write", "pending-write.json"}
    after = coprokg("query", TRIPLES, "--format", "csv", env=env)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before
    small = coprokg("load", str(REPO / "tests" / "loaders" / "papers.bib"), env=env)
    assert small.returncode == 0, small.stderr


def test_the_server_answers_507_when_a_write_fills_the_disk_and_goes_on_serving(small_disk, tmp_path):
    settings = {"store": str(small_disk / "store"), "data_dir": str(tmp_path / "none"), "update_token": TOKEN,
                "query_workers": 1, "max_body_bytes": 100_000_000}
    app = create_app(Settings.load(settings, environ={}))
    try:
        client = app.test_client()
        count = client.get("/sparql", query_string={"query": TRIPLES, "format": "json"}).get_json()
        body = "".join(f'<http://example.org/s{i}> <http://example.org/p> "{"filler text " * 40}{i}" .\n'
                       for i in range(60_000)).encode()
        response = client.post("/data", data=body, headers={"Content-Type": "application/n-triples",
                                                              "Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 507
        error = response.get_json()
        assert error["error"] == "insufficient-storage" and error["status"] == 507
        assert "the disk is full" in error["message"] and error["hint"]
        again = client.get("/sparql", query_string={"query": TRIPLES, "format": "json"})
        assert again.status_code == 200 and again.get_json() == count
    finally:
        close_app(app)


def test_an_import_that_fills_the_disk_is_undone_and_the_store_stays_usable(small_disk, cli_env, tmp_path):
    env, before, used = _store_on(small_disk, cli_env)
    dump = tmp_path / "foreign.nq"
    dump.write_text("".join(f'<http://example.org/s{i}> <http://example.org/p> "{"filler text " * 40}{i}" '
                            f"<http://example.org/g> .\n" for i in range(60_000)))
    imported = coprokg("import", str(dump), "--force", env=env)
    assert imported.returncode == 1
    err = imported.stderr.decode()
    assert "the disk is full; the write was undone" in err and "Traceback" not in err
    assert _used(small_disk) <= used + 2**20, "the failed import's files are removed"
    after = coprokg("query", TRIPLES, "--format", "csv", env=env)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before


def test_an_update_that_fills_the_disk_is_undone_and_the_server_goes_on(small_disk, tmp_path):
    """The update runs in the update worker, on the database handed over to it: the server
    puts back the checkpoint taken before the hand-over."""
    settings = {"store": str(small_disk / "store"), "data_dir": str(tmp_path / "none"), "update_token": TOKEN,
                "query_workers": 1}
    app = create_app(Settings.load(settings, environ={}))
    try:
        client = app.test_client()
        count = client.get("/sparql", query_string={"query": TRIPLES, "format": "json"}).get_json()
        used = _used(small_disk)
        noise = ", ".join(["STRUUID()"] * 60)  # random text: the store's compression cannot shrink it
        update = ("INSERT { GRAPH <http://example.org/big> { ?s <http://example.org/p> ?v } } WHERE { GRAPH ?g { ?s ?p ?o } "
                  "VALUES ?n { " + " ".join(str(n) for n in range(12)) + " } "
                  f"BIND(CONCAT(STR(?n), {noise}) AS ?v) }}")
        response = client.post("/update", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 507, response.get_json()
        assert "the disk is full" in response.get_json()["message"]
        assert _used(small_disk) <= used + 2**20, "the failed update's files are removed"
        again = client.get("/sparql", query_string={"query": TRIPLES, "format": "json"})
        assert again.status_code == 200 and again.get_json() == count
        small = client.post("/update", data={"update": "INSERT DATA { GRAPH <http://example.org/small> "
                                                       "{ <http://example.org/a> <http://example.org/b> 1 } }"},
                            headers={"Authorization": f"Bearer {TOKEN}"})
        assert small.status_code == 200, small.get_json()
    finally:
        close_app(app)
