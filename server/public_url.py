"""The server's own URL comes from configuration, never from the request's Host header.

Every URL the server writes into an answer (the endpoint in the service description and
VoID, the Location of a new graph, the base IRI of an update, the name of a graph written at
its own URL) is built by Flask from the request's host and scheme. This WSGI middleware sets
both from ``COPROKG_PUBLIC_URL`` before Flask sees the request; without that setting, from
the address the server listens on: ``COPROKG_HOST`` (the machine's name when that is every
interface) and the port of the socket (``SERVER_PORT``, which the WSGI server sets). A client
sending ``Host: evil.example`` changes nothing.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from coprokg.settings import Settings

EVERY_INTERFACE = ("", "0.0.0.0", "::")


class PublicURL:
    def __init__(self, app, settings: Settings):
        self.app = app
        parts = urlsplit(settings.public_url) if settings.public_url else None
        self.origin = (parts.scheme, parts.netloc) if parts else None
        host = socket.getfqdn() if settings.host in EVERY_INTERFACE else settings.host
        self.host = f"[{host}]" if ":" in host else host

    def __call__(self, environ, start_response):
        if self.origin:
            scheme, netloc = self.origin
        else:
            port = environ.get("SERVER_PORT", "80")
            scheme, netloc = "http", self.host if port == "80" else f"{self.host}:{port}"
        environ["wsgi.url_scheme"] = scheme
        environ["HTTP_HOST"] = netloc
        return self.app(environ, start_response)
