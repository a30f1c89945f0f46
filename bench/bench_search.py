"""Full-text search benchmark: the tantivy index (coprokg.store.search) against the SPARQL it
replaces (a regular expression over titles and abstracts in Oxigraph), at N papers.

Builds an embedded store of N synthetic papers (title, 150-word abstract with a Zipf-like
vocabulary, two authors each; kept under bench/.cache/ for the next run), indexes it, then
prints the index build time and, per kind of query, the median milliseconds of a first page of
search results (ranked, with exact counts per kind and highlighted passages) and of the SPARQL
baseline measured in the same run on the same store, with their ratio; then the same for the
search: functions in SPARQL, scoring every paper. Goal: every search under 100 ms at 100,000
papers.

    .venv/bin/python bench/bench_search.py [N] [REPEAT]
"""

from __future__ import annotations

import random
import sys
import shutil
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyoxigraph import Literal, NamedNode, Quad  # noqa: E402

from coprokg.store import EmbeddedStore  # noqa: E402
from coprokg.store.search import SearchIndex  # noqa: E402
from bench.timing import median_seconds  # noqa: E402

B = "https://w3id.org/coproduction/"
DC, RDF, FOAF = "http://purl.org/dc/terms/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://xmlns.com/foaf/0.1/"
FAMILIES = ("Eriksson", "Robert", "Kjellström", "Müller", "Smith", "Osborne", "Bovaird", "Ostrom", "Brandsen", "Åberg")
SEARCHES = {  # kind of query: (what a person types, the same as a SPARQL regular expression)
    "common word": ("coproduction", "coproduction"),
    "rare word": ("zuvakimo", "zuvakimo"),
    "two words": ("citizens inclusion", "(?=.*citizens)(?=.*inclusion)"),
    "phrase": ('"public services"', "public services"),
    "prefix": ("co-prod*", "co.prod"),
    "diacritics folded": ("Kjellstrom", "Kjellstr[oö]m"),
}
BASELINE = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?paper WHERE { ?paper dcterms:title ?title OPTIONAL { ?paper dcterms:abstract ?abstract }
  FILTER(REGEX(CONCAT(?title, " ", COALESCE(?abstract, "")), ?pattern, "i")) } LIMIT 20"""
FUNCTION = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX search: <https://w3id.org/coproduction/search#>
SELECT ?paper ?score ?words WHERE { ?paper dcterms:title ?title BIND(search:score(?paper, ?words) AS ?score)
  FILTER(BOUND(?score)) } ORDER BY DESC(?score) LIMIT 20"""
FUNCTION_BASELINE = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT (COUNT(?paper) AS ?n) WHERE { ?paper dcterms:title ?title OPTIONAL { ?paper dcterms:abstract ?abstract }
  FILTER(REGEX(CONCAT(?title, " ", COALESCE(?abstract, "")), ?pattern, "i")) }"""
CACHE = Path(__file__).resolve().parent / ".cache"


def vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    syllables = ["ka", "zu", "va", "ki", "mo", "re", "ta", "li", "no", "se", "pa", "du", "fi", "go", "ha"]
    words = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    common = "coproduction co-production co-design public services citizens inclusion health care value".split()
    return common + sorted(words - {"zuvakimo"}) + ["zuvakimo"]  # the last word is the rarest


def synthetic(n: int) -> list[Quad]:
    rng = random.Random(3)
    words = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf: few words common, most rare
    graph = NamedNode(B + "graph/load/bench")
    quads = []
    for i in range(n):
        paper = NamedNode(f"{B}paper/bench-{i}")
        quads.append(Quad(paper, NamedNode(RDF + "type"), NamedNode("http://purl.org/ontology/bibo/AcademicArticle"), graph))
        title = " ".join(rng.choices(words, weights, k=8)).capitalize()
        quads.append(Quad(paper, NamedNode(DC + "title"), Literal(title), graph))
        quads.append(Quad(paper, NamedNode(DC + "abstract"), Literal(" ".join(rng.choices(words, weights, k=150))), graph))
        for _ in range(2):
            person = NamedNode(f"{B}person/bench-{rng.randrange(n // 2)}")
            quads.append(Quad(paper, NamedNode(DC + "creator"), person, graph))
            quads.append(Quad(person, NamedNode(RDF + "type"), NamedNode(FOAF + "Person"), graph))
            quads.append(Quad(person, NamedNode(FOAF + "name"), Literal(f"{rng.choice(FAMILIES)}, {chr(65 + rng.randrange(26))}."), graph))
    return quads


def cached_store(n: int) -> EmbeddedStore:
    """The store of ``n`` synthetic papers, written on the first run and kept in bench/.cache."""
    folder = CACHE / f"search-{n}"
    if (folder / "complete").exists():
        return EmbeddedStore(folder / "store")
    shutil.rmtree(folder, ignore_errors=True)
    store = EmbeddedStore(folder / "store")
    start = time.perf_counter()
    written = store.add_quads(synthetic(n))
    print(f"{n} papers, {written} quads written in {time.perf_counter() - start:.1f} s")
    (folder / "complete").touch()
    return store


def main(n: int = 100_000, repeat: int = 5) -> None:
    store = cached_store(n)
    index = SearchIndex.of(store)
    shutil.rmtree(index.path, ignore_errors=True)
    start = time.perf_counter()
    index.rebuild(store)
    size = sum(f.stat().st_size for f in index.path.rglob("*") if f.is_file()) / 1e6
    print(f"index built in {time.perf_counter() - start:.1f} s ({size:.0f} MB)\n")
    print(f"| query | matches | search ms, ranked (median of {repeat}) | SPARQL regex ms, first 20 unranked | regex / search |\n|---|---|---|---|---|")
    for name, (typed, pattern) in SEARCHES.items():
        total = index.search(typed).total
        found = median_seconds(lambda: index.search(typed), repeat) * 1000
        sparql = median_seconds(lambda: list(store.query(BASELINE.replace("?pattern", f'"{pattern}"'))), min(repeat, 3)) * 1000
        print(f"| {name}: `{typed}` | {total} | {found:.1f} | {sparql:.0f} | {sparql / found:.3g} |")
    print(f"\n| SPARQL over every paper | search:score ms, top 20 by score (median of {min(repeat, 3)}) | regex ms, count | regex / search:score |\n|---|---|---|---|")
    for name, (typed, pattern) in SEARCHES.items():
        if name not in ("common word", "rare word", "phrase"):
            continue
        scored = median_seconds(lambda: list(store.query(FUNCTION, substitutions={"words": Literal(typed)})), min(repeat, 3)) * 1000
        sparql = median_seconds(lambda: list(store.query(FUNCTION_BASELINE.replace("?pattern", f'"{pattern}"'))), min(repeat, 3)) * 1000
        print(f"| {name}: `{typed}` | {scored:.0f} | {sparql:.0f} | {sparql / scored:.3g} |")
    store.close()

if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
