"""The curated literature: the files of ``manifest.toml``, loaded into a new store like any input."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
