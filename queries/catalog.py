"""The catalog: every ``queries/*.rq`` file is a named, documented, parameterised question.

A file opens with a grlc header (https://github.com/CLARIAH/grlc#decorator-syntax), YAML
behind ``#+``::

    #+ summary: Which papers use a concept?
    #+ description: One row per paper ...
    #+ tags:
    #+   - concepts
    #+ defaults:
    #+   - concept: co-design

Parameters follow grlc's naming: ``?_name`` is required, ``?__name`` optional, and a suffix
gives the type (``?_concept_iri``, ``?__year_integer``, ``?_label_en``; none means a plain
string). A value becomes an RDF term (checked: an IRI must be an IRI, an integer an integer)
and enters the query as a ``VALUES`` row of that term in its escaped N-Triples form, never as
text pasted into the query. The row opens the query's outermost ``WHERE`` group, so the store
starts from the value given (a DOI finds its paper before anything is joined to it) and every
store, embedded or remote, answers the same text the same way (pyoxigraph's own substitutions
replace a variable rather than join on it, and apply to projected variables only). A query
therefore uses a parameter variable as already bound: in patterns, in filters, or in a ``BIND``
inside a nested group (a ``BIND`` to it in the outermost group would rebind it). It never
projects it: grlc replaces the variable by the value's text everywhere in the query, and
``SELECT "10.1080/..."`` is not SPARQL; a column derived from it (``BIND(... ?_doi ... AS ?doi)``)
shows what was asked instead. An optional parameter left out leaves its variable free.

A question whose answer grows with the graph is paged, as grlc's ``#+ pagination: 1000``
decorator pages it: it takes an optional ``page`` (from 1), and its text gets ``LIMIT 1000
OFFSET (page - 1) * 1000`` at its end (page 1 when none is given). A question may instead say
where the page is cut, by a comment line ``# page`` after a subquery's ``ORDER BY``: the
subquery then picks the page's rows before the outer query looks up their details, rather
than every row's. Being a comment, the line leaves the file a whole question when run as it is.

The folder is read on every call: a new ``.rq`` file is a new question, with no code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import yaml
from pyoxigraph import Literal, NamedNode

from coprokg.errors import CoprokgError
from coprokg.store.base import NOT_CODE, QueryResult, Store, Term, where_start

QUERIES_DIR = Path(__file__).resolve().parent
XSD = "http://www.w3.org/2001/XMLSchema#"

# grlc: ?_name / ?__name, then an optional type (and a second part for prefix_datatype).
_PARAMETER = re.compile(r"[?$](?P<variable>(?P<required>_{1,2})(?P<name>[A-Za-z0-9]+)(?:_(?P<type>[A-Za-z0-9]+))?)\b")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PAGE_CUT = re.compile(r"^[ \t]*# page[ \t]*$", re.MULTILINE)
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_TYPES = {
    "iri": "an IRI such as https://w3id.org/coproduction/concept/co-design",
    "string": "text",
    "literal": "text",
    "integer": "a whole number such as 2019",
    "decimal": "a number such as 2.5",
    "boolean": "true or false",
    "gYear": "a year such as 2019",
    "date": "a date such as 2019-06-30",
}
_CHECKS = {
    "integer": re.compile(r"^[+-]?\d+$"),
    "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    "boolean": re.compile(r"^(true|false)$"),
    "gYear": re.compile(r"^-?\d{4}$"),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
}
RESERVED = ("format", "csv")


class CatalogError(CoprokgError):
    """A catalog query that cannot be found, read or run with the values given."""


class UnknownQuery(CatalogError):
    exit_code = 2
    http_status = 404
    kind = "unknown-query"


class InvalidParameter(CatalogError):
    exit_code = 2
    http_status = 400
    kind = "invalid-parameter"


class InvalidQueryFile(CatalogError):
    http_status = 500
    kind = "invalid-query-file"


@dataclass(frozen=True)
class Parameter:
    name: str
    variable: str
    required: bool
    type: str
    default: str | None = None

    @property
    def expects(self) -> str:
        if _LANGUAGE.match(self.type):
            return f"text in language '{self.type}'"
        return _TYPES[self.type]

    def term(self, value: str, query: str) -> Term:
        """``value`` as the RDF term this parameter binds, or InvalidParameter saying why not."""
        if self.type == "iri":
            try:
                return NamedNode(value.strip())
            except ValueError as error:
                raise self._invalid(value, query, f"not an IRI: {error}") from None
        if self.type in ("string", "literal"):
            return Literal(value)
        if _LANGUAGE.match(self.type):
            return Literal(value, language=self.type)
        value = value.strip()
        if not _CHECKS[self.type].match(value):
            raise self._invalid(value, query, f"not {self.expects}")
        return Literal(value, datatype=NamedNode(XSD + self.type))

    def _invalid(self, value: str, query: str, reason: str) -> InvalidParameter:
        return InvalidParameter(
            f"parameter {self.name}={value!r} is {reason}", where=f"query {query}", hint=f"give {self.expects}"
        )


@dataclass(frozen=True)
class Query:
    name: str
    path: Path
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    text: str = field(repr=False)
    page_size: int | None = None  # grlc's ``pagination``: answers come a page at a time

    def page(self, values: Mapping[str, str]) -> int:
        """The page asked for (``page``, from 1; 1 when not given)."""
        value = (values.get("page") or "1").strip()
        if not value.isdigit() or int(value) < 1:
            raise InvalidParameter(f"parameter page={value!r} is not a page number", where=f"query {self.name}",
                                   hint="give a whole number from 1")
        return int(value)

    def bind(self, values: Mapping[str, str]) -> dict[str, Term]:
        """Substitutions for the store: the values given, then the defaults of required parameters.

        Raises InvalidParameter for a name the query does not take, a required value missing,
        or a value of the wrong type.
        """
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known) - set(RESERVED) - ({"page"} if self.page_size else set()))
        if unknown:
            takes = ", ".join(known) if known else "no parameters"
            raise InvalidParameter(
                f"unknown parameter {', '.join(unknown)}", where=f"query {self.name}", hint=f"it takes {takes}"
            )
        bound: dict[str, Term] = {}
        for parameter in self.parameters:
            value = values.get(parameter.name)
            if value in (None, "") and parameter.required:
                value = parameter.default
                if value is None:
                    raise InvalidParameter(
                        f"missing required parameter {parameter.name}",
                        where=f"query {self.name}",
                        hint=f"give {parameter.name}=<{parameter.expects}>",
                    )
            if value not in (None, ""):
                bound[parameter.variable] = parameter.term(value, self.name)
        return bound

    def sparql(self, values: Mapping[str, str] | None = None) -> str:
        """The query text with the bound values as a VALUES row of escaped terms opening its
        WHERE group, and, for a paged question, the page's LIMIT and OFFSET: at its ``# page``
        line if it has one, else at its end."""
        values = values or {}
        bound = self.bind(values)
        text = self.text
        if bound:
            names = " ".join(f"?{variable}" for variable in bound)
            terms = " ".join(str(term) for term in bound.values())
            start = where_start(text)
            if start is None:
                raise InvalidQueryFile("the query has no group pattern to bind parameters in", where=str(self.path))
            text = f"{text[:start]}\n  VALUES ({names}) {{ ({terms}) }}{text[start:]}"
        if self.page_size:
            cut = f"LIMIT {self.page_size} OFFSET {(self.page(values) - 1) * self.page_size}"
            text, marked = _PAGE_CUT.subn(lambda _: cut, text, count=1)
            if not marked:
                text += f"\n{cut}"
        return text

    def run(self, store: Store, values: Mapping[str, str] | None = None) -> QueryResult:
        return store.query(self.sparql(values))


def is_name(text: str) -> bool:
    """Whether ``text`` is written like a catalog query name (not a file or SPARQL text)."""
    return bool(_NAME.match(text))


def names(folder: Path = QUERIES_DIR) -> list[str]:
    return sorted(path.stem for path in folder.glob("*.rq"))


def catalog(folder: Path = QUERIES_DIR) -> list[Query]:
    """Every query of the folder, by name."""
    return [read(path) for path in sorted(folder.glob("*.rq"))]


def get(name: str, folder: Path = QUERIES_DIR) -> Query:
    if not _NAME.match(name) or not (folder / f"{name}.rq").is_file():
        raise UnknownQuery(
            f"no catalog query named {name!r}",
            hint="'coprokg queries' or GET /queries lists them" + _close(name, names(folder)),
        )
    return read(folder / f"{name}.rq")


def read(path: Path) -> Query:
    """Parse one ``.rq`` file: its grlc header and its parameters."""
    text = path.read_text(encoding="utf-8")
    header_lines = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            break
        header_lines.append(line[2:])
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}" if mark else str(path)
        raise InvalidQueryFile(f"unreadable header: {getattr(error, 'problem', error)}", where=where,
                               hint="the header is YAML after '#+' on each line") from None
    if not isinstance(header, dict):
        raise InvalidQueryFile("the header is not a set of 'key: value' lines", where=str(path))
    defaults = _defaults(header.get("defaults"), path)
    parameters = _parameters(text, defaults, path)
    undocumented = sorted(set(defaults) - {p.name for p in parameters})
    if undocumented:
        raise InvalidQueryFile(f"defaults for parameters the query does not take: {', '.join(undocumented)}", where=str(path))
    tags = header.get("tags") or []
    return Query(
        name=path.stem,
        path=path,
        summary=str(header.get("summary") or "").strip(),
        description=" ".join(str(header.get("description") or "").split()),
        tags=tuple(str(tag) for tag in (tags if isinstance(tags, list) else [tags])),
        parameters=parameters,
        text=text,
        page_size=_page_size(header.get("pagination"), path),
    )


def _page_size(value, path: Path) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidQueryFile(f"pagination must be a page size (a whole number from 1), not {value!r}", where=str(path))
    return value


def _defaults(value, path: Path) -> dict[str, str]:
    entries = value if isinstance(value, list) else [value] if value else []
    defaults: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            raise InvalidQueryFile(f"a default must be '- name: value', not {entry!r}", where=str(path))
        defaults.update({str(k): "" if v is None else str(v) for k, v in entry.items()})
    return defaults


def _parameters(text: str, defaults: Mapping[str, str], path: Path) -> tuple[Parameter, ...]:
    code = NOT_CODE.sub(" ", text)
    found: dict[str, Parameter] = {}
    for match in _PARAMETER.finditer(code):
        kind = match["type"] or "string"
        if kind not in _TYPES and not _LANGUAGE.match(kind):
            raise InvalidQueryFile(
                f"parameter ?{match['variable']} has unknown type {kind!r}",
                where=str(path),
                hint=f"use one of {', '.join(_TYPES)} or a two-letter language tag",
            )
        name = match["name"]
        parameter = Parameter(name, match["variable"], match["required"] == "_", kind, defaults.get(name))
        if found.setdefault(name, parameter) != parameter:
            raise InvalidQueryFile(f"parameter {name} is written two ways", where=str(path))
    return tuple(found.values())


def _close(name: str, known: list[str]) -> str:
    from difflib import get_close_matches

    matches = get_close_matches(name, known, n=3)
    return f"; did you mean {', '.join(matches)}?" if matches else ""
