"""GET /health: is the server up and can it reach its store."""

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    store = current_app.extensions["coprokg.store"]
    return jsonify(
        status="ok",
        store=store.location,
        version=store.version(),
        triples=store.count(),
        network_isolation=current_app.extensions["coprokg.engine"].network_isolation is None,
    )
