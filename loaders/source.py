"""One input: its bytes, its checksum, and its text once it is known to be UTF-8.

Files must be UTF-8 (a byte order mark is accepted and dropped). Anything else, Latin-1 or
Windows-1252 from an old reference manager, is refused with the place of the first bad byte
and the command that converts it: guessing an encoding silently corrupts names.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from coprokg.loaders.report import InvalidInput, Origin, Report

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Source:
    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> "Source":
        path = Path(path)
        origin = Origin(str(path))
        report = Report()
        try:
            size = path.stat().st_size
        except OSError as error:
            report.error(origin, f"cannot read the file: {error.strerror or error}", "check the path")
            raise InvalidInput(report) from None
        if size > max_bytes:
            report.error(origin, f"the file is {size / 2**20:.1f} MB, over the limit of {max_bytes / 2**20:.0f} MB",
                         "split it into smaller files, or raise COPROKG_LOAD_MAX_MB")
            raise InvalidInput(report)
        return cls(str(path), path.read_bytes())

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def origin(self) -> Origin:
        return Origin(self.name)

    @cached_property
    def text(self) -> str:
        """The file as NFC text; :class:`InvalidInput` if it is empty or not UTF-8."""
        data = self.data[len(BOM):] if self.data.startswith(BOM) else self.data
        report = Report()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            report.error(Origin(self.name, line), f"the file is not UTF-8: byte 0x{data[error.start]:02X} at column {column}"
                         " (Latin-1 or Windows-1252?)",
                         "export it again as UTF-8, or convert it: iconv -f latin1 -t utf-8 IN > OUT")
            raise InvalidInput(report) from None
        if not text.strip():
            report.error(self.origin, "the file is empty", "export the records again; nothing was loaded")
            raise InvalidInput(report)
        return unicodedata.normalize("NFC", text)
