"""Store queries over many terms: each chunk of terms bound by a VALUES block of escaped terms
(never text pasted into the query)."""

from __future__ import annotations

from coprokg.store.base import where_start

CHUNK = 500


def query_values(store, query: str, variable: str, terms: list) -> list:
    """Rows of ``query`` for each chunk of ``terms`` bound by a VALUES block of escaped terms
    opening its WHERE group (Virtuoso 7 loses the rows of a SELECT DISTINCT with a trailing one)."""
    rows, where = [], where_start(query)
    for start in range(0, len(terms), CHUNK):
        values = " ".join(str(term) for term in terms[start:start + CHUNK])
        rows.extend(store.query(f"{query[:where]} VALUES ?{variable} {{ {values} }} {query[where:]}"))
    return rows
