"""The access log: one line per request, written when its answer has been sent.

    2026-12-06T20:31:07.412Z 127.0.0.1 GET /sparql 200 1532 0.014 q=5d41402abc4b

Fields: time (UTC), client address, method, path (as sent, without the query string), status,
bytes of the body sent, seconds taken, and ``q=`` the first 12 hex digits of the SHA-256 of
the SPARQL query or update (``-`` for other requests). Headers are never logged, so neither
is the update token; nor are query strings, which may carry query text.
"""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

QUERY_HASH = "coprokg.query_hash"  # set by the app (see coprokg.server.http) for SPARQL requests
SAFE = "/%:@!$&'()*+,;=-._~"


def query_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


class AccessLog:
    """WSGI middleware writing a line per request to ``stream`` (a text file, line by line)."""

    def __init__(self, app, stream):
        self.app = app
        self.stream = stream
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        started = time.monotonic()
        status = []

        def start(code, headers, exc_info=None):
            status[:] = [code.split(" ", 1)[0]]
            return start_response(code, headers, exc_info)

        sent = 0
        body = self.app(environ, start)
        try:
            for chunk in body:
                sent += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()
            self.write(environ, status[0] if status else "-", sent, time.monotonic() - started)

    def write(self, environ, status: str, sent: int, seconds: float) -> None:
        path = urlsplit(environ.get("REQUEST_URI") or environ.get("PATH_INFO") or "/").path
        line = " ".join(
            (
                datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                environ.get("REMOTE_ADDR") or "-",
                quote(environ.get("REQUEST_METHOD", "-"), safe=""),
                quote(path, safe=SAFE),
                status,
                str(sent),
                f"{seconds:.3f}",
                "q=" + environ.get(QUERY_HASH, "-"),
            )
        )
        with self._lock:
            self.stream.write(line + "\n")
            self.stream.flush()
