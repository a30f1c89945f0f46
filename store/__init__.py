"""The graph store: embedded Oxigraph by default, or any SPARQL 1.1 endpoint.

>>> from pathlib import Path

from coprokg.errors import StoreError
from coprokg.settings import DEFAULTS, Settings
>>> with open_store(Settings.load({"store": "var/example"})) as store:  # doctest: +SKIP
...     bool(store.query("ASK { ?s ?p ?o }"))
"""

from pathlib import Path

from coprokg.errors import StoreError
from coprokg.settings import DEFAULTS, Settings
from coprokg.store.base import GraphResult, QueryResult, Store
from coprokg.store.embedded import EmbeddedStore
from coprokg.store.remote import RemoteStore


def open_store(settings: Settings) -> Store:
    """The store ``settings.store`` names: a directory (embedded) or an http(s) URL (remote)."""
    if settings.store_is_remote:
        return RemoteStore(settings.store, settings.store_update, settings.store_timeout)
    _check_location(Path(settings.store), default=settings.store == DEFAULTS["store"])
    return EmbeddedStore(settings.store)


def _check_location(path: Path, *, default: bool) -> None:
    """A new embedded store is made only where one is meant to be: at the default location, or
    in a folder that exists (as ``mkdir`` without ``-p`` would), never in a folder that holds
    other files. A mistyped path is reported, not filled with a fresh store."""
    if path.is_dir() and not (path / "oxigraph").is_dir() and any(path.iterdir()):
        raise StoreError("this folder holds other files and no coprokg store", where=str(path),
                         hint="point --store or COPROKG_STORE at a store, or at a new folder for a new store")
    if not path.exists() and not default and not path.parent.is_dir():
        raise StoreError(f"no store here, and its folder {path.parent} does not exist", where=str(path),
                         hint=f"check --store or COPROKG_STORE for a typo; to make a new store there, "
                              f"create its folder first: mkdir -p {path.parent}")


__all__ = ["EmbeddedStore", "GraphResult", "QueryResult", "RemoteStore", "Store", "open_store"]
