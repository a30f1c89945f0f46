"""Loaders: one module per input format, and the shared pipeline (IRIs, dedupe, tagging, provenance).

The API (``from coprokg.loaders import load_files``) is imported on first use, so that minting IRIs
(``coprokg.loaders.iris``) does not pull in the parsers and pySHACL.
"""

from importlib import import_module

_API = ("AlreadyUndone", "InvalidInput", "LoadInfo", "LoadOptions", "LoadReport", "list_loads", "load_files", "load_rdf_bytes",
        "seed_curated", "unload", "validate_files")


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module("coprokg.loaders.api"), name)
    raise AttributeError(f"module 'coprokg.loaders' has no attribute {name!r}")


__all__ = list(_API)
