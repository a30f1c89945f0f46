"""Floods and slow clients leave others served, on the real `coprokg serve`:
half-open connections and trickles on loopback, bounded in number and time; one client's burst
of heavy queries; waitress' own refusals in the JSON error shape."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.parse

from tests.server.conftest import TOKEN

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?c != {n}) }}"
LIGHT = "ASK { ?s ?p ?o }"


def request(server, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None,
            source: str = "127.0.0.1", timeout: float = 60):
    """(status, headers, body, seconds) of one request from the loopback address ``source``."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read(), time.monotonic() - started
    finally:
        connection.close()


def query(server, text: str, source: str = "127.0.0.1"):
    return request(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": text}),
                   headers={"Accept": "application/sparql-results+json"}, source=source)


def assert_update_served(server, value: int) -> None:
    """An update, with the token, is answered within 3 s."""
    status, _, _, seconds = request(
        server, "POST", "/update", body=f"INSERT DATA {{ <http://example.org/s> <http://example.org/p> {value} }}".encode(),
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
    assert status == 200 and seconds < 3, f"the update waited {seconds:.1f} s"


def closed(sock: socket.socket) -> bool:
    """Whether the server has closed this connection (without waiting)."""
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def test_half_open_connections_and_trickles_leave_others_served(serve):
    server = serve(COPROKG_READ_TIMEOUT="2", COPROKG_CHANNEL_TIMEOUT="3")
    half_open = []
    try:
        for _ in range(150):  # more than waitress' default connection limit of 100
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            half_open.append(sock)
        status, _, _, seconds = request(server, "GET", "/health", timeout=10)
        assert status == 200 and seconds < 3, f"/health took {seconds:.1f} s behind 150 half-open connections"
        status, _, body, seconds = query(server, LIGHT)
        assert status == 200 and json.loads(body)["boolean"] is True and seconds < 5

        trickle = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        started, cut = time.monotonic(), None
        for byte in b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40:
            if closed(trickle):
                cut = time.monotonic() - started
                break
            trickle.setblocking(True)
            try:
                trickle.send(bytes([byte]))
            except OSError:
                cut = time.monotonic() - started
                break
            time.sleep(0.25)
        trickle.close()
        assert cut is not None and cut < 6, "a client trickling one request is cut after COPROKG_READ_TIMEOUT"

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not all(closed(sock) for sock in half_open):
            time.sleep(0.5)
        assert all(closed(sock) for sock in half_open), "silent connections are closed after COPROKG_CHANNEL_TIMEOUT"
    finally:
        for sock in half_open:
            sock.close()
    assert request(server, "GET", "/health")[0] == 200


def test_one_clients_burst_of_heavy_queries_leaves_others_served(serve):
    server = serve(COPROKG_QUERY_TIMEOUT="3", COPROKG_QUERY_WORKERS="2", COPROKG_CLIENT_QUERIES="4",
                   COPROKG_UPDATE_TOKEN=TOKEN)
    flooder = "127.0.0.2"
    assert query(server, LIGHT, source=flooder)[0] == 200  # now a cached answer
    answers: list[tuple] = []
    burst = [threading.Thread(target=lambda n=n: answers.append(query(server, HEAVY.format(n=n), source=flooder)))
             for n in range(8)]
    for thread in burst:
        thread.start()
    time.sleep(1)
    try:
        status, _, body, seconds = query(server, LIGHT.replace("?o", "?object"))
        assert status == 200 and seconds < 2.5, f"another client waited {seconds:.1f} s"
        status, _, body, _ = query(server, LIGHT, source=flooder)
        assert status == 200, "a cached answer is served even to the client at its share"
        status, _, body, seconds = request(server, "GET", "/health")
        health = json.loads(body)
        assert status == 200 and seconds < 2
        assert health["workers"]["alive"] == 2 and health["queue"]["waiting"] >= 1, health
        assert_update_served(server, 1)
    finally:
        for thread in burst:
            thread.join(60)
    refused = [a for a in answers if a[0] == 429]
    assert len(refused) == 4, [a[0] for a in answers]
    for status, headers, body, seconds in refused:
        assert int(headers["Retry-After"]) >= 1 and seconds < 2, "refused at once, with Retry-After"
        error = json.loads(body)
        assert error["error"] == "too-many-requests" and "share" in error["message"]
    assert sorted(a[0] for a in answers if a[0] != 429) == [503] * 4, "the admitted ones ran, to the time limit"


def test_waitress_refusals_come_in_the_json_error_shape(serve):
    server = serve(COPROKG_MAX_BODY_BYTES="1000", COPROKG_MAX_HEADER_BYTES="4096", COPROKG_UPDATE_TOKEN=TOKEN)
    big = b"INSERT DATA { <http://example.org/s> <http://example.org/p> \"" + b"x" * 2000 + b"\" }"
    sent = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
    for headers in (sent, {**sent, "Transfer-Encoding": "chunked"}):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        connection.request("POST", "/update", body=iter([big]) if "Transfer-Encoding" in headers else big, headers=headers)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        assert response.status == 413 and response.headers.get_content_type() == "application/json", body
        error = json.loads(body)
        assert error["error"] == "request-entity-too-large" and "1000 bytes" in error["message"] and error["hint"]
    status, headers, body, _ = request(server, "GET", "/health", headers={"X-Big": "a" * 5000})
    assert status == 431 and headers.get_content_type() == "application/json"
    error = json.loads(body)
    assert error == {"error": "request-header-fields-too-large", "status": 431, "message": error["message"], "hint": error["hint"]}
    assert "4096 bytes" in error["message"]
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
    answer = b""
    while chunk := sock.recv(65536):  # the server closes the connection after a refusal
        answer += chunk
    sock.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and json.loads(body)["error"] == "bad-request"


def test_a_full_queue_answers_busy_and_leaves_threads_for_health_and_writes(serve):
    server = serve(COPROKG_QUERY_TIMEOUT="3", COPROKG_QUERY_WORKERS="2", COPROKG_THREADS="6", COPROKG_QUERY_QUEUE="50",
                   COPROKG_UPDATE_TOKEN=TOKEN)
    answers: list[tuple] = []
    burst = [threading.Thread(target=lambda n=n: answers.append(query(server, HEAVY.format(n=n), source=f"127.0.1.{n}")))
             for n in range(8)]
    for thread in burst:
        thread.start()
    time.sleep(1)
    try:
        status, _, body, seconds = request(server, "GET", "/health")
        assert status == 200 and seconds < 2, f"/health waited {seconds:.1f} s for a thread"
        assert json.loads(body)["queue"] == {"waiting": 2, "limit": 2}, "6 threads - 2 workers - 2 spare"
        assert_update_served(server, 2)
    finally:
        for thread in burst:
            thread.join(60)
    busy = [a for a in answers if a[0] == 503 and b"the server is busy" in a[2]]  # refused at once, queue full
    assert len(busy) == 4 and all(int(a[1]["Retry-After"]) >= 1 and a[3] < 2 for a in busy), [(a[0], a[2][:80]) for a in answers]


def test_a_query_slow_to_read_costs_its_own_request_not_other_clients(serve):
    """rdflib takes many seconds over a long chain of ||; the check reads it in a query worker,
    under the time limit, so another client's query is answered meanwhile and the slow one
    gets query-timeout in the JSON error shape."""
    server = serve(COPROKG_QUERY_TIMEOUT="3", COPROKG_QUERY_WORKERS="2")
    slow = "SELECT * WHERE { ?s ?p ?o FILTER(" + "||".join(["?o"] * 6000) + ") }"
    assert len(slow) > 24000
    ordinary = "SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(?o != {n}) }}"
    baseline = max(query(server, ordinary.format(n=n))[3] for n in range(3))  # each text new: read and run
    answers: list[tuple] = []
    attacker = threading.Thread(target=lambda: answers.append(request(
        server, "POST", "/sparql", body=slow.encode(), source="127.0.0.2",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})))
    attacker.start()
    time.sleep(0.5)  # the slow text is being read
    try:
        status, _, body, seconds = query(server, ordinary.format(n=10))
        assert status == 200 and json.loads(body)["results"]["bindings"], body
        assert seconds < max(2.5, 5 * baseline), f"another client waited {seconds:.1f} s (baseline {baseline:.2f} s)"
        assert attacker.is_alive(), "the slow text was still being read while the other client was answered"
    finally:
        attacker.join(60)
    status, headers, body, seconds = answers[0]
    assert status == 503 and headers.get_content_type() == "application/json", body
    error = json.loads(body)
    assert error["error"] == "query-timeout" and "reading the query took longer than the 3 s limit" in error["message"]
    assert seconds < 20, f"the slow text was stopped after {seconds:.1f} s"
    status, _, body, _ = request(server, "GET", "/health")
    assert status == 200 and json.loads(body)["workers"]["alive"] == 2, "the stopped worker was replaced"
