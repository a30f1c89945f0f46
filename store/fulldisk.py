"""A write that fills the disk leaves the embedded store as it was, openable, with its space back.

Undoing a failed write by deleting what it wrote needs free space (RocksDB writes deletions
too), and a full disk has none: the store would stay stuck. So before a write, the database is
checkpointed into ``<store>/before-write/`` (RocksDB's checkpoint: hard links to its immutable
files, so it costs almost no space); when the disk fills, the database is closed, its folder
removed (which frees every file the failed write made) and the checkpoint put in its place.
A process killed in the middle is finished by :func:`settle` on the next open.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from pyoxigraph import Store as Oxigraph

from coprokg.errors import StoreError

CHECKPOINT = "before-write"
BEFORE_BLOCK = "before-block"  # the checkpoint of an undoable block of writes (Store.undoable)
DATABASE = "oxigraph"
FAILED = "failed-write"
RECOVERY = "free space on that disk (or move the store with 'coprokg export' and 'import'), then run the write again"


class StoreFull(StoreError):
    """The disk holding the store is full; the write was undone."""

    http_status = 507
    kind = "insufficient-storage"


def is_full(error: OSError) -> bool:
    return error.errno == errno.ENOSPC or "No space left on device" in str(error)


def full(location: str, detail: str) -> StoreFull:
    return StoreFull(f"the disk is full; the write was undone and the store is as it was before ({detail})",
                     where=location, hint=RECOVERY)


def checkpoint(db: Oxigraph, folder: Path, name: str = CHECKPOINT) -> Path:
    """A checkpoint of ``db`` in ``folder``/``name`` (any older one goes first)."""
    target = folder / name
    shutil.rmtree(target, ignore_errors=True)
    try:
        db.backup(str(target))
    except OSError as error:
        shutil.rmtree(target, ignore_errors=True)
        if is_full(error):
            raise full(str(folder), "no room even to begin it") from None
        raise StoreError(f"cannot prepare the write: {error}", where=str(folder)) from None
    return target


def discard(folder: Path, name: str = CHECKPOINT) -> None:
    """The write went through: its checkpoint is not needed."""
    shutil.rmtree(folder / name, ignore_errors=True)


def restore(folder: Path, name: str = CHECKPOINT) -> None:
    """Put the checkpoint in place of the database (which must be closed), by two renames,
    then remove the failed database, which frees its space."""
    (folder / DATABASE).rename(folder / FAILED)
    (folder / name).rename(folder / DATABASE)
    shutil.rmtree(folder / FAILED)


def settle(folder: Path) -> None:
    """Before opening: finish a restore a killed process began, or drop a stale checkpoint
    (a write under way when its process died is undone by the bulk journal instead)."""
    if (folder / FAILED).is_dir():
        if not (folder / DATABASE).exists():
            checkpoint = next(folder / name for name in (CHECKPOINT, BEFORE_BLOCK) if (folder / name).is_dir())
            checkpoint.rename(folder / DATABASE)
        shutil.rmtree(folder / FAILED)
    discard(folder)
    discard(folder, BEFORE_BLOCK)
