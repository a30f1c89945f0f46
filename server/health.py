"""GET /health: is the server up, can it reach its store, are its query workers alive, and how
many queries wait for one."""

import threading

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)
_counted: dict[str, tuple[str, int]] = {}  # store location: (data version, quads), counted once per version
_counting = threading.Lock()


def _size(store, version: str) -> int:
    """The store's quads, counted once per data version: counting every quad of a large remote
    store takes seconds (24 s on Virtuoso at 100,000 papers), and health checks come often."""
    with _counting:
        known = _counted.get(store.location)
        if known is None or known[0] != version:
            known = _counted[store.location] = (version, store.count())
        return known[1]


@bp.get("/health")
def health():
    store = current_app.extensions["coprokg.store"]
    engine = current_app.extensions["coprokg.engine"]
    admission = current_app.extensions.get("coprokg.admission")
    version = store.version()
    body = dict(status="ok", store=store.location, version=version, triples=_size(store, version),
                network_isolation=engine.network_isolation is None)
    if engine.pool is not None:
        alive = engine.pool.alive()
        body["workers"] = {"alive": alive, "configured": admission.workers, "running": admission.running}
        body["queue"] = {"waiting": admission.depth, "limit": admission.queue}
        if alive < admission.workers:
            body["status"] = "degraded"
    return jsonify(body)
