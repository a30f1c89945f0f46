"""The coprokg web application: ``create_app(config=None)``, ``close_app(app)`` and one
blueprint per concern."""

from __future__ import annotations

import sys
import weakref
from typing import Any, Mapping

from flask import Flask

from coprokg.bootstrap import open_initialised
from coprokg.errors import ConfigError
from coprokg.settings import Settings


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the app on the configured store. ``config`` is a Settings or a dict of overrides."""
    from coprokg.server import catalog, charts, dumps, errors, gsp, health, http, jsonld, linked_data, ontology_pages, papers, search, sparql, ui, update, void
    from coprokg.server.access_log import AccessLog
    from coprokg.server.admission import Admission
    from coprokg.server.engine import QueryService
    from coprokg.server.public_url import PublicURL

    settings = config if isinstance(config, Settings) else Settings.load(config)
    app = Flask(__name__)
    # Never a debug mode, whatever FLASK_DEBUG and the like say: no tracebacks, no debugger.
    app.config.update(SETTINGS=settings, DEBUG=False, TESTING=False, PROPAGATE_EXCEPTIONS=False)
    app.json.sort_keys = False
    log_stream = _open_log(settings.access_log) if settings.access_log else None
    store = open_initialised(settings)
    engine = QueryService(store, settings)
    search.follow_in_background(engine, settings.search_wait)
    app.extensions["coprokg.store"] = store
    app.extensions["coprokg.engine"] = engine
    weakref.finalize(app, engine.close)
    if engine.pool is not None:
        queue = max(0, min(settings.query_queue, settings.threads - settings.query_workers - 2))  # threads to spare
        admission = Admission(settings.query_workers, queue, settings.client_queries, settings.query_timeout)
        admission.wrap(engine.pool)
        app.extensions["coprokg.admission"] = admission
    app.wsgi_app = PublicURL(app.wsgi_app, settings)
    if log_stream is not None:
        log = AccessLog(app.wsgi_app, log_stream)
        app.extensions["coprokg.access_log"] = log
        app.wsgi_app = log

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
    """Stop the app's query workers, then close its store and its access log."""
    app.extensions["coprokg.engine"].close()
    app.extensions["coprokg.store"].close()
    log = app.extensions.get("coprokg.access_log")
    if log is not None and log.stream is not sys.stdout:
        log.stream.close()


def _open_log(target: str):
    """The access log's stream: standard output for "-", else the file, appended to."""
    if target == "-":
        return sys.stdout
    try:
        return open(target, "a", encoding="utf-8", buffering=1)
    except OSError as error:
        raise ConfigError(
            f"cannot write the access log {target}: {error.strerror}",
            where="COPROKG_ACCESS_LOG",
            hint="name a file in a folder that exists and is writable, or - for standard output",
        ) from None
