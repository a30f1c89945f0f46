"""Dumps that cannot lie: written whole or not at all, and checked before they are restored.

``coprokg export`` ends every dump with one comment line (N-Quads and TriG both allow
comments), the seal::

    # coprokg-dump quads=69950 sha256=<hex digest of every byte before this line>

A dump cut short anywhere, even at a line boundary, loses or breaks its seal, and
``coprokg import`` refuses it. A file is written to a temporary file beside the target,
flushed to disk (fsync) and renamed over it, so a dump killed part-way leaves the previous
file as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import RdfFormat

from coprokg.errors import CoprokgError

SEAL = re.compile(rb"# coprokg-dump quads=(\d+) sha256=([0-9a-f]{64})\r?\n?\Z")


class DumpError(CoprokgError):
    """A dump that fails its completeness check, or cannot be written."""

    kind = "invalid-dump"


class _Hashing:
    """Passes bytes to ``sink`` and hashes them on the way."""

    def __init__(self, sink: BinaryIO):
        self.sink = sink
        self.digest = hashlib.sha256()

    def write(self, data) -> int:
        data = bytes(data)
        self.digest.update(data)
        return self.sink.write(data)

    def flush(self) -> None:
        self.sink.flush()


def write_sealed(store, sink: BinaryIO, format: RdfFormat) -> int:
    """Dump every graph of ``store`` to ``sink``, then the seal; returns the number of quads."""
    hashing = _Hashing(sink)
    count = store.dump(hashing, format)
    sink.write(f"# coprokg-dump quads={count} sha256={hashing.digest.hexdigest()}\n".encode())
    sink.flush()
    return count


def write_file(store, path: str | os.PathLike[str], format: RdfFormat) -> int:
    """:func:`write_sealed` into ``path``, atomically: the old file stays until the new one is
    whole on disk. The parent folder is made if it is missing."""
    path = Path(path)
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(handle, "wb") as sink:
            count = write_sealed(store, sink, format)
            os.fsync(sink.fileno())
        os.replace(temporary, path)
        temporary = None
        _fsync_folder(path.parent)
    except OSError as error:
        raise DumpError(f"cannot write the dump: {error.strerror or error}", where=str(path),
                        hint="free space or choose another place with -o; any earlier file there is unchanged") from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return count


def check(data: bytes, name: str) -> int:
    """The quad count the seal of ``data`` promises, once its checksum matches; DumpError if
    the seal is missing or does not match."""
    start = data.rfind(b"\n", 0, len(data.rstrip(b"\r\n"))) + 1
    seal = SEAL.match(data, start)
    force = "if the dump was not written by 'coprokg export', pass --force to import it unchecked"
    if seal is None:
        raise DumpError("the dump has no seal ('# coprokg-dump quads=... sha256=...' on its last line): it may be "
                        "cut short; nothing was imported", where=name, hint=f"export it again; {force}")
    actual = hashlib.sha256(data[:start]).hexdigest()
    if actual != seal[2].decode():
        raise DumpError(f"the dump does not match its seal (sha256 {actual[:12]}..., sealed {seal[2][:12].decode()}...): "
                        "it was cut short or changed after export; nothing was imported", where=name,
                        hint=f"export it again; {force}")
    return int(seal[1])


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX: the folder entry is written by fsync on the folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
