"""The literature browser's summary, ``graph/summaries/browser`` (a derivation of
:mod:`coprokg.store.derived`): what ``/papers`` would otherwise compute over every work on every
request.

For every work (a resource of one of the browser's types):

- ``cop:browserLabel``: its label as the browser lists it, works that print alike told apart
  ('Ostrom 1996a', 'Ostrom 1996b', by title), so a work keeps its letter in any selection;
- ``cop:citationKey`` and ``cop:citationSuffix``: its BibTeX/RIS/CSL key and the letter its
  author-year label takes (:func:`coprokg.server.citations.tell_apart`), among every work;
- ``cop:citedByCount``: how many works cite it;
- ``cop:yearRank``, ``cop:titleRank``, ``cop:citedRank``: its place (from 1) in each of the
  browser's sort orders (newest first, by title, most cited first).

For the whole literature: ``cop:worksCount`` of the graph's own IRI, the number of works; per
facet (``<graph>/facet/<name>``), ``cop:facetName`` and ``cop:valueCount``, how many values it
has; and per facet and value (``<graph>/facet/<name>/<rank>``), ``cop:facetName``,
``cop:facetValue``, ``rdfs:label``, ``cop:worksCount`` and ``cop:facetRank`` (1 for the value
with most works). With these the browser
lists any page of every work, and its facets, by index lookups alone.
"""

from __future__ import annotations

from collections import defaultdict
from weakref import WeakKeyDictionary

from pyoxigraph import Literal, NamedNode, Triple

from coprokg.store.subject_summary import integer
from coprokg.vocab import COP, GRAPH, RDFS

DERIVATION = "browser"  # its name in the registry of derivations
SUMMARY_GRAPH = NamedNode(str(GRAPH["summaries/browser"]))
METHOD = ("every work of the literature browser's types with its told-apart label, citation key, times cited and "
          "rank in each sort order; the number of works of every facet value, ranked; read from every graph the "
          "derivations before it leave")

PREFIXES = """
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX cop: <https://w3id.org/coproduction/ontology#>
"""
# the types of papers-selection.rq's selection
TYPES = """VALUES ?type { bibo:AcademicArticle bibo:Book bibo:BookSection bibo:Report bibo:Webpage bibo:Document
                       bibo:Thesis fabio:JournalArticle fabio:Preprint }"""
WORKS = PREFIXES + f"SELECT DISTINCT ?paper WHERE {{ ?paper a ?type . {TYPES} }}"
FIELDS = PREFIXES + """SELECT ?paper ?field ?value WHERE {
  { ?paper rdfs:label ?value . BIND("label" AS ?field) }
  UNION { ?paper dcterms:title ?value . BIND("title" AS ?field) }
  UNION { ?paper dcterms:issued ?value . BIND("issued" AS ?field) }
}"""
CITED = PREFIXES + "SELECT ?paper (COUNT(DISTINCT ?citing) AS ?n) WHERE { ?citing cito:cites ?paper } GROUP BY ?paper"
# as papers-records.rq reads authors: in author-list order, or the creators of a work without one
# (each person's names are read apart and joined here: the store joins them slowly)
MEMBERS = PREFIXES + """SELECT ?paper ?member ?person WHERE {
  ?paper bibo:authorList ?list . ?list ?member ?person . FILTER(STRSTARTS(STR(?member), STR(rdf:_)))
}"""
CREATORS = PREFIXES + """SELECT ?paper ?person WHERE {
  ?paper dcterms:creator ?person . FILTER NOT EXISTS { ?paper bibo:authorList ?anyList }
}"""
NAMES = PREFIXES + """SELECT ?person ?family ?given ?name WHERE {
  { ?person foaf:familyName ?family } UNION { ?person foaf:givenName ?given } UNION { ?person foaf:name ?name }
}"""
# facet: the pattern relating ?paper to ?value (as papers-facets.rq's branches)
FACETS = {
    "model": "?paper cop:modelType ?value", "discipline": "?paper cop:discipline ?value",
    "country": "?paper cop:authorCountry ?value", "concept": "?paper dcterms:subject ?value",
    "review": "?value cito:reviews ?paper", "list": "?value cito:cites ?paper",
    "case": "?value cop:reportedIn ?paper ; a cop:CaseStudy",
}
FACET_COUNT = PREFIXES + "SELECT ?value (COUNT(DISTINCT ?paper) AS ?n) WHERE {{ ?paper a ?type . {types} {pattern} }} GROUP BY ?value"
LABELS = PREFIXES + """SELECT ?value ?preferred ?label WHERE {
  { ?value skos:prefLabel ?preferred FILTER(LANGMATCHES(LANG(?preferred), "en") || LANG(?preferred) = "") }
  UNION { ?value rdfs:label ?label }
}"""


_DERIVED: WeakKeyDictionary = WeakKeyDictionary()  # store: how many times its summary was derived here


def state(store) -> tuple[str, int]:
    """The store's data version and how many times its summary was derived in this process."""
    return store.version(), _DERIVED.get(store, 0)


def follow(store, before: tuple[str, int]) -> None:
    """After a write that changed the store (``before``: :func:`state` before it) without
    refreshing its derived graphs (a SPARQL Update, a write of one graph), derive the summary
    again, so that the browser lists what the store holds."""
    version, derived = state(store)
    if version != before[0] and derived == before[1]:
        from coprokg.store import derived as derivations  # it lists this module's derivation

        derivations.refresh_one(store, DERIVATION)


def summarise(store, graphs: list[NamedNode]) -> list[Triple]:
    """The summary's triples, read from every graph of ``store`` (as the browser's queries read
    it: the graphs it derives from, ``graphs``, and those derived before it)."""
    from coprokg.server import citations  # the keys as the downloads make them

    _DERIVED[store] = _DERIVED.get(store, 0) + 1

    def rows(text: str):
        return store.query(text)

    works = {row["paper"].value: citations.Record(row["paper"].value) for row in rows(WORKS)}
    for row in rows(FIELDS):
        work = works.get(row["paper"].value)
        if work is not None:
            known = work.fields.get(row["field"].value)
            if known is None or row["value"].value < known:  # the same value whatever order the store answers in
                work.fields[row["field"].value] = row["value"].value
    cited = {row["paper"].value: int(row["n"].value) for row in rows(CITED) if row["paper"].value in works}
    for iri, names in authors(rows, works).items():
        works[iri].authors = names
    citations.tell_apart(list(works.values()))

    triples: list[Triple] = []
    add = lambda s, p, o: triples.append(Triple(s, NamedNode(str(p)), o))  # noqa: E731

    year = {iri: int(w.year) if w.year.isdigit() else 0 for iri, w in works.items()}
    title = {iri: w.fields.get("title", "").casefold() for iri, w in works.items()}
    label = {iri: w.fields.get("label") or w.fields.get("title", "") for iri, w in works.items()}
    for iri, letter in told_apart(label, title, year).items():
        label[iri] += letter
    orders = {
        COP.yearRank: sorted(works, key=lambda iri: (-year[iri], title[iri], iri)),
        COP.titleRank: sorted(works, key=lambda iri: (title[iri], iri)),
        COP.citedRank: sorted(works, key=lambda iri: (-cited.get(iri, 0), -year[iri], iri)),
    }
    for iri, work in works.items():
        node = NamedNode(iri)
        add(node, COP.browserLabel, Literal(label[iri]))
        add(node, COP.citationKey, Literal(work.key))
        if work.suffix:
            add(node, COP.citationSuffix, Literal(work.suffix))
        add(node, COP.citedByCount, integer(cited.get(iri, 0)))
    for predicate, order in orders.items():
        for rank, iri in enumerate(order, 1):
            add(NamedNode(iri), predicate, integer(rank))
    add(SUMMARY_GRAPH, COP.worksCount, integer(len(works)))
    for facet, counts in facet_counts(rows, works).items():
        if not counts:
            continue
        names = value_labels(rows, [value for value in counts if isinstance(value, NamedNode)])
        named = {value: names.get(value) or value.value.rstrip("/").rsplit("/", 1)[-1] for value in counts}
        whole = NamedNode(f"{SUMMARY_GRAPH.value}/facet/{facet}")
        add(whole, COP.facetName, Literal(facet))
        add(whole, COP.valueCount, integer(len(counts)))
        ranked = sorted(counts, key=lambda value: (-counts[value], named[value], value.value))
        for rank, value in enumerate(ranked, 1):
            node = NamedNode(f"{whole.value}/{rank}")
            add(node, COP.facetName, Literal(facet))
            add(node, COP.facetValue, value)
            add(node, RDFS.label, Literal(named[value]))
            add(node, COP.worksCount, integer(counts[value]))
            add(node, COP.facetRank, integer(rank))
    return triples


def authors(rows, works) -> dict[str, list[tuple[str, str]]]:
    """Each work's (family, given) names in author-list order; for a work without an author
    list, its creators (family name, else name, else IRI)."""
    family, given, name = {}, {}, {}
    for row in rows(NAMES):
        for found, column in ((family, "family"), (given, "given"), (name, "name")):
            if row[column] is not None:
                key = row["person"]
                found[key] = min(found.get(key, row[column].value), row[column].value)
    listed: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for row in rows(MEMBERS):
        iri, person = row["paper"].value, row["person"]
        if iri in works and person in family:
            position = int(row["member"].value.rsplit("_", 1)[-1])
            listed[iri].setdefault(position, (family[person], given.get(person, "")))
    for row in rows(CREATORS):
        iri, person = row["paper"].value, row["person"]
        if iri in works:
            who = family.get(person) or name.get(person) or person.value
            listed[iri].setdefault(len(listed[iri]) + 1, (who, given.get(person, "")))
    return {iri: [names[n] for n in sorted(names)] for iri, names in listed.items()}


def told_apart(label: dict[str, str], title: dict[str, str], year: dict[str, int]) -> dict[str, str]:
    """The letter ('a', 'b'...) of each work whose label prints like another's ('Ostrom 1996'),
    in the order of their titles, for labels that end with the work's year."""
    from coprokg.server.citations import letters

    alike: dict[str, list[str]] = defaultdict(list)
    for iri, text in label.items():
        alike[text.casefold()].append(iri)
    found = {}
    for group in alike.values():
        if len(group) > 1:
            for n, iri in enumerate(sorted(group, key=lambda iri: (title[iri], iri))):
                if year[iri] and label[iri].endswith(str(year[iri])):
                    found[iri] = letters(n)
    return found


def facet_counts(rows, works) -> dict[str, dict]:
    """Per facet: the number of works of each of its values; per year, the works of that year."""
    counted = {facet: {row["value"]: int(row["n"].value) for row in rows(FACET_COUNT.format(types=TYPES, pattern=pattern))}
               for facet, pattern in FACETS.items()}
    years: dict[int, int] = defaultdict(int)
    for work in works.values():
        if work.year.isdigit():
            years[int(work.year)] += 1
    counted["year"] = {integer(y): n for y, n in years.items()}
    return counted


def value_labels(rows, values: list[NamedNode]) -> dict[NamedNode, str]:
    """The label of each of ``values`` that has one (an English or untagged skos:prefLabel first)."""
    wanted = set(values)
    preferred, other = {}, {}
    for row in rows(LABELS):
        value = row["value"]
        if value in wanted:
            if row["preferred"] is not None:
                preferred[value] = min(preferred.get(value, row["preferred"].value), row["preferred"].value)
            elif row["label"] is not None:
                other[value] = min(other.get(value, row["label"].value), row["label"].value)
    return {**other, **preferred}
