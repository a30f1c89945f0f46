"""The graph store: embedded Oxigraph by default, or any SPARQL 1.1 endpoint.

>>> from coprokg.settings import Settings
>>> with open_store(Settings.load({"store": "var/example"})) as store:  # doctest: +SKIP
...     bool(store.query("ASK { ?s ?p ?o }"))
"""

from coprokg.settings import Settings
from coprokg.store.base import GraphResult, QueryResult, Store
from coprokg.store.embedded import EmbeddedStore
from coprokg.store.remote import RemoteStore


def open_store(settings: Settings) -> Store:
    """The store ``settings.store`` names: a directory (embedded) or an http(s) URL (remote)."""
    if settings.store_is_remote:
        return RemoteStore(settings.store, settings.store_update, settings.store_timeout)
    return EmbeddedStore(settings.store)


__all__ = ["EmbeddedStore", "GraphResult", "QueryResult", "RemoteStore", "Store", "open_store"]
