"""Two `coprokg serve` processes over one remote store: a write through either is seen by both
at once, though each caches answers (the cache is keyed on the data version kept in the store)."""

from __future__ import annotations

from SPARQLWrapper import POST, SPARQLWrapper

from tests.server.conftest import Server
from tests.server.test_serve import TITLES

TOKEN = "replica-token"
INSERT = ('INSERT DATA { GRAPH <https://w3id.org/coproduction/graph/test> { <https://w3id.org/coproduction/paper/x> '
          '<http://purl.org/dc/terms/title> "Written through {name}" } }')
CLEAR = "DROP SILENT GRAPH <https://w3id.org/coproduction/graph/test>"


def update(server: Server, text: str) -> None:
    client = SPARQLWrapper(server.url + "/sparql", updateEndpoint=server.url + "/update")
    client.setMethod(POST)
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.setQuery(text)
    client.query()


def titles(server: Server) -> list[str]:
    return [row["t"]["value"] for row in server.select(TITLES)]


def test_a_write_through_one_replica_is_seen_by_the_other_at_once(remote_url, cli_env):
    env = {**cli_env, "COPROKG_STORE": remote_url, "COPROKG_UPDATE_TOKEN": TOKEN}
    first = Server(env)  # seeds the new store with the ontology
    second = Server(env)
    try:
        assert titles(first) == titles(second) == []  # now in both caches
        update(first, INSERT.replace("{name}", "the first"))
        assert titles(second) == ["Written through the first"]
        assert titles(first) == ["Written through the first"]
        update(second, CLEAR + " ;\n" + INSERT.replace("{name}", "the second"))
        assert titles(first) == ["Written through the second"]
        assert titles(second) == ["Written through the second"]
    finally:
        first.stop()
        second.stop()
