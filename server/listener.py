"""The HTTP listener of ``coprokg serve``: waitress, with limits that keep it answering.

https://docs.pylonsproject.org/projects/waitress/en/stable/arguments.html

waitress reads each request whole, asynchronously, before a thread runs it, so a slow client
holds a connection, never a thread. What it does not bound, this module does:

- connections: ``COPROKG_CONNECTION_LIMIT`` (waitress' default of 100 half-open connections
  was enough to shut every other client out);
- silence: a connection with no request running and nothing received for
  ``COPROKG_CHANNEL_TIMEOUT`` seconds is closed (waitress' ``channel_timeout``, checked
  every few seconds rather than every 30);
- trickles: a client still sending the same request after ``COPROKG_READ_TIMEOUT`` seconds is
  disconnected (waitress has no such limit: each byte counts as activity);
- sizes: headers over ``COPROKG_MAX_HEADER_BYTES`` get 431, bodies over
  ``COPROKG_MAX_BODY_BYTES`` 413 (chunked ones too).

Errors waitress answers itself (400, 413, 431, 501) come in the server's JSON error shape
and are written to the access log like any other answer.
"""

from __future__ import annotations

import json
import time

import waitress
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, MultiSocketServer
from waitress.task import ErrorTask

from coprokg.server.errors import error_body
from coprokg.settings import Settings

MESSAGES = {
    400: ("bad-request", "the request is not valid HTTP/1.1: {detail}", "check the request line and headers"),
    413: (
        "request-entity-too-large",
        "the request body is larger than the {max_body_bytes} bytes the server reads",
        "send a smaller body (split a large load), or raise COPROKG_MAX_BODY_BYTES",
    ),
    431: (
        "request-header-fields-too-large",
        "the request line and headers are larger than the {max_header_bytes} bytes the server reads",
        "send shorter headers; send a long query with POST, in the body",
    ),
    501: ("not-implemented", "the server does not implement this: {detail}", None),
}


class JsonErrorTask(ErrorTask):
    """waitress' own error answers, in the server's JSON error shape."""

    def execute(self):
        error = self.request.error
        settings = self.channel.server.coprokg_settings
        kind, message, hint = MESSAGES.get(error.code, ("error", "{detail}", None))
        text = message.format(detail=error.body, **settings.values)
        body = json.dumps(error_body(error.code, kind, text, hint=hint)).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)
        log = self.channel.server.coprokg_access_log
        if log is not None:
            environ = {"REMOTE_ADDR": self.channel.addr[0] if self.channel.addr else "-",
                       "REQUEST_METHOD": self.request.command or "-", "REQUEST_URI": self.request.path or "-"}
            log.write(environ, str(error.code), len(body), time.time() - self.start_time)


class Channel(HTTPChannel):
    """A connection that must send each request whole within ``read_timeout`` seconds."""

    error_task_class = JsonErrorTask
    reading_since = None  # when the first byte of the request being read arrived

    def received(self, data):
        now = time.monotonic()
        if data and self.request is None:
            self.reading_since = now
        if self.reading_since is not None and now - self.reading_since > self.server.coprokg_settings.read_timeout:
            self.will_close = True  # a trickle: drop the connection, whatever it has sent
            return False
        result = super().received(data)
        if self.request is None:
            self.reading_since = None
        return result


def create_server(app, settings: Settings):
    """A waitress server for ``app`` on the configured host and port, not yet running."""
    server = waitress.create_server(
        app,
        host=settings.host,
        port=settings.port,
        threads=settings.threads,
        connection_limit=settings.connection_limit,
        channel_timeout=settings.channel_timeout,
        cleanup_interval=max(1, min(10, int(settings.channel_timeout / 2))),
        max_request_header_size=settings.max_header_bytes,
        max_request_body_size=settings.max_body_bytes,
        ident="coprokg",
        **_proxy(settings),
    )
    listeners = [s for s in server.map.values() if isinstance(s, BaseWSGIServer)] if isinstance(server, MultiSocketServer) else [server]
    for listener in listeners:
        listener.channel_class = Channel
        listener.coprokg_settings = settings
        listener.coprokg_access_log = app.extensions.get("coprokg.access_log")
    return server


def _proxy(settings: Settings) -> dict:
    if not settings.trusted_proxy:
        return {}
    return {
        "trusted_proxy": settings.trusted_proxy,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-for"},
        "clear_untrusted_proxy_headers": True,
    }
