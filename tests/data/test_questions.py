"""The question set (questions.toml): questions a careful reader answers from the four source
papers, each answered by one SPARQL query over the curated graph as it is served, with the
answer worked out from the text and the passage that gives it."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from tests.data.support import quote_occurs

QUESTIONS = tomllib.loads((Path(__file__).parent / "questions.toml").read_text(encoding="utf-8"))["question"]
PREFIXES = """PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX case: <https://w3id.org/coproduction/case/>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX concept: <https://w3id.org/coproduction/concept/>
PREFIX cop: <https://w3id.org/coproduction/ontology#>
PREFIX count: <https://w3id.org/coproduction/count/>
PREFIX database: <https://w3id.org/coproduction/database/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX method: <https://w3id.org/coproduction/review-method/>
PREFIX paper: <https://w3id.org/coproduction/paper/>
PREFIX person: <https://w3id.org/coproduction/person/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX scheme: <https://w3id.org/coproduction/scheme/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def answer_of(store, query: str) -> list[tuple]:
    """The query's rows as sorted tuples of text (an ASK as one row, "true" or "false")."""
    result = store.query(PREFIXES + query)
    if not hasattr(result, "variables"):  # an ASK
        return [(str(bool(result)).lower(),)]
    return sorted(tuple("" if term is None else term.value for term in row) for row in result)


def test_the_set_has_at_least_sixty_questions_over_the_four_sources():
    assert len(QUESTIONS) >= 60
    assert len({q["id"] for q in QUESTIONS}) == len(QUESTIONS)
    assert set(Counter(q["source"] for q in QUESTIONS)) == {"eriksson", "review", "preprint", "protocol"}


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_the_quote_is_the_source_paper_s_words(question):
    assert quote_occurs(question["quote"], question["source"]), question["quote"]


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_one_query_over_the_served_graph_gives_the_reader_s_answer(curated_store, question):
    assert answer_of(curated_store, question["query"]) == sorted(tuple(row) for row in question["answer"]), \
        question["question"]
