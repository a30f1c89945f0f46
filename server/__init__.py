"""The coprokg web application: ``create_app(config=None)`` and one blueprint per concern."""

from __future__ import annotations

from typing import Any, Mapping

from flask import Flask

from coprokg.bootstrap import open_initialised
from coprokg.settings import Settings


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the app on the configured store. ``config`` is a Settings or a dict of overrides."""
    settings = config if isinstance(config, Settings) else Settings.load(config)
    app = Flask(__name__)
    app.config.update(SETTINGS=settings, JSON_SORT_KEYS=False)
    app.extensions["coprokg.store"] = open_initialised(settings)

    from server import catalog, errors, health, ontology_pages, sparql, ui

    errors.register(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(catalog.bp)
    app.register_blueprint(ontology_pages.bp)
    app.register_blueprint(ui.bp)
    return app
