"""A realistic synthetic literature, written as the CSV paper template a librarian fills.

Each paper belongs to one of the ontology's literatures (scheme:literature) and names a
discipline of it; its concepts are drawn with a per-literature preference over the
ontology's topical concepts (every scheme but the classifications), and its abstract mentions some of them by
label so that the tagger annotates them. Authors come from a pool shared by the whole corpus
with a long-tailed (Zipf, exponent 0.6) choice: at 100,000 papers the most prolific person
writes about a thousand of them and most people a handful. Each paper cites up to ``CITES`` earlier papers by preferential attachment (a paper is
chosen in proportion to 1 + the citations it already has), written, as the template asks, as
the citing papers' DOIs in the cited paper's ``cited_by`` cell.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse

from coprokg.loaders.csvtable import PAPER_COLUMNS
from coprokg.ontology.files import ONTOLOGY_DIR

CITES = 5
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEME = "https://w3id.org/coproduction/scheme/"
CLASSIFICATIONS = ("discipline", "literature", "model-type")  # not what a paper is about
FAMILIES = ("Eriksson", "Robert", "Kjellström", "Müller", "Smith", "Osborne", "Bovaird", "Ostrom", "Brandsen",
            "Nabatchi", "Pestoff", "Verschuere", "Loeffler", "Alford", "Durose", "Needham", "Palumbo", "Voorberg")
GIVEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
WORDS = ("public services citizens value group level inclusion health care administration participation "
         "community delivery evaluation service users professionals outcomes trust").split()
COUNTRIES = ("SWE", "GBR", "NLD", "USA", "AUS", "DEU", "ITA", "DNK", "NOR", "FIN", "CAN", "BEL")


@dataclass(frozen=True)
class Vocabulary:
    """What the generator draws from the ontology: disciplines by literature, topical concepts."""

    disciplines: dict[str, list[str]]  # literature label -> discipline labels
    concepts: list[str]  # prefLabels of the concepts a paper can be about

    @classmethod
    def read(cls) -> "Vocabulary":
        facts: dict[str, dict[str, list[str]]] = {}
        for path in sorted(ONTOLOGY_DIR.glob("concepts-*.ttl")):
            for triple in parse(path=str(path), format=RdfFormat.TURTLE):
                if isinstance(triple.object, NamedNode) or triple.predicate.value == SKOS + "prefLabel":
                    facts.setdefault(triple.subject.value, {}).setdefault(triple.predicate.value, []).append(triple.object.value)
        label = {c: f[SKOS + "prefLabel"][0] for c, f in facts.items() if SKOS + "prefLabel" in f}
        schemes = {c: set(f.get(SKOS + "inScheme", ())) for c, f in facts.items()}
        disciplines: dict[str, list[str]] = {}
        for concept, f in facts.items():
            if SCHEME + "discipline" in schemes[concept]:
                for broader in f.get(SKOS + "broader", ()):
                    if SCHEME + "literature" in schemes.get(broader, ()):
                        disciplines.setdefault(label[broader], []).append(label[concept])
        classifications = {SCHEME + name for name in CLASSIFICATIONS}
        topical = sorted(label[c] for c, s in schemes.items() if c in label and s and not s & classifications)
        return cls({k: sorted(v) for k, v in sorted(disciplines.items())}, topical)


def papers(n: int, seed: int = 17) -> list[dict[str, str]]:
    """``n`` rows of the paper template, oldest first, deterministic for a seed."""
    rng = random.Random(seed)
    vocabulary = Vocabulary.read()
    literatures = list(vocabulary.disciplines)
    # Each literature prefers its own slice of the concepts: a permutation weighted 1/rank.
    preference = {lit: rng.sample(vocabulary.concepts, len(vocabulary.concepts)) for lit in literatures}
    concept_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary.concepts))))
    people = max(10, n // 2)
    author_weights = list(itertools.accumulate(1 / (rank + 1) ** 0.6 for rank in range(people)))
    attachment: list[int] = []  # paper i once per citation it has, plus once for itself
    cited_by: list[list[int]] = [[] for _ in range(n)]
    rows = []
    for i in range(n):
        literature = literatures[rng.randrange(len(literatures))]
        chosen = {preference[literature][_pick(rng, concept_weights)] for _ in range(rng.randint(1, 3))}
        concepts = sorted(chosen)
        mentioned = rng.sample(concepts, k=min(len(concepts), rng.randint(0, 2)))
        authors = {_pick(rng, author_weights) for _ in range(rng.randint(1, 4))}
        for cited in {attachment[rng.randrange(len(attachment))] for _ in range(min(i, CITES))}:
            cited_by[cited].append(i)
            attachment.append(cited)
        attachment.append(i)
        words = [rng.choice(WORDS) for _ in range(40)]
        for label in mentioned:
            words.insert(rng.randrange(len(words)), label)
        rows.append({
            "id": f"scale{i}", "type": "article",
            "title": f"{' '.join(rng.choice(WORDS) for _ in range(6)).capitalize()} {i}",
            "authors": "; ".join(_person(k) for k in sorted(authors)),
            "year": str(1980 + i * 45 // max(n, 1)), "container": f"Journal of {rng.choice(WORDS).title()}",
            "volume": str(rng.randint(1, 40)), "pages": f"{i % 300 + 1}-{i % 300 + 15}", "doi": doi(i),
            "abstract": " ".join(words) + ".", "keywords": "; ".join(rng.sample(WORDS, 2)),
            "discipline": rng.choice(vocabulary.disciplines[literature]), "country": rng.choice(COUNTRIES),
            "concepts": "; ".join(concepts),
        })
    for i, row in enumerate(rows):
        row["cited_by"] = "; ".join(doi(k) for k in cited_by[i])
    return rows


def doi(i: int) -> str:
    return f"10.5555/scale.{i}"


def write_csv(rows: list[dict[str, str]], folder: Path, per_file: int) -> list[Path]:
    """The rows as template CSV files of ``per_file`` rows each (one load each)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, len(rows), per_file):
        path = folder / f"papers-{start // per_file:04d}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=PAPER_COLUMNS, restval="")
            writer.writeheader()
            writer.writerows(rows[start : start + per_file])
        paths.append(path)
    return paths


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return bisect.bisect(cumulative, rng.random() * cumulative[-1])


def _person(k: int) -> str:
    return f"{FAMILIES[k % len(FAMILIES)]}{k // len(FAMILIES) or ''}, {GIVEN[k * 7 % 26]}."
