"""Hostile RDF is refused offline and fast: remote contexts, external entities, entity bombs, deep nesting."""

from __future__ import annotations

import socket
import time

import pytest

from coprokg.loaders import InvalidInput, load_files, load_rdf_bytes
from tests.loaders.conftest import HERE

BAD = HERE / "bad"


@pytest.fixture
def listener():
    """A loopback socket that would receive any request a parser made; yields its port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(5)
        sock.settimeout(0.5)
        yield sock


def nothing_connected(sock: socket.socket) -> bool:
    try:
        connection, _ = sock.accept()
    except socket.timeout:
        return True
    connection.close()
    return False


def refused(store, path) -> str:
    before = (store.count(), store.version())
    with pytest.raises(InvalidInput) as caught:
        load_files(store, [path])
    assert (store.count(), store.version()) == before
    return str(caught.value)


@pytest.mark.parametrize("template, suffix, words", [
    ("remote-context.jsonld.in", ".jsonld", "remote JSON-LD context"),
    ("external-entity.rdf.in", ".rdf", "DOCTYPE or entity declarations is refused"),
])
def test_nothing_is_fetched_from_the_network(kg, tmp_path, listener, template, suffix, words):
    port = listener.getsockname()[1]
    path = tmp_path / f"input{suffix}"
    path.write_text((BAD / template).read_text().replace("PORT", str(port)))
    assert words in refused(kg, path)
    assert nothing_connected(listener)


def test_remote_context_nested_in_a_node_is_refused(kg, tmp_path, listener):
    port = listener.getsockname()[1]
    path = tmp_path / "nested.jsonld"
    path.write_text('{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:b": '
                    f'{{"@context": ["http://127.0.0.1:{port}/c.jsonld"], "@id": "ex:c"}}}}')
    assert "remote JSON-LD context" in refused(kg, path)
    assert nothing_connected(listener)


def test_entity_expansion_bomb_under_1kb_is_refused(kg):
    path = BAD / "entity-bomb.rdf"
    assert path.stat().st_size < 1024
    start = time.monotonic()
    assert "DOCTYPE" in refused(kg, path)
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("suffix, opening, middle, closing", [
    (".ttl", "<http://e/a> <http://e/b> ", "[ <http://e/c> ", "] " ),
    (".ttl", "<http://e/a> <http://e/b> ", "( ", ") "),
    (".jsonld", "", '{"http://e/b": ', "}"),
    (".jsonld", '{"@id": "http://e/a", "http://e/b": ', "[", "]"),
])
def test_deep_nesting_is_refused_within_seconds(kg, tmp_path, suffix, opening, middle, closing):
    depth = 50_000
    path = tmp_path / f"deep{suffix}"
    tail = "}" if opening.startswith("{") else ""
    path.write_text(opening + middle * depth + '"x"' + closing * depth + tail + (" ." if suffix == ".ttl" else ""))
    start = time.monotonic()
    assert "nesting deeper than" in refused(kg, path)
    assert time.monotonic() - start < 5


def test_legitimate_nesting_loads(kg, tmp_path):
    path = tmp_path / "nested.ttl"
    path.write_text("<http://e/a> <http://e/b> " + "[ <http://e/c> " * 20 + '"x"' + " ]" * 20 + " .\n")
    assert load_files(kg, [path]).counts.triples == 21


def test_graph_store_writes_refuse_the_same(kg, listener):
    port = listener.getsockname()[1]
    body = (BAD / "remote-context.jsonld.in").read_text().replace("PORT", str(port)).encode()
    with pytest.raises(InvalidInput):
        load_rdf_bytes(kg, body, "application/ld+json")
    assert nothing_connected(listener)


def test_a_remote_context_hidden_behind_a_repeated_key_is_refused(kg, tmp_path, listener):
    # json.loads keeps the last of two equal keys; a JSON-LD reader may keep the first
    port = listener.getsockname()[1]
    path = tmp_path / "repeated.jsonld"
    path.write_text(f'{{"@context": "http://127.0.0.1:{port}/c.jsonld", "@context": {{}}, '
                    '"@id": "http://example.org/a", "http://example.org/b": "c"}')
    assert "remote JSON-LD context" in refused(kg, path)
    assert nothing_connected(listener)
