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
missing, it is rebuilt from the store, holding a lock file meanwhile: whoever searches then,
or before the index was ever built, gets :class:`IndexBuilding`.

Queries are words (all must match), "quoted phrases" and prefixes (``copro*``), ranked by
BM25 with names and titles weighing ten times more than longer text; tantivy finds the best
page without scoring every match (block-max WAND). How words are indexed and looked up:
:mod:`coprokg.store.search_words`.

Layout of the index directory::

    <index>/docs.sqlite3   meta (the data version), entries, docs
    <index>/words/         the tantivy index (id, kind, and each column as words and as pairs; nothing stored)
    <index>/build.lock     locked while the index is built from the store
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
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
from coprokg.store.search_words import (
    COLUMNS, PAIRS, SNIPPET_CHARS, START, WORDS_SCHEMA, Part, highlighted, marked_words, parse, register_analyzers,
    snippet, tantivy_query, word_pairs)

ENTRIES_QUERY = (Path(__file__).parent / "rq" / "search-entries.rq").read_text(encoding="utf-8")
REMOTE_INDEX_DIR = Path("var/search")  # a remote store's index, one directory per endpoint URL
KINDS = ("paper", "concept", "case study", "person", "practice")  # as rq/search-entries.rq names them
NAME_FIELDS = ("title", "prefLabel", "name", "label", "altLabel")  # the short fields, in the order labels are taken
SEPARATOR = " ¶ "  # between the texts of one document's column, so that a phrase never spans two
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
        query = tantivy_query(searcher, parts)
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
        marked = marked_words(searcher, parts)
        marks = {column: tantivy.SnippetGenerator.create(searcher, marked, WORDS_SCHEMA, column) for column in COLUMNS}
        for generator in marks.values():
            generator.set_max_num_chars(SNIPPET_CHARS)
        hits = []
        for (score, _), number in zip(found, ids):
            if number not in docs:  # written by a change whose record is not committed yet
                continue
            resource, doc_kind, label, name, body = docs[number]
            shown = (("name", "name", name), ("text", "body", body))  # as the page and the JSON call them
            hits.append(Hit(resource, doc_kind, label, score, [
                (field_name, highlighted(passage)) for field_name, column, value in shown
                if START in (passage := snippet(marks[column], column, value))]))
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
        query = tantivy_query(searcher, parts)
        total = searcher.search(query, 1, count=True).count
        if not total:
            return {}
        found = searcher.search(query, total, count=False).hits
        ids = searcher.fast_field_values("id", [address for _, address in found])
        return {number: score for (score, _), number in zip(found, ids)}

    def _reader(self, parts: list[Part]) -> tantivy.Index | None:
        """The tantivy index as last committed; None when no word is to be looked up. Raises
        :class:`IndexBuilding` while it is built, or not built yet (a server builds it at start)."""
        if not parts:
            return None
        words = None if self.building() else _open_words(self._words)
        if words is None:
            raise IndexBuilding(str(self.path))
        return words

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
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # and lets the writer, and tantivy's writer lock, go


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
        register_analyzers(words)
        with _opened_guard:
            _opened.pop(path, None)
        return words
    signature = (meta.st_ino, meta.st_mtime_ns, meta.st_size)
    with _opened_guard:
        known = _opened.get(path)
        if known is None:
            words = tantivy.Index.open(str(path))
            register_analyzers(words)
            words.config_reader("manual")
        elif known[0] != signature:
            words = known[1]
            words.reload()
        else:
            return known[1]
        _opened[path] = (signature, words)
        return words


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
    number = doc_id(resource)
    doc = tantivy.Document()
    doc.add_integer("id", number)
    doc.add_text("kind", kind)
    for column, texts in (("name", names), ("body", bodies)):
        doc.add_text(column, SEPARATOR.join(texts))
        doc.add_text(column + PAIRS, word_pairs(texts))
    return (number, resource, kind, label, name, body), doc


def doc_id(resource: str) -> int:
    """The id of a resource's document: 63 bits of a hash of its IRI, so that SPARQL's
    functions know it without a lookup (two IRIs of the same id: one in about 10^9 at 100,000
    resources, and a duplicate id would only stop the second from being indexed)."""
    return int.from_bytes(hashlib.blake2b(resource.encode(), digest_size=8).digest(), "big") >> 1


def _stamp(db, version: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)", (version,))


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
