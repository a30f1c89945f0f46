"""coprokg: a knowledge graph of the coproduction literature."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coprokg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
