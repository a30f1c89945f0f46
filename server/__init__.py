"""The coprokg web application: ``create_app(config=None)``, ``close_app(app)`` and one
blueprint per concern."""

from __future__ import annotations

import weakref
from typing import Any, Mapping

from flask import Flask

from coprokg.bootstrap import open_initialised
from coprokg.settings import Settings


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the app on the configured store. ``config`` is a Settings or a dict of overrides."""
    from coprokg.server import catalog, charts, dumps, errors, gsp, health, http, jsonld, linked_data, ontology_pages, papers, search, sparql, ui, update, void
    from coprokg.server.engine import QueryService
    from coprokg.store.search import SearchIndex

    settings = config if isinstance(config, Settings) else Settings.load(config)
    app = Flask(__name__)
    app.config.update(SETTINGS=settings)
    app.json.sort_keys = False
    store = open_initialised(settings)
    SearchIndex.of(store).follow(store)  # built when missing, rebuilt when behind the store
    engine = QueryService(store, settings)
    app.extensions["coprokg.store"] = store
    app.extensions["coprokg.engine"] = engine
    weakref.finalize(app, engine.close)

    errors.register(app)
    http.register(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(update.bp)
    app.register_blueprint(void.bp)
    app.register_blueprint(dumps.bp)
    app.register_blueprint(jsonld.bp)
    app.register_blueprint(gsp.bp)
    linked_data.register(app)
    app.register_blueprint(catalog.bp)
    app.register_blueprint(ontology_pages.bp)
    app.register_blueprint(ui.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(papers.bp)
    app.register_blueprint(charts.bp)
    return app


def close_app(app: Flask) -> None:
    """Stop the app's query workers, then close its store."""
    app.extensions["coprokg.engine"].close()
    app.extensions["coprokg.store"].close()
