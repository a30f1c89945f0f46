"""SPARQL's search functions (``search:`` is https://w3id.org/coproduction/search#) over the
full-text index of :mod:`coprokg.store.search`, as pyoxigraph custom functions."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from coprokg.store.search import IndexBuilding, SearchIndex, doc_id
from coprokg.vocab import SEARCH


class Functions:
    """SPARQL functions over ``index``, for one query (each search is run once and kept):

    - ``search:score(?resource, "words")``: the resource's score for the words (xsd:double,
      higher is better), unbound when it does not match;
    - ``search:matches(?resource, "words")``: true or false.

    A function error leaves its value unbound (SPARQL's rule); when the index was being built,
    :attr:`building` keeps why, for the caller to answer with that instead of rows.
    """

    def __init__(self, index: SearchIndex):
        self.index = index
        self.building: IndexBuilding | None = None
        self._found: dict[str, dict[int, float]] = {}

    def table(self) -> dict:
        """The functions by IRI, as pyoxigraph's ``custom_functions`` takes them."""
        return {NamedNode(str(SEARCH.score)): self.score, NamedNode(str(SEARCH.matches)): self.matches}

    def _scores(self, text) -> dict[int, float] | None:
        if not isinstance(text, Literal):
            return None
        if text.value not in self._found:
            try:
                self._found[text.value] = self.index.scores(text.value)
            except IndexBuilding as error:
                self.building = error
                raise
        return self._found[text.value]

    def score(self, resource, text):
        matched = self._scores(text)
        value = matched.get(doc_id(resource.value)) if matched and isinstance(resource, NamedNode) else None
        return None if value is None else Literal(value)

    def matches(self, resource, text):
        matched = self._scores(text)
        return None if matched is None else Literal(
            bool(matched) and isinstance(resource, NamedNode) and doc_id(resource.value) in matched)


def functions(index: SearchIndex) -> dict:
    """The search: functions over ``index`` for one query (see :class:`Functions`)."""
    return Functions(index).table()
