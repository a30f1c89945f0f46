"""Full-text search over the graph's words: a tantivy index that follows the store.

What is indexed (``rq/search-entries.rq``): titles and abstracts of works, every label and
the definition of concepts, names and objectives of case studies, names of people and
practices, and the passages annotations quote (under the work they quote). An SQLite file
keeps what each named graph said (``entries``: graph, resource, field, text) and, from those,
one document per resource (``docs``: id, resource, kind, label, name, body); tantivy
(https://github.com/quickwit-oss/tantivy-py) indexes the documents' words by id. A load adds
its graph's entries and remakes the documents of the resources it touched; an unload removes
the graph's entries and remakes (or deletes) the same documents, with no need to ask the store
what it held. The index records the data version it reflects; when the store moved on without
it (a SPARQL Update, a restore, another server writing a shared remote store) or the index is
missing, it is rebuilt from the store, holding a lock file meanwhile: whoever searches then
gets :class:`IndexBuilding`.

Words are folded to lower case without diacritics (Kjellstrom finds Kjellström). Queries are
words (all must match), "quoted phrases" and prefixes (``copro*``), ranked by BM25 with names
and titles weighing ten times more than longer text; tantivy finds the best page without
scoring every match (block-max WAND). Each column is also indexed as its pairs of adjacent
words, so that a phrase is found by looking its pairs up (ranked by BM25 of the pairs) rather
than by reading the word positions of every document holding its words. The text people type
never reaches a query language: it is cut into words by the index's own analyzer and each
becomes a term query object.

Layout of the index directory::

    <index>/docs.sqlite3   meta (the data version), entries, docs
    <index>/words/         the tantivy index (fields id, kind, name, body; nothing stored)
    <index>/build.lock     locked while the index is built from the store
"""

from __future__ import annotations

import fcntl
import hashlib
import html
import json
import os
import re
import shutil
import sqlite3
import threading
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

import tantivy
from pyoxigraph import Literal, NamedNode

from coprokg.errors import StoreError
from coprokg.vocab import SEARCH

ENTRIES_QUERY = (Path(__file__).parent / "rq" / "search-entries.rq").read_text(encoding="utf-8")
REMOTE_INDEX_DIR = Path("var/search")  # a remote store's index, one directory per endpoint URL
KINDS = ("paper", "concept", "case study", "person", "practice")  # as rq/search-entries.rq names them
NAME_FIELDS = ("title", "prefLabel", "name", "label", "altLabel")  # the short fields, in the order labels are taken
NAME_WEIGHT = 10.0  # a word in a name or title against the same word in longer text
PREFIX_WORDS = 256  # the indexed words a prefix stands for, at most, per column
SNIPPET_CHARS = 150
SEPARATOR = " ¶ "  # between the texts of one document's column, so that a phrase never spans two
START, END = "\x02", "\x03"  # hit markers inside snippets, turned into <mark> once the text is escaped
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
  graph TEXT NOT NULL, resource TEXT NOT NULL, kind TEXT NOT NULL, field TEXT NOT NULL, lang TEXT NOT NULL,
  text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entries_graph ON entries (graph);
CREATE INDEX IF NOT EXISTS entries_resource ON entries (resource);
CREATE TABLE IF NOT EXISTS docs (
  id INTEGER PRIMARY KEY, resource TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, label TEXT NOT NULL,
  name TEXT NOT NULL, body TEXT NOT NULL);
"""
COLUMNS = ("name", "body")  # the short texts (names, titles, labels) and the long ones
PAIRS = "_pairs"  # a column's words two by two ("public_services"): a phrase is looked up, not checked doc by doc
TOKENIZER, PAIRS_TOKENIZER = "folded", "pairs"
ANALYZER = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(64))
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())
PAIRS_ANALYZER = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_JOINED = re.compile(r"[^\s]{1,2}")  # between two hits: marked as one (co-design, l'état)


def _words_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", indexed=True, fast=True)
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic", fast=True)
    for column in COLUMNS:
        builder.add_text_field(column, tokenizer_name=TOKENIZER)
        builder.add_text_field(column + PAIRS, tokenizer_name=PAIRS_TOKENIZER, index_option="freq")
    return builder.build()


WORDS_SCHEMA = _words_schema()


class IndexBuilding(StoreError):
    """The full-text index is being built from the store: search again shortly."""

    kind = "search-index-building"
    retry_after = 30

    def __init__(self, where: str):
        super().__init__("the full-text index is being built from the store; search is back when it is done",
                         where=where, hint="try again in a minute; every other page and query answers meanwhile")


@dataclass
class Hit:
    resource: str
    kind: str
    label: str
    score: float  # higher is better
    snippets: list[tuple[str, str]] = field(default_factory=list)  # (column, escaped HTML with <mark>)

    def as_json(self) -> dict:
        return {"iri": self.resource, "kind": self.kind, "label": self.label, "score": round(self.score, 4),
                "matches": [{"field": name, "snippet": text} for name, text in self.snippets]}


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit]
    kinds: dict[str, int] = field(default_factory=dict)  # matching resources per kind, whatever kind was asked


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


class SearchIndex:
    """The index of one store; usable from any thread and process (one writer at a time)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._database_file = self.path / "docs.sqlite3"
        self._words = self.path / "words"
        self._lock_file = self.path / "build.lock"

    @classmethod
    def of(cls, store) -> "SearchIndex":
        """The index that belongs to ``store``: beside an embedded store's database, or under
        var/search/ for a remote store (one directory per endpoint)."""
        if hasattr(store, "path"):
            return cls(Path(store.path) / "search")
        digest = hashlib.sha256(store.location.encode()).hexdigest()[:16]
        return cls(REMOTE_INDEX_DIR / digest)

    # -- reading ---------------------------------------------------------------------------

    def version(self) -> str:
        """The store's data version the index reflects ('' when it was never built)."""
        if not self._database_file.exists():
            return ""
        with closing(self._read()) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return row[0] if row else ""

    def building(self) -> bool:
        """Whether the index is being built from the store (by this process or another)."""
        if not self._lock_file.exists():
            return False
        with open(self._lock_file, "a") as probe:
            try:
                fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
        return False

    def search(self, text: str, *, kind: str | None = None, limit: int = 20, offset: int = 0) -> Results:
        """The resources matching ``text``, best first, with labels and highlighted passages;
        the total and the counts per kind are exact."""
        parts = parse(text)
        words = self._reader(parts)
        if words is None:
            return Results(text, 0, [])
        searcher = words.searcher()
        query = _query(searcher, parts)
        buckets = searcher.aggregate(query, {"kinds": {"terms": {"field": "kind", "size": len(KINDS)}}})
        kinds = {bucket["key"]: bucket["doc_count"] for bucket in buckets["kinds"]["buckets"]}
        wanted = query if kind is None else tantivy.Query.boolean_query([
            (tantivy.Occur.Must, query),
            (tantivy.Occur.Must, tantivy.Query.const_score_query(tantivy.Query.term_query(WORDS_SCHEMA, "kind", kind), 0.0))])
        found = searcher.search(wanted, limit, count=False, offset=offset).hits
        ids = searcher.fast_field_values("id", [address for _, address in found])
        with closing(self._read()) as db:
            docs = {row[0]: row[1:] for row in db.execute(
                "SELECT id, resource, kind, label, name, body FROM docs WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),))}
        marked = _marked(searcher, parts)
        marks = {column: tantivy.SnippetGenerator.create(searcher, marked, WORDS_SCHEMA, column) for column in COLUMNS}
        for generator in marks.values():
            generator.set_max_num_chars(SNIPPET_CHARS)
        hits = []
        for (score, _), doc_id in zip(found, ids):
            if doc_id not in docs:  # written by a change whose record is not committed yet
                continue
            resource, doc_kind, label, name, body = docs[doc_id]
            snippets = [(column, highlighted(snippet)) for column, value in (("name", name), ("body", body))
                        if START in (snippet := _snippet(marks[column], column, value))]
            hits.append(Hit(resource, doc_kind, label, score, [("text" if c == "body" else c, s) for c, s in snippets]))
        kinds = dict(sorted(kinds.items(), key=lambda item: -item[1]))
        return Results(text, kinds.get(kind, 0) if kind else sum(kinds.values()), hits, kinds)

    def scores(self, text: str) -> dict[int, float]:
        """Every matching document (by id: :func:`doc_id` of its resource) with its score
        (higher is better): what SPARQL's search functions read, once per query and words."""
        parts = parse(text)
        words = self._reader(parts)
        if words is None:
            return {}
        searcher = words.searcher()
        query = _query(searcher, parts)
        total = searcher.search(query, 1, count=True).count
        if not total:
            return {}
        found = searcher.search(query, total, count=False).hits
        ids = searcher.fast_field_values("id", [address for _, address in found])
        return {doc_id: score for (score, _), doc_id in zip(found, ids)}


    def _reader(self, parts: list[Part]) -> tantivy.Index | None:
        """The tantivy index as last committed; None when nothing is to be found (no words, no
        index). Raises :class:`IndexBuilding` while it is built."""
        if not parts:
            return None
        if self.building():
            raise IndexBuilding(str(self.path))
        return _open_words(self._words)

    def _read(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self._database_file}?mode=ro", uri=True, timeout=30)

    # -- writing ---------------------------------------------------------------------------

    def follow(self, store) -> None:
        """Rebuild the index from ``store`` unless it reflects the store's data version."""
        lock = _BuildLock.of(self._lock_file)
        if self.version() == store.version() and not lock.claimed:
            return
        with lock.held():
            if self.version() != store.version():  # another process may have built it meanwhile
                self._rebuild(store)

    def rebuild(self, store) -> None:
        with _BuildLock.of(self._lock_file).held():
            self._rebuild(store)

    def claim(self) -> bool:
        """Take the build lock for a build this process starts soon (:meth:`follow` or
        :meth:`rebuild`, from any thread, uses it and lets it go); False when another process
        holds it."""
        return _BuildLock.of(self._lock_file).claim()

    def add_graph(self, store, graph: str) -> None:
        """Index what the named graph ``graph`` now holds (replacing what it held before)."""
        entries = list(_entries(store, graph))
        with self._writing() as (db, writer):
            touched = _forget(db, graph) | {entry[1] for entry in entries}
            db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)", entries)
            _remake(db, writer, touched)
            _stamp(db, store.version())

    def drop_graph(self, store, graph: str) -> None:
        """Forget what a graph the store no longer has said."""
        with self._writing() as (db, writer):
            _remake(db, writer, _forget(db, graph))
            _stamp(db, store.version())

    def _rebuild(self, store) -> None:
        version = store.version()
        entries = sorted({row for graph in store.graphs() for row in _entries(store, graph.value)}, key=lambda e: e[1])
        for leftover in self.path.parent.glob(self.path.name + ".sqlite3*"):  # an FTS5 index of earlier versions
            leftover.unlink()
        with self._writing(threads=0) as (db, writer):
            db.execute("DELETE FROM entries")
            db.execute("DELETE FROM docs")
            writer.delete_all_documents()
            db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)", entries)
            records = {}
            for resource, rows in groupby(entries, key=lambda e: e[1]):
                made = _document(resource, sorted({(kind, name, lang, text) for _, _, kind, name, lang, text in rows}))
                if made and made[0][0] not in records:
                    records[made[0][0]] = made[0]
                    writer.add_document(made[1])
            db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", records.values())
            _stamp(db, version)

    @contextmanager
    def _writing(self, threads: int = 1):
        """The SQLite file in one transaction and a tantivy writer: the words are committed,
        then the records; readers see either all of a change or none of it (a hit whose record
        is not committed yet is left out)."""
        self.path.mkdir(parents=True, exist_ok=True)
        words = _open_words(self._words, create=True)
        with closing(sqlite3.connect(self._database_file, timeout=30)) as db:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")  # durable at each checkpoint, consistent always (WAL)
            db.executescript(SCHEMA)
            writer = words.writer(heap_size=64_000_000 if threads == 1 else 256_000_000, num_threads=threads)
            try:
                with db:
                    yield db, writer
                    writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            finally:
                del writer


class _BuildLock:
    """The build lock of one index: an exclusive ``flock`` on its lock file, which the system
    lets go when the process ends, however it ends. Within a process, one holder at a time."""

    _locks: dict[Path, "_BuildLock"] = {}
    _guard = threading.Lock()

    def __init__(self, path: Path):
        self.path = path
        self._thread_lock = threading.Lock()
        self._file = None

    @classmethod
    def of(cls, path: Path) -> "_BuildLock":
        with cls._guard:
            return cls._locks.setdefault(path.resolve(), cls(path))

    @property
    def claimed(self) -> bool:
        return self._file is not None

    def claim(self) -> bool:
        self._thread_lock.acquire()
        try:
            self._take(blocking=False)
        except BlockingIOError:
            self._thread_lock.release()
            return False
        return True

    @contextmanager
    def held(self):
        if self._file is None:  # not claimed before: wait for it
            self._thread_lock.acquire()
            self._take(blocking=True)
        try:
            yield
        finally:
            self._file.close()  # lets the flock go
            self._file = None
            self._thread_lock.release()

    def _take(self, blocking: bool) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = open(self.path, "a")
        try:
            fcntl.flock(file, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BaseException:
            file.close()
            raise
        self._file = file


_opened: dict[Path, tuple[tuple, tantivy.Index]] = {}
_opened_guard = threading.Lock()


def _open_words(path: Path, create: bool = False) -> tantivy.Index | None:
    """The tantivy index at ``path``, reloaded when a commit changed it since (one open index
    per process and path); None when there is none and ``create`` is False."""
    path = path.resolve()
    try:
        meta = os.stat(path / "meta.json")
    except FileNotFoundError:
        if not create:
            return None
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        words = tantivy.Index(WORDS_SCHEMA, path=str(path))
        _register(words)
        with _opened_guard:
            _opened.pop(path, None)
        return words
    signature = (meta.st_ino, meta.st_mtime_ns, meta.st_size)
    with _opened_guard:
        known = _opened.get(path)
        if known is None:
            words = tantivy.Index.open(str(path))
            _register(words)
            words.config_reader("manual")
        elif known[0] != signature:
            words = known[1]
            words.reload()
        else:
            return known[1]
        _opened[path] = (signature, words)
        return words


def _register(words: tantivy.Index) -> None:
    words.register_tokenizer(TOKENIZER, ANALYZER)
    words.register_tokenizer(PAIRS_TOKENIZER, PAIRS_ANALYZER)


def _pairs(texts) -> str:
    """The words of each text two by two, as the pairs columns hold them."""
    pairs = []
    for text in texts:
        words = ANALYZER.analyze(text)
        pairs += [f"{first}_{second}" for first, second in zip(words, words[1:])]
    return " ".join(pairs)


def _query(searcher: tantivy.Searcher, parts: list[Part]) -> tantivy.Query:
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


def _marked(searcher: tantivy.Searcher, parts: list[Part]) -> tantivy.Query:
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


def _snippet(generator: tantivy.SnippetGenerator, column: str, text: str) -> str:
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


def _entries(store, graph: str):
    for row in store.query(ENTRIES_QUERY, substitutions={"g": NamedNode(graph)}):
        text = row["text"]
        yield (graph, row["resource"].value, row["kind"].value, row["field"].value,
               text.language or "" if isinstance(text, Literal) else "", text.value)


def _forget(db, graph: str) -> set[str]:
    """Delete what ``graph`` said; the resources it spoke of."""
    touched = {resource for (resource,) in db.execute("SELECT DISTINCT resource FROM entries WHERE graph = ?", (graph,))}
    db.execute("DELETE FROM entries WHERE graph = ?", (graph,))
    return touched


def _remake(db, writer, resources: set[str]) -> None:
    """Make the document of each resource anew from every graph's entries (none left: no document)."""
    for resource in resources:
        old = db.execute("SELECT id FROM docs WHERE resource = ?", (resource,)).fetchone()
        if old:
            writer.delete_documents_by_term("id", old[0])
            db.execute("DELETE FROM docs WHERE id = ?", old)
        rows = db.execute("SELECT DISTINCT kind, field, lang, text FROM entries WHERE resource = ?"
                          " ORDER BY field, lang, text", (resource,)).fetchall()
        _add(db, writer, resource, rows)


def _add(db, writer, resource: str, rows: list[tuple[str, str, str, str]]) -> None:
    """Index the document of ``resource`` made from its entries (kind, field, lang, text), if any."""
    made = _document(resource, rows)
    if made and db.execute("INSERT OR IGNORE INTO docs VALUES (?, ?, ?, ?, ?, ?)", made[0]).rowcount:
        writer.add_document(made[1])


def _document(resource: str, rows: list[tuple[str, str, str, str]]) -> tuple[tuple, tantivy.Document] | None:
    """The record (id, resource, kind, label, name, body) and the tantivy document of
    ``resource`` from its entries (kind, field, lang, text); None without entries."""
    if not rows:
        return None
    kind = min((row[0] for row in rows), key=KINDS.index)
    names = [row for row in rows if row[1] in NAME_FIELDS]
    label = min(names, key=lambda row: (NAME_FIELDS.index(row[1]), row[2] not in ("en", ""), row[3]))[3] \
        if names else resource
    names = list(dict.fromkeys(row[3] for row in sorted(names, key=lambda row: row[1:])))
    bodies = list(dict.fromkeys(row[3] for row in sorted(rows, key=lambda row: row[1:]) if row[1] not in NAME_FIELDS))
    name, body = SEPARATOR.join(names), SEPARATOR.join(bodies)
    doc_id = _doc_id(resource)
    doc = tantivy.Document()
    doc.add_integer("id", doc_id)
    doc.add_text("kind", kind)
    for column, texts in (("name", names), ("body", bodies)):
        doc.add_text(column, SEPARATOR.join(texts))
        doc.add_text(column + PAIRS, _pairs(texts))
    return (doc_id, resource, kind, label, name, body), doc


def _doc_id(resource: str) -> int:
    """The id of a resource's document: 63 bits of a hash of its IRI, so that SPARQL's
    functions know it without a lookup (two IRIs of the same id: one in about 10^9 at 100,000
    resources, and a duplicate id would only stop the second from being indexed)."""
    return int.from_bytes(hashlib.blake2b(resource.encode(), digest_size=8).digest(), "big") >> 1


def _stamp(db, version: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)", (version,))


def highlighted(text: str) -> str:
    """A snippet as HTML: the text escaped, the hits in <mark>."""
    return html.escape(text).replace(START, "<mark>").replace(END, "</mark>")


def after_load(store, graph: str, before: str) -> None:
    """Keep ``store``'s index in step after a write into ``graph`` (``before``: the data version
    before the write): the graph's rows alone when the index was current, else all of it."""
    index = SearchIndex.of(store)
    if index.version() == before and before:
        index.add_graph(store, graph)
    else:
        index.rebuild(store)


def after_unload(store, graph: str, before: str) -> None:
    """Keep ``store``'s index in step after ``graph`` was dropped (see :func:`after_load`)."""
    index = SearchIndex.of(store)
    if index.version() == before and before:
        index.drop_graph(store, graph)
    else:
        index.rebuild(store)


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
        value = matched.get(_doc_id(resource.value)) if matched and isinstance(resource, NamedNode) else None
        return None if value is None else Literal(value)

    def matches(self, resource, text):
        matched = self._scores(text)
        return None if matched is None else Literal(
            bool(matched) and isinstance(resource, NamedNode) and _doc_id(resource.value) in matched)


def functions(index: SearchIndex) -> dict:
    """The search: functions over ``index`` for one query (see :class:`Functions`)."""
    return Functions(index).table()
