"""The check and Oxigraph's own parser read generated queries alike: whatever mix of comments,
line ends, whitespace, escapes, strings and IRIs, a query Oxigraph would send out (a SERVICE
it evaluates) is one the check refuses, and a query the check lets through is one Oxigraph
reads, as written and as canonicalised, without reaching out.

Oxigraph runs each query on an empty in-memory store. Its SERVICE names port 9 (discard),
which Oxigraph refuses for HTTP before connecting: the error tells that it tried, and nothing
leaves the test."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st
from pyoxigraph import Store

from coprokg.errors import QueryError
from coprokg.server.safety import Refused, check_query

ENDPOINT = "<http://127.0.0.1:9/sparql>"
LINE_ENDS = ["\n", "\r", "\r\n", "\\u000D", "\\u000A", "\\U0000000d"]
SPACE = ["", " ", "\t", "\n", "\r", "\r\n", "  \t "]


def escaped(word: str) -> st.SearchStrategy[str]:
    """A keyword in any case, some letters written as codepoint escapes."""
    return st.lists(st.tuples(st.booleans(), st.booleans()), min_size=len(word), max_size=len(word)).map(
        lambda flags: "".join(
            (f"\\u{ord(c.upper()):04X}" if escape else c.upper() if upper else c.lower())
            for c, (upper, escape) in zip(word, flags)
        )
    )


comment_text = st.text(alphabet="abc {}<>\"'#?\\", max_size=12)
comment = st.builds(lambda text, end: f"#{text}{end}", comment_text, st.sampled_from(LINE_ENDS))
space = st.sampled_from(SPACE)
service = st.builds(
    lambda keyword, silent, gap: f"{keyword}{gap}{silent}{ENDPOINT} {{ ?s ?p ?o }}",
    escaped("service"),
    st.sampled_from(["", "SILENT ", "silent\t"]),
    st.sampled_from([" ", "\n", "\r", "\t"]),
)
string = st.builds(
    lambda quote, body: f"FILTER(?o != {quote}{body}{quote})",
    st.sampled_from(['"', "'", '"""', "'''"]),
    st.text(alphabet="ab #{}<>\\r\\n", max_size=10).map(lambda body: body.replace("\\", "\\\\")),
)
iri = st.sampled_from(["?s <http://example.org/p#x> ?o .", "?s <http://example.org/service> ?o .", "?s ?p ?o ."])
part = st.one_of(comment, space, service, string, iri)


def oxigraph_reads(text: str) -> str:
    """What Oxigraph does with the text: "syntax", "outbound" (it evaluated a SERVICE) or "ok"."""
    try:
        list(Store().query(text))
    except SyntaxError:
        return "syntax"
    except OSError as error:
        assert "port 9" in str(error), error
        return "outbound"
    return "ok"


def gate_reads(text: str):
    try:
        return check_query(text, lambda: [], max_nesting=100)
    except Refused:
        return "refused"
    except QueryError:
        return "syntax"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(part, max_size=8), space)
def test_the_check_and_oxigraph_agree(parts, before):
    text = f"SELECT * WHERE {{{before}" + " ".join(parts) + "\n}"
    gate = gate_reads(text)
    engine = oxigraph_reads(text)
    if engine == "outbound":
        assert gate == "refused", "Oxigraph would reach out; the check let it through"
    if gate not in ("refused", "syntax"):
        assert engine != "outbound"
        assert oxigraph_reads(gate.text) == "ok", "the text checked is not the text Oxigraph reads"
    if engine == "syntax":
        assert gate in ("refused", "syntax"), "the check read a query Oxigraph cannot"
