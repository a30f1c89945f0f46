"""deploy/nginx.conf, as shipped, in front of `coprokg serve` on loopback: queries pass through,
the client's address reaches the server, slow clients are cut by nginx."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.parse

import pytest

from tests.server.test_access_log import lines
from tests.server.test_floods import closed, request
from tests.support import REPO, free_port

SHIPPED = REPO / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")  # sbin: not on a user's PATH


class Proxy:
    """nginx from the system running the shipped site file, on a free loopback port."""

    def __init__(self, folder, upstream_port: int):
        self.port = free_port()
        site = SHIPPED.read_text()
        assert "listen 80;" in site and "server 127.0.0.1:8000;" in site
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.port};")
        site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
        (folder / "coprokg.conf").write_text(site)
        (folder / "nginx.conf").write_text(
            f"pid {folder}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
            f"http {{ access_log {folder}/access.log; include {folder}/coprokg.conf; }}\n"
        )
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "stderr", "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                assert self.process.poll() is None, self.process.stderr.read().decode()
                time.sleep(0.1)
        raise RuntimeError("nginx did not start listening")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture
def proxied(serve, tmp_path):
    if NGINX is None:
        pytest.skip("nginx is not installed (.ci/run installs the Debian package nginx)")
    log = tmp_path / "access.log"
    server = serve("--access-log", str(log), COPROKG_TRUSTED_PROXY="127.0.0.1", COPROKG_PUBLIC_URL="https://kg.example.org/")
    folder = tmp_path / "nginx"
    folder.mkdir()
    proxy = Proxy(folder, server.port)
    yield proxy, server, log
    proxy.stop()


def test_a_query_passes_through_and_the_server_sees_the_client(proxied):
    proxy, server, log = proxied
    status, headers, body, _ = request(proxy, "GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}),
                                       headers={"Accept": "application/sparql-results+json"}, source="127.0.0.2")
    assert status == 200 and json.loads(body)["boolean"] is True
    assert headers["Content-Security-Policy"], "the server's headers pass through"
    status, _, body, _ = request(proxy, "GET", "/sparql", headers={"Accept": "text/turtle", "Host": "evil.example"})
    assert status == 200 and b"<https://kg.example.org/sparql>" in body and b"evil" not in body
    clients = {entry["client"] for entry in lines(log, at_least=3) if entry["path"] == "/sparql"}
    assert clients == {"127.0.0.2", "127.0.0.1"}, "X-Forwarded-For from the trusted proxy names the client"


def test_nginx_cuts_slow_clients_and_others_are_served(proxied):
    proxy, server, _ = proxied
    trickles = []
    for _ in range(10):
        sock = socket.create_connection(("127.0.0.1", proxy.port), timeout=5, source_address=("127.0.0.3", 0))
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        trickles.append(sock)
    assert request(proxy, "GET", "/health")[0] == 200, "served while slow clients hold connections"
    started = time.monotonic()
    while time.monotonic() - started < 20 and not all(closed(sock) for sock in trickles):
        time.sleep(0.5)
    assert all(closed(sock) for sock in trickles), "client_header_timeout cut the slow clients"
    assert 9 < time.monotonic() - started < 20
    for sock in trickles:
        sock.close()
