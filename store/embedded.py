"""The embedded store: pyoxigraph on disk.

Layout of the store directory::

    <location>/oxigraph/   the Oxigraph (RocksDB) database
    <location>/version     the data version: "<store id>-<write counter>"
    <location>/snapshots/  read-only checkpoints of the database (see :meth:`snapshot`)
    <location>/pending-write.json  the journal of a bulk write under way (:mod:`coprokg.store.bulk`)
    <location>/before-write/  a checkpoint taken before each write, for a full disk (:mod:`coprokg.store.fulldisk`)

Oxigraph allows one process to open the database for writing; a second one gets
:class:`~coprokg.errors.StoreLocked`. :meth:`EmbeddedStore.handed_over` closes it for a
while so that another process (the server's update worker) may write it.
"""

from __future__ import annotations

import functools
import gc
import os
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Mapping

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store as Oxigraph, Variable

from coprokg.errors import QueryError, StoreError, StoreLocked, UpdateFailed
from coprokg.store import bulk, fulldisk, search, search_sparql
from coprokg.store.base import QueryResult, Store, Term, check_dataset_format, insert_data, syntax_error


def _holding(method):
    """Run ``method`` with the database open in this process (waiting while it is handed over)."""

    @functools.wraps(method)
    def held(self, *args, **kwargs):
        with self._handle:
            return method(self, *args, **kwargs)

    return held


class EmbeddedStore(Store):
    def __init__(self, location: str | os.PathLike[str]):
        self.path = Path(location)
        self.location = str(self.path)
        self._version_file = self.path / "version"
        self._journal = self.path / "pending-write.json"
        self._handle = threading.RLock()  # held while the database is used, or handed over
        self._db = _open(self.path)
        try:
            bulk.recover(self._db, self._journal)
        except OSError as error:
            if fulldisk.is_full(error):
                raise fulldisk.StoreFull("the disk is full: an interrupted write cannot be undone", where=self.location,
                                         hint=fulldisk.RECOVERY) from None
            raise

    @contextmanager
    def handed_over(self, *, as_store: bool = False):
        """Close the database for the duration, so that one other process may open it and
        write it (Oxigraph allows one writer); yields the database directory. Reopened after;
        the data version moves on unless the block raised. Every other use of the store
        waits meanwhile. A block that raises :class:`fulldisk.StoreFull` is undone from the
        checkpoint taken before it (:mod:`coprokg.store.fulldisk`).

        With ``as_store`` the other process opens the whole store (an EmbeddedStore on the
        directory yielded, the store's own), which keeps the version, the search index, the
        bulk journal and the full-disk undo itself: no checkpoint is taken here, and the
        version moves on here only if the block raised (a process that died may have
        written before it could)."""
        with self._handle:
            self._db.flush()
            if not as_store:
                fulldisk.checkpoint(self._db, self.path)
            self._db = None
            outcome = "raised"
            try:
                yield str(self.path) if as_store else str(self.path / "oxigraph")
                outcome = "done"
            except fulldisk.StoreFull:
                outcome = "raised" if as_store else "full"
                raise
            finally:
                if outcome == "full":
                    self._roll_back()
                else:
                    fulldisk.discard(self.path)
                    self._db = _open(self.path)
                    bulk.recover(self._db, self._journal)
                if outcome == ("raised" if as_store else "done"):
                    self._bump_version()

    @_holding
    def query(
        self,
        sparql: str,
        *,
        substitutions: Mapping[str, Term] | None = None,
        default_graph: list[NamedNode] | None = None,
        named_graphs: list[NamedNode] | None = None,
    ) -> QueryResult:
        options = {}
        if default_graph is not None:
            options["default_graph"] = default_graph or [DefaultGraph()]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = named_graphs
        if substitutions:
            options["substitutions"] = {Variable(k): v for k, v in substitutions.items()}
        options["custom_functions"] = search_sparql.functions(search.SearchIndex.of(self))
        try:
            return self._db.query(sparql, **options)
        except SyntaxError as error:
            raise syntax_error("query", error, sparql) from None
        except OSError as error:
            raise StoreError(f"cannot read the store: {error}", where=self.location) from None

    @_holding
    def update(self, sparql: str, base_iri: str | None = None) -> None:
        try:
            self._db.update(sparql, base_iri=base_iri)
        except SyntaxError as error:
            raise syntax_error("update", error, sparql) from None
        except OSError as error:
            raise _write_error(self.location, error) from None
        except RuntimeError as error:  # the update is well formed but cannot be carried out
            raise UpdateFailed(str(error)) from None
        self._bump_version()

    @_holding
    def add_quads(self, quads: Iterable[Quad], *, replace_graphs: Iterable[NamedNode] = ()) -> int:
        """Write quads all or nothing (see :meth:`Store.add_quads`); large writes into new
        graphs go through the bulk loader under a journal (:mod:`coprokg.store.bulk`)."""
        replace_graphs = list(replace_graphs)

        def write() -> int:
            if not replace_graphs:
                return bulk.write(self._db, quads, self._journal)
            written = list(quads)
            drops = "".join(f"DROP SILENT GRAPH {graph} ;\n" for graph in replace_graphs)
            # One SPARQL Update is one transaction: old content and new swap at once.
            self._db.update(drops + insert_data(written))
            return len(written)

        count = self._undoable_on_full_disk(write)
        if count or replace_graphs:
            self._bump_version()
        return count

    def _undoable_on_full_disk(self, write: Callable[[], int]) -> int:
        """Run ``write`` after a checkpoint (:mod:`coprokg.store.fulldisk`): a write that fills
        the disk is undone from it, any other failure just leaves it behind."""
        fulldisk.checkpoint(self._db, self.path)
        failed = None
        try:
            written = write()
        except OSError as error:
            failed = _write_error(self.location, error)
        finally:
            if not isinstance(failed, fulldisk.StoreFull):
                fulldisk.discard(self.path)
        if isinstance(failed, fulldisk.StoreFull):
            # outside the except clause: its traceback holds the write's handles on the database
            self._roll_back()
        if failed is not None:
            raise failed
        return written

    @contextmanager
    def undoable(self, graphs: Iterable[NamedNode]):
        """Put the whole database back as it was if the block raises, from a checkpoint taken
        before it (cheap: hard links; see :mod:`coprokg.store.fulldisk`). ``graphs`` is not
        needed here."""
        with self._handle:
            self._db.flush()
            fulldisk.checkpoint(self._db, self.path, fulldisk.BEFORE_BLOCK)
        before, failed = self.version(), False
        try:
            yield
        except BaseException:
            failed = self.version() != before  # a block that wrote nothing has nothing to undo
            raise
        finally:
            with self._handle:
                if failed:
                    self._roll_back(fulldisk.BEFORE_BLOCK)
                    self._bump_version()
                else:
                    fulldisk.discard(self.path, fulldisk.BEFORE_BLOCK)

    @_holding
    def drop_graph(self, graph: NamedNode) -> bool:
        if not self._db.contains_named_graph(graph):
            return False
        self._db.remove_graph(graph)
        self._bump_version()
        return True

    @_holding
    def graphs(self) -> list[NamedNode]:
        return sorted(
            (g for g in self._db.named_graphs() if isinstance(g, NamedNode)), key=lambda g: g.value
        )

    @_holding
    def dump(self, output: BinaryIO, format: RdfFormat = RdfFormat.N_QUADS) -> int:
        check_dataset_format(format)
        count = len(self._db)  # this process is the store's one writer: nothing changes meanwhile
        self._db.dump(output, format)
        return count

    @_holding
    def restore(self, source: BinaryIO | bytes, format: RdfFormat = RdfFormat.N_QUADS) -> int:
        check_dataset_format(format)
        before = len(self._db)

        def write() -> int:
            try:
                self._db.load(source, format)
            except SyntaxError as error:
                raise QueryError(f"not valid {format.name}: {error}", where="restore") from None
            return 0

        self._undoable_on_full_disk(write)
        self._bump_version()
        return len(self._db) - before

    def version(self) -> str:
        try:
            return self._version_file.read_text().strip()
        except FileNotFoundError:
            return ""

    def is_new(self) -> bool:
        return not self._version_file.exists()

    @_holding
    def count(self) -> int:
        return len(self._db)

    @_holding
    def flush(self) -> None:
        self._db.flush()

    @_holding
    def snapshot(self, target: str | os.PathLike[str]) -> None:
        """Write a checkpoint of the database to ``target`` (a new directory), cheaply: its
        immutable files are hard links. Other processes may open it with
        ``pyoxigraph.Store.read_only``; nothing ever writes to it."""
        self._db.flush()
        try:
            self._db.backup(str(target))
        except OSError as error:
            raise StoreError(f"cannot write a snapshot: {error}", where=str(target)) from None

    def close(self) -> None:
        self._db = None  # pyoxigraph releases the database when the object goes

    def _roll_back(self, checkpoint: str = fulldisk.CHECKPOINT) -> None:
        """Back to the checkpoint taken before the write that filled the disk, or before an
        undoable block that failed (see :mod:`coprokg.store.fulldisk`): the database is
        closed, replaced and opened again."""
        self._db = None
        gc.collect()  # nothing else may hold the database open while its folder is replaced
        fulldisk.restore(self.path, checkpoint)
        self._journal.unlink(missing_ok=True)
        self._db = _open(self.path)

    def _bump_version(self) -> None:
        store_id, _, counter = self.version().rpartition("-")
        store_id = store_id or uuid.uuid4().hex[:12]
        fresh = self._version_file.with_suffix(".tmp")
        fresh.write_text(f"{store_id}-{int(counter or 0) + 1}\n")
        fresh.replace(self._version_file)


def _write_error(location: str, error: OSError) -> StoreError:
    if fulldisk.is_full(error):
        return fulldisk.full(location, " ".join(str(error).split()))
    return StoreError(f"cannot write to the store: {error}", where=location)


def _open(path: Path) -> Oxigraph:
    try:
        path.mkdir(parents=True, exist_ok=True)
        fulldisk.settle(path)
        return Oxigraph(str(path / "oxigraph"))
    except OSError as error:
        reason = error.strerror or str(error)
        if "LOCK" in str(error):
            raise StoreLocked(
                "the store is open in another process",
                where=str(path),
                hint="stop the other coprokg process (a running 'coprokg serve'?) or use its HTTP endpoint",
            ) from None
        raise StoreError(
            f"cannot open or create the store directory: {reason}",
            where=str(path),
            hint="set COPROKG_STORE to a writable directory or to a SPARQL endpoint URL",
        ) from None
