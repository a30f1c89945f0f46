"""Full-text search over the graph's words: an SQLite FTS5 index that follows the store.

What is indexed (``rq/search-entries.rq``): titles and abstracts of works, every label and
the definition of concepts, names and objectives of case studies, names of people and
practices, and the passages annotations quote (under the work they quote). The index keeps
what each named graph said (``entries``: graph, resource, field, text) and, from those, one
searchable document per resource (``docs``, indexed by FTS5): a load adds its graph's entries
and remakes the documents of the resources it touched; an unload removes the graph's entries
and remakes (or deletes) the same documents, with no need to ask the store what it held. The
index records the data version it reflects; when the store moved on without it (a SPARQL
Update, a restore, another server writing a shared remote store) or the file is missing, it
is rebuilt from the store.

Words are folded to lower case without diacritics (FTS5 ``unicode61 remove_diacritics 2``:
Kjellstrom finds Kjellström). Queries are words (all must match), "quoted phrases" and
prefixes (``copro*``), ranked by BM25 with names and titles weighing ten times more than
longer text (https://www.sqlite.org/fts5.html). The text people type never reaches FTS5's
query language as is: each word becomes a quoted FTS5 string.
"""

from __future__ import annotations

import hashlib
import html
import re
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from coprokg.vocab import SEARCH

ENTRIES_QUERY = (Path(__file__).parent / "rq" / "search-entries.rq").read_text(encoding="utf-8")
REMOTE_INDEX_DIR = Path("var/search")  # a remote store's index, one file per endpoint URL
KINDS = ("paper", "concept", "case study", "person", "practice")  # as rq/search-entries.rq names them
NAME_FIELDS = ("title", "prefLabel", "name", "label", "altLabel")  # the short fields, in the order labels are taken
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
  tag TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5 (
  tag, name, body, content = 'docs', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
"""
# the weights of the columns tag (the kind, only ever filtered on), name and body
RANK = "INSERT INTO words (words, rank) VALUES ('rank', 'bm25(0.0, 10.0, 1.0)')"
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


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


def fts_query(text: str) -> str:
    """The FTS5 query for what a person typed: every word and "phrase" must match; ``word*`` is
    a prefix. Each part is a quoted FTS5 string, so no text is read as FTS5 syntax. '' when
    nothing searchable is left."""
    parts = []
    for phrase, word in _TOKEN.findall(text):
        raw = phrase if phrase else word
        prefix = not phrase and raw.endswith("*")
        words = re.findall(r"\w+", raw)
        if words:
            parts.append('"' + " ".join(words) + '"' + ("*" if prefix else ""))
    return "{name body} : (" + " AND ".join(parts) + ")" if parts else ""


def _tag(kind: str) -> str:
    return kind.replace(" ", "")


def _of_kind(expression: str, kind: str) -> str:
    return f'tag : "{_tag(kind)}" AND {expression}'


class SearchIndex:
    """The index file of one store; every method opens its own connection (threads, processes)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    @classmethod
    def of(cls, store) -> "SearchIndex":
        """The index that belongs to ``store``: beside an embedded store's database, or under
        var/search/ for a remote store (one file per endpoint)."""
        if hasattr(store, "path"):
            return cls(Path(store.path) / "search.sqlite3")
        digest = hashlib.sha256(store.location.encode()).hexdigest()[:16]
        return cls(REMOTE_INDEX_DIR / f"{digest}.sqlite3")

    @contextmanager
    def _connection(self):
        new = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30)) as db:
            if new:
                db.execute("PRAGMA journal_mode = WAL")
                db.executescript(SCHEMA)
                db.execute(RANK)
            with db:  # one transaction: readers see the index before or after, never between
                yield db

    def version(self) -> str:
        """The store's data version the index reflects ('' when it was never built)."""
        if not self.path.exists():
            return ""
        with self._connection() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return row[0] if row else ""

    def follow(self, store) -> None:
        """Rebuild the index from ``store`` unless it reflects the store's data version."""
        if not self.path.exists() or self.version() != store.version():
            self.rebuild(store)

    def rebuild(self, store) -> None:
        entries = [row for graph in store.graphs() for row in _entries(store, graph.value)]
        with self._connection() as db:
            db.execute("DELETE FROM entries")
            db.execute("INSERT INTO words (words) VALUES ('delete-all')")
            db.execute("DELETE FROM docs")
            db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)", entries)
            _remake(db, {entry[1] for entry in entries})
            _stamp(db, store.version())

    def add_graph(self, store, graph: str) -> None:
        """Index what the named graph ``graph`` now holds (replacing what it held before)."""
        entries = list(_entries(store, graph))
        with self._connection() as db:
            touched = _forget(db, graph) | {entry[1] for entry in entries}
            db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)", entries)
            _remake(db, touched)
            _stamp(db, store.version())

    def drop_graph(self, store, graph: str) -> None:
        """Forget what a graph the store no longer has said."""
        with self._connection() as db:
            _remake(db, _forget(db, graph))
            _stamp(db, store.version())

    def search(self, text: str, *, kind: str | None = None, limit: int = 20, offset: int = 0) -> Results:
        """The resources matching ``text``, best first, with labels and highlighted passages."""
        expression = fts_query(text)
        if not expression or not self.path.exists():
            return Results(text, 0, [])
        wanted = _of_kind(expression, kind) if kind else expression
        with self._connection() as db:
            kinds = {name: db.execute("SELECT COUNT(*) FROM words WHERE words MATCH ?",
                                      (_of_kind(expression, name),)).fetchone()[0] for name in KINDS}
            rows = db.execute(
                "SELECT d.resource, d.kind, d.label, m.rank, m.short, m.long FROM (SELECT rowid, rank,"
                " snippet(words, 1, ?, ?, '…', 16) AS short, snippet(words, 2, ?, ?, '…', 16) AS long"
                " FROM words WHERE words MATCH ? ORDER BY rank LIMIT ? OFFSET ?) m JOIN docs d ON d.id = m.rowid"
                " ORDER BY m.rank", (START, END, START, END, wanted, limit, offset)).fetchall()
        hits = [Hit(resource, name, label, -rank, [(column, highlighted(snippet)) for column, snippet
                                                  in (("name", short), ("text", long)) if START in snippet])
                for resource, name, label, rank, short, long in rows]
        kinds = {name: n for name, n in sorted(kinds.items(), key=lambda item: -item[1]) if n}
        return Results(text, kinds.get(kind, 0) if kind else sum(kinds.values()), hits, kinds)

    def scores(self, text: str) -> dict[str, float]:
        """Every matching resource with its score (higher is better): what SPARQL's search
        functions read, once per query."""
        expression = fts_query(text)
        if not expression or not self.path.exists():
            return {}
        with closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)) as db:
            return {resource: -rank for resource, rank in db.execute(
                "SELECT d.resource, words.rank FROM words JOIN docs d ON d.id = words.rowid WHERE words MATCH ?",
                (expression,))}


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


def _remake(db, resources: set[str]) -> None:
    """Make the document of each resource anew from every graph's entries (none left: no document)."""
    for resource in resources:
        old = db.execute("SELECT id, tag, name, body FROM docs WHERE resource = ?", (resource,)).fetchone()
        if old:
            db.execute("INSERT INTO words (words, rowid, tag, name, body) VALUES ('delete', ?, ?, ?, ?)", old)
            db.execute("DELETE FROM docs WHERE id = ?", (old[0],))
        rows = db.execute("SELECT DISTINCT kind, field, lang, text FROM entries WHERE resource = ?"
                          " ORDER BY field, lang, text", (resource,)).fetchall()
        if not rows:
            continue
        kind = min((row[0] for row in rows), key=KINDS.index)
        names = [row for row in rows if row[1] in NAME_FIELDS]
        label = min(names, key=lambda row: (NAME_FIELDS.index(row[1]), row[2] not in ("en", ""), row[3]))[3] \
            if names else resource
        name = SEPARATOR.join(dict.fromkeys(row[3] for row in names))
        body = SEPARATOR.join(dict.fromkeys(row[3] for row in rows if row[1] not in NAME_FIELDS))
        rowid = db.execute("INSERT INTO docs (resource, kind, label, tag, name, body) VALUES (?, ?, ?, ?, ?, ?)",
                           (resource, kind, label, _tag(kind), name, body)).lastrowid
        db.execute("INSERT INTO words (rowid, tag, name, body) VALUES (?, ?, ?, ?)", (rowid, _tag(kind), name, body))


def _stamp(db, version: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)", (version,))


def highlighted(text: str) -> str:
    """A snippet as HTML: the text escaped, the hits in <mark>."""
    return html.escape(text).replace(START, "<mark>").replace(END, "</mark>")


def after_load(store, graph: str, before: str) -> None:
    """Keep ``store``'s index in step after a write into ``graph`` (``before``: the data version
    before the write): the graph's rows alone when the index was current, else all of it."""
    index = SearchIndex.of(store)
    if index.path.exists() and index.version() == before:
        index.add_graph(store, graph)
    else:
        index.rebuild(store)


def after_unload(store, graph: str, before: str) -> None:
    """Keep ``store``'s index in step after ``graph`` was dropped (see :func:`after_load`)."""
    index = SearchIndex.of(store)
    if index.path.exists() and index.version() == before:
        index.drop_graph(store, graph)
    else:
        index.rebuild(store)


def functions(index: SearchIndex) -> dict:
    """SPARQL functions over ``index``, for one query (each search is run once and kept):

    - ``search:score(?resource, "words")``: the resource's score for the words (xsd:double,
      higher is better), unbound when it does not match;
    - ``search:matches(?resource, "words")``: true or false.
    """
    found: dict[str, dict[str, float]] = {}

    def scores(text) -> dict[str, float] | None:
        if not isinstance(text, Literal):
            return None
        if text.value not in found:
            found[text.value] = index.scores(text.value)
        return found[text.value]

    def score(resource, text):
        matched = scores(text)
        value = matched.get(resource.value) if matched is not None and isinstance(resource, NamedNode) else None
        return None if value is None else Literal(value)

    def matches(resource, text):
        matched = scores(text)
        return None if matched is None else Literal(isinstance(resource, NamedNode) and resource.value in matched)

    return {NamedNode(str(SEARCH.score)): score, NamedNode(str(SEARCH.matches)): matches}
