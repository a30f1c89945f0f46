"""One deadline for a whole request to a remote store, and polite retries when it is busy.

A socket timeout bounds each read, not the request: an endpoint (or a proxy) that drips its
answer a byte a second never trips it. Here the request (connecting, the headers, every byte
of the body, and any retries) runs against one deadline, ``COPROKG_STORE_TIMEOUT`` seconds
after it began; past it the caller gets :class:`StoreTimeout` and the attempt, left in a
daemon thread, ends itself at its next read.

An endpoint that answers 429 Too Many Requests or 503 Service Unavailable is asked again, at
most ``RETRIES`` times, after the wait its ``Retry-After`` header gives (seconds or an HTTP
date; RFC 9110, section 10.2.3) or, without one, after 0.5, 1 and 2 seconds; never past the
deadline.
"""

from __future__ import annotations

import math
import threading
import time
from email.utils import parsedate_to_datetime
from typing import Callable, TypeVar
from urllib.error import HTTPError

from coprokg.errors import StoreError

RETRIES = 3
BACKOFF = 0.5
BUSY = (429, 503)
CHUNK = 65536

T = TypeVar("T")


class StoreTimeout(StoreError):
    """The remote store gave no complete answer before the deadline."""

    http_status = 504
    kind = "store-timeout"


def request(attempt: Callable[[float], T], *, url: str, seconds: float) -> T:
    """``attempt(end)`` (``end`` on the ``time.monotonic`` clock), retried while the endpoint
    is busy, all within ``seconds``; HTTP errors other than a retried 429/503 pass through."""
    end = time.monotonic() + seconds
    tries = 0
    while True:
        try:
            return _before(end, attempt, url, seconds)
        except HTTPError as error:
            if error.code not in BUSY or tries == RETRIES:
                raise
            wait = _retry_after(error.headers.get("Retry-After") if error.headers else None, tries)
            if time.monotonic() + wait >= end:
                raise StoreTimeout(
                    f"the endpoint is busy (HTTP {error.code}) and asks to wait {wait:.0f} s, past the "
                    f"{seconds:g} s deadline", where=url,
                    hint="try again later, or raise COPROKG_STORE_TIMEOUT") from None
            time.sleep(wait)
            tries += 1


def read_body(response, end: float, url: str, seconds: float) -> bytes:
    """Every byte of ``response`` (an http.client response), checking the deadline between
    reads (a read returns what has arrived, so a dripping answer is noticed)."""
    parts = []
    while True:
        if time.monotonic() >= end:
            raise _late(url, seconds)
        chunk = response.read1(CHUNK)
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)


def socket_timeout(end: float) -> int:
    """The whole seconds left, for a client that takes one timeout per read (at least 1)."""
    return max(1, math.ceil(end - time.monotonic()))


def _before(end: float, attempt: Callable[[float], T], url: str, seconds: float) -> T:
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = attempt(end)
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    worker = threading.Thread(target=run, name="remote-store-request", daemon=True)
    worker.start()
    worker.join(max(0.0, end - time.monotonic()))
    if worker.is_alive():
        raise _late(url, seconds)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _late(url: str, seconds: float) -> StoreTimeout:
    return StoreTimeout(f"the SPARQL endpoint gave no complete answer within {seconds:g} s", where=url,
                        hint="check the endpoint's load and the network, or raise COPROKG_STORE_TIMEOUT")


def _retry_after(value: str | None, tries: int) -> float:
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            pass
    return BACKOFF * 2**tries

