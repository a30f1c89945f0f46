"""How much the HTTP server costs over pyoxigraph, and how it compares with `oxigraph serve`.

A synthetic graph of 10,000 papers (titles, years, authors, concepts, citations) is written
to a fresh embedded store seeded as usual (ontology and curated data). Then, in one run:

1. latency: four workload queries and every question of the catalog (queries/, with its
   default parameters), each run directly on pyoxigraph (query + SPARQL JSON serialisation, on a
   read-only copy of the store) and through `coprokg serve` over HTTP with its cache off,
   one after the other in each round so both see the same load on the machine; the median
   of the rounds;
2. throughput with 8 concurrent clients: one repeated query (answered from the cache) and
   point lookups of distinct papers (never cached), against `coprokg serve` and against
   `oxigraph serve` on a copy of the same data, in alternating one-second slices.

    .venv/bin/python bench/bench_server.py [--papers 10000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, QueryResultsFormat, Store

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import timing  # noqa: E402
from tests.support import free_port, oxigraph_binary, wait_for  # noqa: E402

B = "https://w3id.org/coproduction/"
DC, CITO, RDF = "http://purl.org/dc/terms/", "http://purl.org/spar/cito/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PREFIXES = f"PREFIX dcterms: <{DC}> PREFIX cito: <{CITO}> PREFIX bibo: <http://purl.org/ontology/bibo/>\n"
QUERIES = {
    "papers per year": PREFIXES + "SELECT ?year (COUNT(?p) AS ?n) WHERE { ?p dcterms:issued ?year } GROUP BY ?year ORDER BY ?year",
    "citation join": PREFIXES + "SELECT ?a ?c (COUNT(?b) AS ?n) WHERE { ?a cito:cites ?b . ?b cito:cites ?c } GROUP BY ?a ?c ORDER BY DESC(?n) LIMIT 100",
    "co-cited by concept": PREFIXES
    + "SELECT ?s (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p dcterms:subject ?s ; cito:cites ?q . ?q dcterms:subject ?s } GROUP BY ?s ORDER BY DESC(?n)",
    "all titles": PREFIXES + "SELECT ?p ?t WHERE { ?p dcterms:title ?t }",
}
POINT = PREFIXES + "SELECT ?p ?o WHERE {{ <{paper}> ?p ?o }}"


def synthetic(papers: int) -> list[Quad]:
    rng = random.Random(7)
    graph = NamedNode(B + "graph/load/synthetic")
    quads = []

    def add(s, p, o):
        quads.append(Quad(NamedNode(s), NamedNode(p), o, graph))

    for i in range(papers):
        paper = f"{B}paper/synthetic-{i}"
        add(paper, RDF + "type", NamedNode("http://purl.org/ontology/bibo/AcademicArticle"))
        add(paper, DC + "title", Literal(f"Coproduction study number {i}"))
        add(paper, DC + "issued", Literal(str(1990 + i % 35)))
        for author in rng.sample(range(papers // 2), 2):
            add(paper, DC + "creator", NamedNode(f"{B}person/author-{author}"))
        add(paper, DC + "subject", NamedNode(f"{B}concept/c{rng.randrange(60)}"))
        for cited in rng.sample(range(max(1, i)), min(i, 5)):
            add(paper, CITO + "cites", NamedNode(f"{B}paper/synthetic-{cited}"))
    return quads


def http_get(url: str, query: str) -> bytes:
    request = urllib.request.Request(  # a form POST: catalog questions are longer than a GET allows
        url, data=urllib.parse.urlencode({"query": query}).encode(), headers={"Accept": "application/sparql-results+json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read()


def throughput(url: str, make_query, seconds: float, clients: int = 8) -> float:
    done, stop = [0] * clients, time.monotonic() + seconds

    def client(k):
        n = 0
        while time.monotonic() < stop:
            http_get(url, make_query(k, n))
            n += 1
        done[k] = n

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coprokg-bench-"))
    try:
        run(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, args) -> None:
    from coprokg.bootstrap import initialise
    from coprokg.queries import catalog
    from coprokg.store import EmbeddedStore

    store = EmbeddedStore(work / "store")
    initialise(store)
    quads = synthetic(args.papers)
    store.add_quads(quads)
    print(f"{args.papers} papers, {len(quads)} triples")
    store.snapshot(work / "oxigraph-copy")
    store.close()
    del store

    env = {**os.environ, "COPROKG_STORE": str(work / "store"), "COPROKG_CACHE_ENTRIES": "0", "COPROKG_QUERY_WORKERS": "2"}
    servers = []
    try:
        url = start(servers, [sys.executable, "-m", "coprokg", "serve", "--port", "{port}"], env, "/sparql")
        db = Store.read_only(str(work / "oxigraph-copy"))
        print("\nlatency (median of %d rounds): direct pyoxigraph vs HTTP /sparql, cache off" % args.runs)
        print(f"{'query':34} {'direct ms':>10} {'http ms':>10} {'ratio':>7}")
        workload = {**QUERIES, **{f"catalog: {q.name}": q.sparql() for q in catalog.catalog()}}
        for name, query in workload.items():
            direct = lambda q=query: db.query(q, use_default_graph_as_union=True).serialize(format=QueryResultsFormat.JSON)  # noqa: E731
            direct(), http_get(url, query)
            rounds = [(timing.seconds(direct), timing.seconds(lambda q=query: http_get(url, q))) for _ in range(args.runs)]
            a, b = statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds)
            print(f"{name:34} {a * 1000:10.1f} {b * 1000:10.1f} {b / a:7.2f}")
        del db
        stop_all(servers)

        env["COPROKG_CACHE_ENTRIES"] = "256"
        ours = start(servers, [sys.executable, "-m", "coprokg", "serve", "--port", "{port}"], env, "/sparql")
        theirs = start(
            servers,
            [oxigraph_binary(), "serve", "--location", str(work / "oxigraph-copy"), "--bind", "127.0.0.1:{port}", "--union-default-graph"],
            env,
            "/query",
        )
        repeated = QUERIES["papers per year"]
        point = lambda k, n: POINT.format(paper=f"{B}paper/synthetic-{(k * 7919 + n * 104729) % args.papers}")  # noqa: E731
        print(f"\nthroughput, 8 clients, {args.seconds:g} s each (requests/s)")
        print(f"{'workload':28} {'coprokg':>9} {'oxigraph':>9} {'ratio':>7}")
        slices = max(1, round(args.seconds))
        for label, make in (("repeated query (cached)", lambda k, n: repeated), ("point lookups (uncached)", point)):
            a = b = 0.0
            for _ in range(slices):
                a += throughput(ours, make, args.seconds / slices) / slices
                b += throughput(theirs, make, args.seconds / slices) / slices
            print(f"{label:28} {a:9.0f} {b:9.0f} {a / b:7.2f}")
    finally:
        stop_all(servers)


def start(servers: list, command: list[str], env: dict, path: str) -> str:
    port = free_port()
    process = subprocess.Popen(
        [part.replace("{port}", str(port)) for part in command], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    servers.append(process)
    url = f"http://127.0.0.1:{port}{path}"
    wait_for(url + "?query=ASK%7B%7D", process, timeout=120)
    return url


def stop_all(servers: list) -> None:
    while servers:
        process = servers.pop()
        process.terminate()
        process.wait(30)


if __name__ == "__main__":
    main()
