"""Admission control: who runs next on the query workers, and who is told to come back later.

Queries on the embedded store wait for one of ``COPROKG_QUERY_WORKERS`` worker processes. This
module stands in front of the worker pool (it wraps its ``run``; the pool itself is unchanged):

- A bounded queue: at most ``COPROKG_QUERY_QUEUE`` queries wait; one more gets 503 with
  ``Retry-After``, at once, instead of a wait that ends in a timeout.
- A fair share: one client (address; see ``COPROKG_TRUSTED_PROXY``) may have at most
  ``COPROKG_CLIENT_QUERIES`` queries running or waiting (more get 429 with ``Retry-After``),
  and runs on at most half the workers (one at least) at a time. When a worker frees, the
  waiting query of the client with the fewest running goes first, so one client's burst of
  heavy queries leaves a worker for everyone else.

The check's reading of a query (rdflib's parse, :meth:`coprokg.server.engine.QueryService.read`)
runs on the workers too and waits here like a query. Nothing else does: cached answers and
304s never reach the pool, updates are read and run by the update worker, and /health asks
no worker.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from flask import has_request_context, request

from coprokg.errors import CoprokgError


class TooManyQueries(CoprokgError):
    http_status = 429
    kind = "too-many-requests"
    retry_after = 1


class Busy(CoprokgError):
    http_status = 503
    kind = "busy"
    retry_after = 2


class Admission:
    def __init__(self, workers: int, queue: int, per_client: int, wait: float):
        self.workers, self.queue, self.per_client, self.wait = workers, queue, per_client, wait
        self.per_client_running = max(1, workers // 2)
        self._cond = threading.Condition()
        self._running = 0
        self._waiting: list[tuple[str, object]] = []  # (client, ticket), in arrival order
        self._held: Counter[str] = Counter()  # running or waiting, per client
        self._runs: Counter[str] = Counter()  # running, per client

    @property
    def depth(self) -> int:
        """Queries waiting for a worker."""
        return len(self._waiting)

    @property
    def running(self) -> int:
        return self._running

    def wrap(self, pool) -> None:
        """Make every query the pool runs, and every query it reads for the check, pass through here first."""
        pool.run = self._admitted(pool.run)
        pool.check = self._admitted(pool.check)

    def _admitted(self, step):
        def admitted(*args, **kwargs):
            client = (request.remote_addr or "-") if has_request_context() else "server"
            self.enter(client)
            try:
                return step(*args, **kwargs)
            finally:
                self.leave(client)

        return admitted

    def enter(self, client: str) -> None:
        with self._cond:
            if self._held[client] >= self.per_client:
                raise TooManyQueries(
                    f"this client already has {self._held[client]} queries running or waiting; the share of one "
                    f"client is {self.per_client}",
                    hint="wait for your answers before sending more queries (or retry after the Retry-After seconds)",
                )
            if len(self._waiting) >= self.queue and not self._free_for(client):
                raise Busy(
                    f"the server is busy: {len(self._waiting)} queries are waiting for a worker",
                    hint="retry after the Retry-After seconds",
                )
            ticket = object()
            self._held[client] += 1
            self._waiting.append((client, ticket))
            deadline = time.monotonic() + self.wait
            while self._next() is not ticket:
                left = deadline - time.monotonic()
                if left <= 0:
                    self._waiting.remove((client, ticket))
                    self._release(client)
                    self._cond.notify_all()
                    raise Busy(
                        f"no query worker became free within {self.wait:g} s",
                        hint="retry after the Retry-After seconds, or raise COPROKG_QUERY_WORKERS",
                    )
                self._cond.wait(left)
            self._waiting.remove((client, ticket))
            self._running += 1
            self._runs[client] += 1
            self._cond.notify_all()

    def leave(self, client: str) -> None:
        with self._cond:
            self._running -= 1
            self._runs[client] -= 1
            self._release(client)
            self._cond.notify_all()

    def _free_for(self, client: str) -> bool:
        return self._running < self.workers and self._runs[client] < self.per_client_running

    def _next(self):
        """The ticket that may take a worker now: of the waiting clients allowed another
        worker, the one with the fewest running, earliest first; None when no worker is free."""
        if self._running >= self.workers:
            return None
        allowed = [(self._runs[c], i, t) for i, (c, t) in enumerate(self._waiting) if self._runs[c] < self.per_client_running]
        return min(allowed, key=lambda entry: entry[:2])[2] if allowed else None

    def _release(self, client: str) -> None:
        self._held[client] -= 1
        if not self._held[client]:
            del self._held[client]
            self._runs.pop(client, None)
