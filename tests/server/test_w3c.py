"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol tests, replayed against the server
under waitress (tests/server/w3c.py). Tests the server does not pass by design or yet are
listed with the reason and expected to fail, strictly: a fix must update this list.
Graph Store writes are tested on data the shapes accept in test_gsp.py."""

from __future__ import annotations

import pytest

from tests.server import w3c

NOT_FETCHED = "names a graph the store does not hold (data0.rdf); the server refuses rather than fetch it"
USING = "using-graph-uri / using-named-graph-uri are refused: name the graphs with USING in the update"
HISTORY = "CLEAR ALL would clear the load history graph, which only loads and unloads write: refused (400)"
# The Graph Store manifest (deprecated by W3C in favour of a newer one) runs as one sequence.
BAD_TURTLE = "its body is not Turtle (the last triple has no final '.'): 400 with the syntax error"
REFUSED_BEFORE = "reads a graph that an earlier, refused write of the sequence would have made"
DEFAULT_WRITE = "PUT ?default is refused (405): written data goes into named graphs, each with its provenance"
EXPECTED_FAILURES = {
    "query_post_form": NOT_FETCHED,
    "query_get": NOT_FETCHED,
    "query_content_type_select": NOT_FETCHED,
    "query_content_type_ask": NOT_FETCHED,
    "query_content_type_describe": NOT_FETCHED,
    "query_content_type_construct": NOT_FETCHED,
    "update_dataset_default_graph": USING,
    "update_dataset_default_graphs": USING,
    "update_dataset_named_graphs": USING,
    "update_dataset_full": USING,
    "update_post_form": HISTORY,
    "update_post_direct": HISTORY,
    "put__default_graph": DEFAULT_WRITE,
    "get_of_put__default_graph": REFUSED_BEFORE,
    "delete__existing_graph": "no earlier test makes person/2.ttl (the manifest has no PUT of it): 404 is right",
    "post__existing_graph": BAD_TURTLE,
    "get_of_post__existing_graph": REFUSED_BEFORE,
    "post__multipart_formdata": BAD_TURTLE,
    "get_of_post__multipart_formdata": REFUSED_BEFORE,
}

pytestmark = pytest.mark.skipif(not w3c.W3C.exists(), reason=f"the W3C manifests are not at {w3c.W3C}")


@pytest.fixture(scope="module")
def outcomes():
    return {test.id: failure for test, failure in w3c.run_all()}


def _ids():
    if not w3c.W3C.exists():
        return []
    return [test.id for test in w3c.protocol_tests() + w3c.graph_store_tests()]


@pytest.mark.parametrize("test_id", _ids())
def test_w3c(outcomes, test_id):
    if test_id in EXPECTED_FAILURES:
        assert outcomes[test_id] is not None, f"{test_id} passes now: take it off EXPECTED_FAILURES"
        pytest.xfail(EXPECTED_FAILURES[test_id])
    assert outcomes[test_id] is None, outcomes[test_id]
