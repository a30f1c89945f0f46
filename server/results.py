"""Serialise a store answer in a negotiated format, cut at a row cap that is never silent.

pyoxigraph writes every answer: solutions as SPARQL TSV and triples as N-Triples, one row or
triple a line, into a writer that stops the store once it has one line more than the cap
(``max_rows`` + 1 tells whether the answer was cut). The lines kept are the answer, or are
read back and written in the format asked for
(https://www.w3.org/TR/sparql11-results-json/, XML, CSV; Turtle, JSON-LD, RDF/XML).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, parse, parse_query_results, serialize

from coprokg import csvguard, formats
from coprokg.errors import CoprokgError


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    rows: int | None = None  # rows or triples written; None for ASK
    truncated: bool = False


class NotAcceptable(CoprokgError):
    """The answer is of a kind (solutions or triples) that no format asked for fits."""

    http_status = 406
    kind = "not-acceptable"

    def __init__(self, answers: str):
        table = formats.RESULT_FORMATS if answers == "solutions" else formats.GRAPH_FORMATS
        super().__init__(
            f"the query answers with {answers}, and no format asked for fits them",
            where="Accept",
            hint="accept one of " + ", ".join(f.media_type for f in table) + "; or pass format=" + "|".join(f.name for f in table),
        )
        self.answers = answers


def write(result, wanted, max_rows: int) -> Answer:
    """Serialise ``result`` (QuerySolutions, QueryBoolean or triples) in the format of
    ``wanted`` (one format, or several: the first that fits the kind of answer)."""
    candidates = wanted if isinstance(wanted, (tuple, list)) else (wanted,)
    solutions = isinstance(result, (QuerySolutions, QueryBoolean))
    fmt = next((f for f in candidates if f is not None and isinstance(f.serializer, QueryResultsFormat) == solutions), None)
    if fmt is None:
        raise NotAcceptable("solutions" if solutions else "triples")
    if isinstance(result, QueryBoolean):
        return Answer(formats.serialize(result, fmt), fmt.media_type)
    if solutions:
        lines, rows, truncated = _capped(result, QueryResultsFormat.TSV, max_rows, header=1)
        body = lines if fmt.serializer == QueryResultsFormat.TSV else (
            parse_query_results(lines, QueryResultsFormat.TSV).serialize(format=fmt.serializer))
        return Answer(body, fmt.media_type, rows, truncated)
    lines, rows, truncated = _capped(result, RdfFormat.N_TRIPLES, max_rows, header=0)
    body = lines if fmt.serializer == RdfFormat.N_TRIPLES else (
        serialize(parse(lines, RdfFormat.N_TRIPLES), format=fmt.serializer))
    return Answer(body, fmt.media_type, rows, truncated)


def for_spreadsheets(answer: Answer, exact: bool) -> Answer:
    """A CSV answer with formula-like cells guarded (:mod:`coprokg.csvguard`) unless ``exact``."""
    if exact or answer.media_type != "text/csv":
        return answer
    return Answer(csvguard.guard(answer.body), answer.media_type, answer.rows, answer.truncated)


class _Full(Exception):
    pass


class _CappedWriter:
    """Collects what the store writes and stops it past ``limit`` lines."""

    def __init__(self, limit: int):
        self.limit = limit
        self.lines = 0
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            raise _Full
        return len(data)

    def flush(self) -> None:
        pass


def _capped(result, syntax, max_rows: int, *, header: int) -> tuple[bytes, int, bool]:
    """The first ``max_rows`` lines of ``result`` in a line-per-row ``syntax`` (after ``header``
    lines), how many rows that is, and whether there were more."""
    writer = _CappedWriter(header + max_rows)
    try:
        result.serialize(writer, format=syntax)
    except _Full:
        pass
    data = b"".join(writer.parts)
    if writer.lines <= header + max_rows:
        return data, max(writer.lines - header, 0), False
    end = -1
    for _ in range(header + max_rows):
        end = data.index(b"\n", end + 1)
    return data[: end + 1], max_rows, True
