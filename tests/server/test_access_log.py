"""Observability on the real `coprokg serve`: the access log, a log line for
each refused write, stopped query and crashed worker, and what /health reports."""

from __future__ import annotations

import hashlib
import json
import os
import re
import select
import signal
import threading
import time
import urllib.parse
from pathlib import Path

from tests.server.conftest import TOKEN
from tests.server.test_floods import HEAVY, query, request

LINE = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (?P<client>\S+) (?P<method>[A-Z]+) (?P<path>/\S*) "
    r"(?P<status>\d{3}) (?P<bytes>\d+) (?P<seconds>\d+\.\d{3}) q=(?P<hash>[0-9a-f]{12}|-)$"
)


def kill_query_workers(server) -> int:
    """SIGKILL the server's worker processes (its spawned children), as a crash would."""
    killed = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue  # a process that ended meanwhile
        if parent == server.process.pid and b"spawn_main" in command:
            os.kill(int(stat.parent.name), signal.SIGKILL)
            killed += 1
    return killed


def lines(path, *, at_least: int = 0) -> list[dict]:
    """The access log's lines, parsed; waits (up to 10 s) for ``at_least`` of them, since a line is
    written once its answer has been sent, maybe after the client has read it."""
    deadline = time.monotonic() + 10
    while len(path.read_text().splitlines()) < at_least and time.monotonic() < deadline:
        time.sleep(0.1)
    parsed = [LINE.match(line) for line in path.read_text().splitlines()]
    assert all(parsed), path.read_text()
    return [match.groupdict() for match in parsed]


def test_access_log_has_a_line_per_request_and_never_the_token(serve, tmp_path):
    log = tmp_path / "access.log"
    server = serve("--access-log", str(log), COPROKG_UPDATE_TOKEN=TOKEN, COPROKG_QUERY_TIMEOUT="5")
    text = "SELECT ?s WHERE { ?s a ?type } LIMIT 3"
    assert query(server, text)[0] == 200
    insert = b"INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }"
    form = {"Content-Type": "application/sparql-update"}
    assert request(server, "POST", "/update", body=insert, headers=form)[0] == 401
    assert request(server, "POST", "/update", body=insert, headers={**form, "Authorization": "Bearer wrong-token"})[0] == 401
    assert request(server, "POST", "/update", body=insert, headers={**form, "Authorization": f"Bearer {TOKEN}"})[0] == 200
    status, _, body, _ = query(server, HEAVY.format(n=1))
    assert status == 503 and json.loads(body)["error"] == "query-timeout"
    crashed = []
    running = threading.Thread(target=lambda: crashed.append(request(
        server, "POST", "/sparql", body=HEAVY.format(n=2).encode(), headers={"Content-Type": "application/sparql-query"})))
    running.start()
    time.sleep(1.5)
    assert kill_query_workers(server) >= 2  # the query workers (and the update worker, which restarts on use)
    running.join(30)
    status, _, body, _ = crashed[0]
    assert status == 503 and json.loads(body)["error"] == "worker-crashed", body
    status, _, body, _ = request(server, "GET", "/health")
    health = json.loads(body)
    assert health["status"] == "degraded" and health["workers"]["alive"] == 1, "the crashed worker was replaced, not yet the idle one"
    assert query(server, "ASK { ?s ?p ?o }")[0] == 200 and query(server, "ASK { ?s a ?o }")[0] == 200
    status, _, body, _ = request(server, "GET", "/health")
    assert json.loads(body)["status"] == "ok" and json.loads(body)["workers"]["alive"] == 2
    assert request(server, "GET", "/coproduction/nothing?token=" + TOKEN)[0] == 404
    logged = lines(log, at_least=12)
    output = server.stderr()

    # a line is written once its answer is sent: lines of requests close in time may swap
    assert sorted((e["method"], e["path"], e["status"]) for e in logged) == sorted([
        ("GET", "/health", "200"),  # the test helper waiting for the server
        ("GET", "/sparql", "200"),
        ("POST", "/update", "401"),
        ("POST", "/update", "401"),
        ("POST", "/update", "200"),
        ("GET", "/sparql", "503"),
        ("POST", "/sparql", "503"),
        ("GET", "/health", "200"),
        ("GET", "/sparql", "200"),
        ("GET", "/sparql", "200"),
        ("GET", "/health", "200"),
        ("GET", "/coproduction/nothing", "404"),
    ])
    hashes = {(e["method"], e["path"], e["status"]): e for e in logged}
    assert hashlib.sha256(text.encode()).hexdigest()[:12] in {e["hash"] for e in logged if e["path"] == "/sparql"}
    assert hashes["POST", "/update", "200"]["hash"] == hashlib.sha256(insert).hexdigest()[:12]
    assert all(e["hash"] == "-" and e["client"] == "127.0.0.1" for e in logged if e["path"] == "/health")
    assert float(hashes["GET", "/sparql", "503"]["seconds"]) >= 5 and all(int(e["bytes"]) > 0 for e in logged)
    assert TOKEN not in log.read_text() and "wrong-token" not in log.read_text()

    assert TOKEN not in output and "wrong-token" not in output
    assert len(re.findall(r"refused write: POST /update from 127\.0\.0\.1", output)) == 2, output
    assert re.search(r"stopped query: GET /sparql from 127\.0\.0\.1: the query ran longer than the 5 s limit", output)
    assert re.search(r"query worker crashed: POST /sparql from 127\.0\.0\.1", output)


def test_access_log_to_standard_output(serve):
    server = serve("--access-log", "-")
    assert request(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200
    out = b""
    deadline = time.monotonic() + 10
    while out.count(b"\n") < 2 and time.monotonic() < deadline:  # each line is written once its answer is sent
        if select.select([server.process.stdout], [], [], 0.5)[0]:
            out += os.read(server.process.stdout.fileno(), 65536)
    assert [LINE.match(line)["path"] for line in out.decode().splitlines()] == ["/health", "/sparql"]


def test_an_access_log_that_cannot_be_written_is_a_one_line_error(cli_env, tmp_path):
    from tests.support import coprokg

    result = coprokg("serve", "--port", "0", "--access-log", str(tmp_path / "no" / "such" / "dir.log"), env=cli_env)
    assert result.returncode == 2
    assert result.stderr.decode().startswith("error: ") and "Traceback" not in result.stderr.decode()
    assert "cannot write the access log" in result.stderr.decode()
