"""The pages a scholar reads in a browser: home, query editor and concept browser.

The editor runs queries from the browser against /sparql like any other client; the home
page and the concept browser ask the query engine (time limit, cache) the ``rq/ui-*.rq`` files beside this
module. Every script and stylesheet is served from ``static/``: no page reaches beyond
this server.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, current_app, make_response, render_template, request, send_from_directory, url_for
from rdflib.namespace import RDFS, SKOS

from coprokg import dataset
from coprokg.vocab import PREFIXES
from coprokg.queries import catalog
from coprokg.server.http import engine
from coprokg.server.page import href
from coprokg.server.void import citation
from coprokg.server.yasgui import editor_policy

bp = Blueprint("ui", __name__)
RQ = Path(__file__).parent / "rq"
STARTER = "SELECT ?class (COUNT(DISTINCT ?resource) AS ?resources)\nWHERE { ?resource a ?class }\nGROUP BY ?class\nORDER BY DESC(?resources)\nLIMIT 50\n"
# What uses a concept (ui-concept-use.rq ?kind), named in the singular and plural.
USES = (("papers", "paper", "papers"), ("practices", "practice", "practices"), ("cases", "case study", "case studies"))
NAV = (
    ("ui.home", "Home"),
    ("ui.editor", "Query editor"),
    ("papers.papers", "Papers"),
    ("ui.concepts", "Concepts"),
    ("catalog.index", "Questions"),
    ("catalog.matrix", "Evidence matrix"),
    ("charts.charts", "Charts"),
)


@bp.app_template_global()
def local_href(iri: str) -> str | None:
    """Where this server shows ``iri`` (:func:`coprokg.server.page.href`); None: show it as text."""
    return href(iri, current_app.config["SETTINGS"].base_iri)


@bp.app_context_processor
def navigation() -> dict:
    """The links every page carries; the current one is marked for assistive technology."""
    links = [(url_for(endpoint), text) for endpoint, text in NAV]
    links += [("/sparql", "SPARQL endpoint"), ("/ontology", "Ontology"), ("/.well-known/void", "Dataset (VoID)")]
    return {"nav_links": links, "current_path": request.path}


def _rows(name: str) -> list[dict]:
    """The solutions of ``rq/ui-<name>.rq`` as dicts of pyoxigraph terms (None when unbound)."""
    result = engine().solutions((RQ / f"ui-{name}.rq").read_text(encoding="utf-8"))
    variables = [v.value for v in result.variables]
    return [{name: solution[name] for name in variables} for solution in result]


@bp.get("/")
def home():
    counts = {name: int(term.value) for name, term in _rows("counts")[0].items()}
    return render_template("ui/home.html", counts=counts, citation=citation(), license=dataset.LICENSE)


@bp.get("/favicon.ico")
def favicon():
    """The site's icon where browsers look for it unasked (pages name /static/favicon.svg)."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)


@bp.get("/editor")
def editor():
    """YASGUI on this server's /sparql. ``?query=`` (a shared link) opens as a tab in the browser;
    ``?example=NAME`` opens a catalog question, its defaults bound, as a tab named after it."""
    examples = catalog.catalog(_catalog_folder())
    opened = None
    if request.args.get("example"):
        name = request.args["example"]
        opened = {"name": name, "query": _runnable(catalog.get(name, _catalog_folder()))}
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    prologue = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in prefixes.items())
    base = current_app.config["SETTINGS"].base_iri
    setup = {
        "endpoint": url_for("sparql.sparql"), "base": base, "local": urlsplit(base).path,
        "prefixes": prefixes, "starter": prologue + "\n" + STARTER, "opened": opened,
    }
    page = make_response(render_template("ui/editor.html", examples=examples, setup=setup))
    page.headers["Content-Security-Policy"] = editor_policy()
    return page


def _catalog_folder() -> Path:
    return current_app.config.get("QUERIES_DIR", catalog.QUERIES_DIR)


def _runnable(query: catalog.Query) -> str:
    """A catalog question as text that runs: its defaults bound where it has them."""
    try:
        return query.sparql()
    except catalog.InvalidParameter:
        return query.text


@dataclass
class Concept:
    iri: str
    label: str
    labels: list[str]
    definition: str | None
    uses: dict[str, int]
    children: list["Concept"] = field(default_factory=list)

    @property
    def usage(self) -> str:
        """'2 papers · 1 practice': what uses this concept, leaving out what does not."""
        counts = [(self.uses.get(kind, 0), one, many) for kind, one, many in USES]
        return " · ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts if n)

    def matches(self, needle: str) -> bool:
        return any(needle in label.casefold() for label in self.labels)


@dataclass
class Scheme:
    iri: str | None
    label: str
    definition: str | None
    roots: list[Concept]

    @property
    def size(self) -> int:
        def count(nodes):
            return sum(1 + count(node.children) for node in nodes)

        return count(self.roots)


@bp.get("/concepts")
def concepts():
    """Concept schemes as trees of their concepts; ``?q=`` keeps the branches whose labels match."""
    needle = request.args.get("q", "").strip()
    schemes = _schemes()
    if needle:
        for scheme in schemes:
            scheme.roots = _prune(scheme.roots, needle.casefold())
        schemes = [scheme for scheme in schemes if scheme.roots]
    return render_template("ui/concepts.html", schemes=schemes, q=needle)


def _schemes() -> list[Scheme]:
    texts = _texts()
    uses: dict[str, dict[str, int]] = defaultdict(dict)
    for row in _rows("concept-use"):
        uses[row["concept"].value][row["kind"].value] = int(row["uses"].value)
    broader: dict[str, set[str]] = defaultdict(set)
    for row in _rows("broader"):
        broader[row["concept"].value].add(row["broader"].value)
    members: dict[str | None, set[str]] = defaultdict(set)
    tops: dict[str | None, set[str]] = defaultdict(set)
    for row in _rows("concepts"):
        scheme = row["scheme"].value if row["scheme"] is not None else None
        members[scheme].add(row["concept"].value)
        if row["top"].value == "true":
            tops[scheme].add(row["concept"].value)
    for row in _rows("schemes"):
        members.setdefault(row["scheme"].value, set())

    schemes = []
    for scheme, inside in members.items():
        label, _, definition = (texts.get(scheme) or _untitled(scheme)) if scheme else ("Concepts in no scheme", [], None)
        roots = tops[scheme] | {c for c in inside if not broader[c] & inside}
        schemes.append(Scheme(scheme, label, definition, _tree(roots, inside, tops[scheme], broader, texts, uses)))
    return sorted(schemes, key=lambda s: (s.iri is None, s.label.casefold()))


def _tree(roots, inside, tops, broader, texts, uses, path: frozenset[str] = frozenset()) -> list[Concept]:
    """Concepts of one scheme from ``roots`` down through skos:broader within it, never round a cycle."""
    nodes = []
    for iri in roots:
        label, labels, definition = texts.get(iri) or _untitled(iri)
        narrower = {c for c in inside if iri in broader[c] and c not in tops and c not in path | {iri}}
        children = _tree(narrower, inside, tops, broader, texts, uses, path | {iri})
        nodes.append(Concept(iri, label, labels, definition, uses.get(iri, {}), children))
    return sorted(nodes, key=lambda concept: concept.label.casefold())


def _texts() -> dict[str, tuple[str, list[str], str | None]]:
    """Per concept or scheme: the label to show, every pref/alt label, and a definition (English first)."""
    found: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in _rows("labels"):
        found[row["resource"].value][row["property"].value].append(row["text"])
    texts = {}
    for iri, values in found.items():
        shown = _english(values[str(SKOS.prefLabel)]) or _english(values[str(RDFS.label)]) or _untitled(iri)[0]
        labels = [t.value for key in (SKOS.prefLabel, SKOS.altLabel, RDFS.label) for t in values[str(key)]]
        texts[iri] = (shown, list(dict.fromkeys(labels)) or [shown], _english(values[str(SKOS.definition)]))
    return texts


def _english(literals: list) -> str | None:
    ranked = sorted(literals, key=lambda t: (t.language not in ("en", None), t.language is not None, t.value))
    return ranked[0].value if ranked else None


def _untitled(iri: str) -> tuple[str, list[str], None]:
    name = iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return name, [name], None


def _prune(nodes: list[Concept], needle: str) -> list[Concept]:
    """The nodes that match or have a descendant that matches, with only such descendants."""
    kept = []
    for concept in nodes:
        concept.children = _prune(concept.children, needle)
        if concept.children or concept.matches(needle):
            kept.append(concept)
    return kept
