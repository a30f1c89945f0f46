"""POST /update: SPARQL 1.1 Update behind the bearer token."""

from __future__ import annotations

import logging

import pytest

from tests.server.conftest import TOKEN

INSERT = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 'new' } }"
ASK = {"query": "ASK { <http://example.org/s> <http://example.org/p> 'new' }"}


def asked(client) -> bool:
    return client.get("/sparql", query_string=ASK).get_json()["boolean"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": INSERT, "content_type": "application/sparql-update"},
        {"data": {"update": INSERT}},
    ],
    ids=["direct", "form"],
)
def test_an_update_with_the_token_is_applied(client, kwargs):
    assert not asked(client)
    response = client.post("/update", headers={"Authorization": f"Bearer {TOKEN}"}, **kwargs)
    assert response.status_code == 200, response.get_json()
    assert asked(client)


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", "Bearer "], ids=["none", "wrong", "basic", "empty"])
def test_a_missing_or_wrong_token_is_401_and_never_logged(client, header, caplog):
    caplog.set_level(logging.DEBUG)
    headers = {"Authorization": header} if header else {}
    response = client.post("/update", data={"update": INSERT}, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert not asked(client)
    assert TOKEN not in caplog.text and "wrong" not in caplog.text
    assert TOKEN not in response.get_data(as_text=True)


def test_without_a_token_set_the_server_is_read_only(make_app):
    client = make_app(update_token="").test_client()
    response = client.post("/update", data={"update": INSERT}, headers={"Authorization": "Bearer "})
    assert response.status_code == 403
    assert "COPROKG_UPDATE_TOKEN" in response.get_json()["hint"]
    assert not asked(client)


def test_relative_iris_resolve_against_the_endpoint(client):
    update = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> <note> } }"
    response = client.post("/update", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.get_json()
    ask = "ASK { <http://example.org/s> <http://example.org/p> <http://127.0.0.1/note> }"
    assert client.get("/sparql", query_string={"query": ask}).get_json()["boolean"]


def test_update_is_post_only(client):
    assert client.get("/update", query_string={"update": "CLEAR ALL"}).status_code == 405


@pytest.mark.parametrize(
    "kwargs",
    [
        {"data": "INSERT DATA { <http://x/s> <http://x/p> }", "content_type": "application/sparql-update"},
        {"data": "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", "content_type": "application/x-www-form-urlencoded"},
        {"data": INSERT, "content_type": "text/plain"},
        {"data": INSERT, "content_type": "application/sparql-update; charset=UTF-16"},
    ],
    ids=["syntax", "two-updates", "media-type", "not-utf8"],
)
def test_bad_updates_are_400_and_change_nothing(client, kwargs):
    response = client.post("/update", headers={"Authorization": f"Bearer {TOKEN}"}, **kwargs)
    assert response.status_code == 400
    assert response.get_json()["status"] == 400


def test_an_update_slow_to_read_is_stopped_and_the_next_one_runs(make_app):
    """The update worker reads each update for the check under the query time limit: a text
    rdflib takes many seconds over is stopped (503 query-timeout), nothing is written, and the
    next update runs in a fresh worker."""
    client = make_app(query_timeout=2).test_client()
    slow = "INSERT { GRAPH <http://example.org/g> { ?s ?p 1 } } WHERE { ?s ?p ?o FILTER(" + "||".join(["?o"] * 6000) + ") }"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = client.post("/update", data={"update": slow}, headers=auth)
    assert response.status_code == 503, response.get_json()
    assert response.get_json()["error"] == "query-timeout"
    assert response.get_json()["message"] == "reading the update took longer than the 2 s limit and was stopped"
    assert client.post("/update", data={"update": INSERT}, headers=auth).status_code == 200
    assert asked(client)


def derivation_records(app) -> dict[str, dict[str, set[str]]]:
    """Per derivation (its activity's IRI), each property of its PROV record and its values."""
    from coprokg.store.derived import DERIVATIONS_GRAPH

    records: dict[str, dict[str, set[str]]] = {}
    text = ("SELECT ?activity ?p ?o WHERE { GRAPH " + str(DERIVATIONS_GRAPH) + " { "
            "?activity a <http://www.w3.org/ns/prov#Activity> ; ?p ?o } }")
    for row in app.extensions["coprokg.engine"].solutions(text):
        records.setdefault(row["activity"].value, {}).setdefault(row["p"].value, set()).add(row["o"].value)
    return records


def test_an_update_rewrites_the_browser_summarys_record_alone(app, client):
    """The browser's summary follows an update (no refresh): its derivation's record says from
    which graphs and which data version it was derived again; the other records stay as they were."""
    data_version = "https://w3id.org/coproduction/ontology#dataVersion"
    before = derivation_records(app)
    activity = next(iri for iri in before if iri.endswith("/derivation/browser"))
    response = client.post("/update", data={"update": INSERT}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.get_json()
    after = derivation_records(app)
    assert "http://example.org/g" in after[activity]["http://www.w3.org/ns/prov#used"], "the graph the update made"
    assert after[activity][data_version] != before[activity][data_version]
    assert {iri: record for iri, record in after.items() if iri != activity} == \
        {iri: record for iri, record in before.items() if iri != activity}
    with app.extensions["coprokg.engine"].writing() as store:
        store.update("INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 'newer' } }")
        version = store.version()
    assert derivation_records(app)[activity][data_version] == {version}, "the data version it was derived from"
