"""The words of the search index (:mod:`coprokg.store.search`): its tantivy schema and
analyzers, what people type as tantivy queries, and the passages shown with the hits marked.

Each document has two columns, ``name`` (names, titles, labels) and ``body`` (longer texts),
each indexed as folded words (lower case, no diacritics: Kjellstrom finds Kjellström) and as
pairs of adjacent words ("public_services"), so that a phrase is found by looking its pairs up
(ranked by BM25 of the pairs) rather than by reading the word positions of every document
holding its words. The text people type never reaches a query language: it is cut into words
by the index's own analyzer and each becomes a term query object.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import tantivy

NAME_WEIGHT = 10.0  # a word in a name or title against the same word in longer text
PREFIX_WORDS = 256  # the indexed words a prefix stands for, at most, per column: the most frequent
SNIPPET_CHARS = 150
START, END = "\x02", "\x03"  # hit markers inside snippets, turned into <mark> once the text is escaped
COLUMNS = ("name", "body")  # the short texts (names, titles, labels) and the long ones
PAIRS = "_pairs"  # a column's words two by two ("public_services"): a phrase is looked up, not checked doc by doc
TOKENIZER, PAIRS_TOKENIZER = "folded", "pairs"
ANALYZER = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(64))
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())
PAIRS_ANALYZER = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_JOINED = re.compile(r"[^\s]{1,2}")  # between two hits: marked as one (co-design, l'état)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", indexed=True, fast=True)
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic", fast=True)
    for column in COLUMNS:
        builder.add_text_field(column, tokenizer_name=TOKENIZER)
        builder.add_text_field(column + PAIRS, tokenizer_name=PAIRS_TOKENIZER, index_option="freq")
    return builder.build()


WORDS_SCHEMA = _schema()


@dataclass(frozen=True)
class Part:
    """One thing all results must contain: a word, a phrase (several words in a row), or
    either of them with its last word as a prefix."""

    words: tuple[str, ...]
    prefix: bool = False


def parse(text: str) -> list[Part]:
    """What a person typed as parts: every word and "phrase" must match; ``word*`` is a prefix.
    Words are cut and folded by the index's analyzer, so only its words are ever looked up."""
    parts = []
    for phrase, word in _TOKEN.findall(text):
        raw = phrase if phrase else word
        words = tuple(ANALYZER.analyze(raw))
        if words:
            parts.append(Part(words, not phrase and raw.endswith("*")))
    return parts


def register_analyzers(words: tantivy.Index) -> None:
    words.register_tokenizer(TOKENIZER, ANALYZER)
    words.register_tokenizer(PAIRS_TOKENIZER, PAIRS_ANALYZER)


def word_pairs(texts) -> str:
    """The words of each text two by two, as the pairs columns hold them."""
    pairs = []
    for text in texts:
        words = ANALYZER.analyze(text)
        pairs += [f"{first}_{second}" for first, second in zip(words, words[1:])]
    return " ".join(pairs)


def tantivy_query(searcher: tantivy.Searcher, parts: list[Part]) -> tantivy.Query:
    """All parts must match, each in the name or the body; a name weighs NAME_WEIGHT times more."""
    return _all([tantivy.Query.boolean_query([
        (tantivy.Occur.Should, tantivy.Query.boost_query(_part(searcher, part, "name"), NAME_WEIGHT)),
        (tantivy.Occur.Should, _part(searcher, part, "body"))]) for part in parts])


def _part(searcher: tantivy.Searcher, part: Part, column: str) -> tantivy.Query:
    """A word: its term; a phrase: its pairs, all of them, and (three words or more) its words
    in a row; a prefix: any of the words (or pairs, for the last of a phrase) it begins."""
    words = part.words
    if len(words) == 1:
        if not part.prefix:
            return _term(column, words[0])
        return _any(column, [word for word, _ in searcher.terms_with_prefix(column, words[0], limit=PREFIX_WORDS)])
    pairs = [f"{first}_{second}" for first, second in zip(words, words[1:])]
    clauses = [_term(column + PAIRS, pair) for pair in (pairs[:-1] if part.prefix else pairs)]
    if part.prefix:
        clauses.append(_any(column + PAIRS, [pair for pair, _ in searcher.terms_with_prefix(
            column + PAIRS, pairs[-1], limit=PREFIX_WORDS)]))
    if len(words) > 2:
        in_a_row = (tantivy.Query.phrase_prefix_query if part.prefix else tantivy.Query.phrase_query)(
            WORDS_SCHEMA, column, list(words))
        clauses.append(tantivy.Query.const_score_query(in_a_row, 0.0))
    return _all(clauses)


def marked_words(searcher: tantivy.Searcher, parts: list[Part]) -> tantivy.Query:
    """The words to mark in snippets: every word of the parts, prefixes as the words they begin."""
    words = {word for part in parts for word in (part.words[:-1] if part.prefix else part.words)}
    for part in parts:
        if part.prefix:
            for column in COLUMNS:
                words.update(word for word, _ in searcher.terms_with_prefix(column, part.words[-1], limit=PREFIX_WORDS))
    return _any_column(sorted(words))


def _any_column(words: list[str]) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, _term(column, word)) for word in words for column in COLUMNS])


def _term(column: str, word: str) -> tantivy.Query:
    return tantivy.Query.term_query(WORDS_SCHEMA, column, word)


def _any(column: str, words: list[str]) -> tantivy.Query:
    if not words:
        return tantivy.Query.empty_query()
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, _term(column, word)) for word in words])


def _all(queries: list[tantivy.Query]) -> tantivy.Query:
    return queries[0] if len(queries) == 1 else tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])


def snippet(generator: tantivy.SnippetGenerator, column: str, text: str) -> str:
    """The passage of ``text`` with the most hits, hits between START and END; adjacent hits
    (co-design) are one."""
    snippet = generator.snippet_from_doc(tantivy.Document(**{column: text}))
    fragment = snippet.fragment().encode()
    ranges = sorted((r.start, r.end) for r in snippet.highlighted())
    if not ranges:
        return ""
    joined = [list(ranges[0])]
    for start, end in ranges[1:]:
        if _JOINED.fullmatch(fragment[joined[-1][1]:start].decode(errors="replace")):
            joined[-1][1] = end
        else:
            joined.append([start, end])
    out, at = [], 0
    for start, end in joined:
        out += [fragment[at:start].decode(errors="replace"), START, fragment[start:end].decode(errors="replace"), END]
        at = end
    out.append(fragment[at:].decode(errors="replace"))
    whole, encoded = snippet.fragment_range(), text.encode()
    head, tail = encoded[:whole.start].decode(errors="replace"), encoded[whole.end:].decode(errors="replace")
    return _cut(head, "…" + head[-1:]) + "".join(out) + _cut(tail, tail[:1] + "…")


def _cut(rest: str, elided: str) -> str:
    """What stands for the text left out of a snippet: itself when it is only punctuation,
    else an ellipsis (with the character next to the passage)."""
    return rest if not any(char.isalnum() for char in rest) else elided


def highlighted(text: str) -> str:
    """A snippet as HTML: the text escaped, the hits in <mark>."""
    return html.escape(text).replace(START, "<mark>").replace(END, "</mark>")
