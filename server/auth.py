"""Writes need the bearer token COPROKG_UPDATE_TOKEN; without one set the server is read-only.

The token is compared in constant time (``hmac.compare_digest``) and never logged or echoed.
"""

from __future__ import annotations

import hmac

from flask import request

from coprokg.errors import CoprokgError
from coprokg.server.http import settings


class Unauthorized(CoprokgError):
    http_status = 401
    kind = "unauthorized"


class ReadOnly(CoprokgError):
    http_status = 403
    kind = "read-only"


def require_token() -> None:
    """Return quietly when the request carries the update token; raise otherwise."""
    expected = settings().update_token
    if not expected:
        raise ReadOnly(
            "this server accepts no writes",
            hint="start it with COPROKG_UPDATE_TOKEN set to a secret, then send 'Authorization: Bearer <token>'",
        )
    scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise Unauthorized(
            "a write needs the update token" if not given else "the update token does not match",
            where="Authorization",
            hint="send the header 'Authorization: Bearer <COPROKG_UPDATE_TOKEN>'",
        )
