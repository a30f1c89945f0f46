"""What only the remote store does: talking to an endpoint that may not answer."""

from __future__ import annotations

import pytest

from coprokg.errors import StoreError
from coprokg.settings import Settings
from coprokg.store import RemoteStore, open_store
from tests.support import free_port


def test_an_endpoint_that_does_not_answer_is_a_store_error():
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError) as raised:
        RemoteStore(url, timeout=2)
    assert url in str(raised.value)
    assert "cannot reach" in str(raised.value)


def test_the_update_endpoint_is_derived_from_an_oxigraph_query_url(oxigraph_server):
    store = RemoteStore(oxigraph_server)
    assert store.update_url == oxigraph_server[: -len("query")] + "update"


def test_virtuoso_takes_updates_at_its_query_url(virtuoso_server):
    assert RemoteStore(virtuoso_server).update_url == virtuoso_server


def test_settings_with_a_url_open_a_remote_store(remote_url):
    store = open_store(Settings.load({"store": remote_url}, environ={}))
    assert isinstance(store, RemoteStore)
    assert store.is_new()
