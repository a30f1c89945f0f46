"""The one exception hierarchy of coprokg.

Library code raises these; only the CLI and the HTTP edges turn them into exit codes and
responses. Each error says what went wrong (``message``), where (``where``: a file and line,
a record and field, a store location) and what to do (``hint``).
"""

from __future__ import annotations


class CoprokgError(Exception):
    """Something a person can act on. ``str(error)`` is the one-line report."""

    exit_code = 1
    http_status = 400
    kind = "error"

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} ({self.hint})" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"error": self.kind, "message": self.message}
        if self.where:
            body["where"] = self.where
        if self.hint:
            body["hint"] = self.hint
        return body


class ConfigError(CoprokgError):
    """A setting or command-line option that cannot be used."""

    exit_code = 2
    http_status = 500
    kind = "configuration"


class StoreError(CoprokgError):
    """The store cannot be opened, read or written."""

    http_status = 503
    kind = "store-unavailable"


class StoreLocked(StoreError):
    """Another process holds the embedded store."""

    kind = "store-locked"


class QueryError(CoprokgError):
    """A SPARQL query or update that cannot be run as written."""

    http_status = 400
    kind = "malformed-query"


class InvalidParameter(CoprokgError):
    """A page parameter (search words, facet, sort, page number) that cannot be used as given."""

    http_status = 400
    kind = "invalid-parameter"


class UpdateFailed(QueryError):
    """A well-formed SPARQL update the store could not carry out (a graph that does not exist,
    or already does); ``reason`` is the store's."""

    kind = "update-failed"

    def __init__(self, reason: str):
        super().__init__(
            f"the update failed, nothing was written: {reason}",
            where="update",
            hint="CREATE, DROP, CLEAR, ADD, MOVE and COPY fail on a graph that is missing (or, for CREATE, "
            "present); add SILENT to go on regardless",
        )
