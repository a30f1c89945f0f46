"""Settings as data: one table of name, default and help, read from ``COPROKG_*`` variables.

Every part of coprokg takes a :class:`Settings` object; nothing reads the environment
on its own. Tests build one from a dict with :meth:`Settings.load`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from typing import Any, Callable, Mapping

from coprokg.data import DATA_DIR
from coprokg.errors import ConfigError



@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str

    @property
    def env(self) -> str:
        return "COPROKG_" + self.name.upper()


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError("must be greater than 0")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError("must be 0 or greater")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise ValueError("must be between 0 and 65535")
    return value


def _base_iri(text: str) -> str:
    if not text.startswith(("http://", "https://")) or not text.endswith(("/", "#")):
        raise ValueError("must be an http(s) IRI ending in '/' or '#'")
    return text


def _public_url(text: str) -> str:
    if not text:
        return text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError("must be empty or an http(s) origin such as https://kg.example.org/ (no path)")
    return f"{parts.scheme}://{parts.netloc}/"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "store",
        "var/store",
        "Where the graph lives: a directory for the embedded Oxigraph store (relative to the "
        "working directory; made on first use at the default location or inside a folder that "
        "exists), or the http(s) URL of a SPARQL 1.1 query endpoint for a remote store.",
    ),
    Setting(
        "store_update",
        "",
        "Remote store only: the SPARQL 1.1 Update endpoint. Empty means derived from the store "
        "URL: a URL ending in /query becomes /update (Oxigraph), any other URL is used as is "
        "(Fuseki's /ds, Virtuoso's /sparql).",
    ),
    Setting(
        "store_timeout",
        10.0,
        "Remote store only: seconds one request to the SPARQL endpoint may take in all (connecting, "
        "the whole answer, and retries while it answers 429 or 503).",
        _positive_float,
    ),
    Setting(
        "base_iri",
        "https://w3id.org/coproduction/",
        "Base of every IRI coprokg mints; the server serves IRIs under it at the same path.",
        _base_iri,
    ),
    Setting(
        "data_dir",
        str(DATA_DIR),
        "The curated literature loaded into a new store on first use.",
    ),
    Setting(
        "load_max_mb",
        32,
        "Largest input file a load accepts, in MB; a larger file is refused before it is read (split it).",
        _positive_int,
    ),
    Setting("host", "127.0.0.1", "Interface the server listens on."),
    Setting("port", 8000, "Port the server listens on (0 picks a free port).", _port),
    Setting(
        "public_url",
        "",
        "The URL clients reach the server at, as an origin (https://kg.example.org/): it names the "
        "endpoint in the service description and VoID, and the Location of new graphs. The Host "
        "header of a request is never used. Empty means http://HOST:PORT/ of the listening address "
        "(the machine's name for HOST when the server listens on every interface).",
        _public_url,
    ),
    Setting(
        "threads",
        24,
        "Server threads: each request holds one until it is answered, a query waiting for a worker "
        "too; two are always left for other requests (see COPROKG_QUERY_QUEUE).",
        _positive_int,
    ),
    Setting(
        "connection_limit",
        1000,
        "Most connections the server holds open at once; further clients wait in the listen "
        "backlog until one closes.",
        _positive_int,
    ),
    Setting(
        "channel_timeout",
        30.0,
        "Seconds a connection may stay silent (no request running, no byte received) before the "
        "server closes it.",
        _positive_float,
    ),
    Setting(
        "read_timeout",
        30.0,
        "Seconds a client may take to send one whole request (headers and body); a slower one "
        "(a trickle of bytes) is disconnected.",
        _positive_float,
    ),
    Setting(
        "max_header_bytes",
        65536,
        "Largest request line and headers the server reads; larger gets 431.",
        _positive_int,
    ),
    Setting(
        "trusted_proxy",
        "",
        "Address of the reverse proxy in front of the server (such as 127.0.0.1); its "
        "X-Forwarded-For header then names the client, for the access log and each client's "
        "share of the query workers. Empty means no proxy is trusted.",
    ),
    Setting(
        "access_log",
        "",
        "Where the server writes one line per request (time, client, method, path, status, "
        "bytes, seconds, query hash): a file, or - for standard output. Empty means no access log.",
    ),
    Setting(
        "query_timeout",
        30.0,
        "Seconds a SPARQL query may run on the server before it is stopped (its worker process "
        "is killed and replaced) and the client gets 503.",
        _positive_float,
    ),
    Setting(
        "search_wait",
        10.0,
        "Seconds the server waits at start for its full-text index to be built (when missing or behind the "
        "store) before it serves anyway; search answers 503 with Retry-After until the build is done.",
        _positive_float,
    ),
    Setting(
        "query_workers",
        2,
        "Embedded store only: worker processes that run the server's SPARQL queries side by side.",
        _positive_int,
    ),
    Setting(
        "query_queue",
        16,
        "Queries that may wait for a free query worker; beyond that the server answers 503 with "
        "Retry-After. Never more than COPROKG_THREADS less the workers less two, so that /health, "
        "cached answers and writes always find a thread.",
        _non_negative_int,
    ),
    Setting(
        "client_queries",
        8,
        "Most queries one client (address) may have running or waiting at once; more get 429 "
        "with Retry-After. A client runs on at most half the query workers at a time (one at "
        "least), so others are served.",
        _positive_int,
    ),
    Setting(
        "max_rows",
        100000,
        "Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) one answer carries; a longer answer "
        "is cut there and says so in the header Coprokg-Truncated.",
        _positive_int,
    ),
    Setting(
        "max_body_bytes",
        10_000_000,
        "Largest request body the server reads (queries, updates, uploaded graphs); larger gets 413.",
        _positive_int,
    ),
    Setting(
        "max_get_query",
        8000,
        "Longest query text accepted in a GET URL; longer ones must be sent with POST.",
        _positive_int,
    ),
    Setting(
        "max_nesting",
        100,
        "Deepest nesting of { } and ( ) a query or update may have; deeper ones are refused "
        "before they run.",
        _positive_int,
    ),
    Setting(
        "cache_entries",
        256,
        "Answers the server keeps for repeated identical queries; every write empties the cache.",
        _non_negative_int,
    ),
    Setting(
        "releases",
        "",
        "Directory of releases written by 'coprokg release'; the server serves the newest at "
        "/dumps/ and its description at /.well-known/void. Empty means no release is served and "
        "/.well-known/void describes the live store.",
    ),
    Setting(
        "update_token",
        "",
        "Bearer token that allows writes over HTTP (POST /update, PUT/POST/DELETE /data). "
        "Empty means the server is read-only.",
    ),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}
DEFAULTS = {setting.name: setting.default for setting in SETTINGS}
SECRET = {"update_token"}  # shown as set or not, never printed


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any]
    origins: Mapping[str, str] = field(default_factory=dict)  # name -> where its value came from

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @classmethod
    def load(
        cls, overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> "Settings":
        """Defaults, then ``COPROKG_*`` variables, then ``overrides`` (already typed or text);
        ``origins`` records which of the three each value came from."""
        environ = os.environ if environ is None else environ
        values, origins = {}, {}
        for setting in SETTINGS:
            values[setting.name], origins[setting.name] = setting.default, "default"
            if setting.env in environ:
                values[setting.name] = _parse(setting, environ[setting.env], setting.env)
                origins[setting.name] = f"environment {setting.env}"
        for name, value in (overrides or {}).items():
            if name not in _BY_NAME:
                raise ConfigError(f"unknown setting {name!r}", hint=f"known: {', '.join(_BY_NAME)}")
            setting = _BY_NAME[name]
            values[name] = _parse(setting, value, name) if isinstance(value, str) else value
            origins[name] = f"option --{name.replace('_', '-')}"
        return cls(values, origins)

    @property
    def store_is_remote(self) -> bool:
        return str(self.store).startswith(("http://", "https://"))


def _parse(setting: Setting, text: str, where: str) -> Any:
    try:
        return setting.parse(text)
    except ValueError as error:
        raise ConfigError(
            f"invalid value {text!r} for {where}: {error}", hint=setting.help
        ) from None
