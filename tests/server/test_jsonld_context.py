"""The JSON-LD context at /context.jsonld and the Linked Data pages' JSON-LD that uses it: plain
keys for a web developer, and the same triples for a JSON-LD processor (rdflib's parser, given
the context fetched from the server rather than letting it fetch anything)."""

from __future__ import annotations

import json
import urllib.request

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

PATHS = ("/coproduction/paper/doi/10.1080/10967494.2021.1969486", "/coproduction/concept/co-design",
         "/coproduction/person/eriksson-e")


def fetch(url: str, accept: str = "*/*") -> tuple[str, bytes]:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as response:
        return response.headers.get_content_type(), response.read()


def keys(node) -> set[str]:
    if isinstance(node, list):
        return set().union(*(keys(item) for item in node)) if node else set()
    if isinstance(node, dict):
        return set(node) | set().union(*(keys(value) for value in node.values()))
    return set()


def test_the_context_names_the_vocabulary_with_plain_keys(live):
    media_type, body = fetch(live.url + "/context.jsonld")
    context = json.loads(body)["@context"]
    assert media_type == "application/ld+json"
    assert context["title"] == "http://purl.org/dc/terms/title"
    assert context["modelType"] == {"@id": "https://w3id.org/coproduction/ontology#modelType", "@type": "@id"}
    assert context["cop"] == "https://w3id.org/coproduction/ontology#"
    assert context["id"] == "@id" and context["type"] == "@type"


@pytest.mark.parametrize("path", PATHS)
def test_a_pages_json_ld_reads_as_plain_json_and_expands_to_the_same_triples(live, path):
    media_type, body = fetch(live.url + path, "application/ld+json")
    document = json.loads(body)
    assert media_type == "application/ld+json"
    assert document["@context"] == live.url + "/context.jsonld"
    assert not [key for key in keys(document) if "://" in key], "every key is a term or a prefixed name"
    assert {"title", "creator", "subject"} & keys(document) or {"prefLabel", "name"} & keys(document)
    document["@context"] = json.loads(fetch(live.url + "/context.jsonld")[1])["@context"]
    expanded = Graph().parse(data=json.dumps(document), format="json-ld")
    _, ntriples = fetch(live.url + path + ".nt")
    expected = Graph().parse(data=ntriples, format="nt")
    assert len(expected) > 3
    assert isomorphic(expanded, expected)
