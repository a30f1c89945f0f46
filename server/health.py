"""GET /health: is the server up, can it reach its store, are its query workers alive, and how
many queries wait for one."""

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    store = current_app.extensions["coprokg.store"]
    engine = current_app.extensions["coprokg.engine"]
    admission = current_app.extensions.get("coprokg.admission")
    body = dict(status="ok", store=store.location, version=store.version(), triples=store.count(),
                network_isolation=engine.network_isolation is None)
    if engine.pool is not None:
        alive = engine.pool.alive()
        body["workers"] = {"alive": alive, "configured": admission.workers, "running": admission.running}
        body["queue"] = {"waiting": admission.depth, "limit": admission.queue}
        if alive < admission.workers:
            body["status"] = "degraded"
    return jsonify(body)
