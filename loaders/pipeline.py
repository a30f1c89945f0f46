"""The load pipeline, the same for every format.

1. read each file with its format's module (records keep file, line and key);
2. recognise papers already in the store or repeated in the input, and merge them;
3. build the triples and tag concepts;
4. validate against the shapes, chunk by chunk, reporting file, record, field and value;
5. keep only what the store does not hold yet, and write it with its PROV-O record in one
   transaction: all or nothing.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone

from pyoxigraph import NamedNode, Quad
from rdflib import Literal, URIRef
from tqdm import tqdm

from coprokg.vocab import VOCAB_BASE
from loaders import concepts as concept_index
from loaders.build import Context, work_triples
from loaders.cases import Case, case_iri, case_triples
from loaders.dedupe import assign, known, merge, query_values, stored_papers
from loaders.history import Counts, LOADS_GRAPH, agent_iri, load_graph, loads_with_checksum, new_load_id, provenance
from loaders.rdf import RdfPart
from loaders.registry import for_path, suffixes
from loaders.report import InvalidInput, Origin, Problem, Report
from loaders.source import DEFAULT_MAX_BYTES, Source
from loaders.store_terms import SINGLE_VALUED, to_oxigraph
from loaders.tagger import tag_triples, tags
from loaders.work import Work
from shapes.validate import ChunkValidator

CHUNK = 500
TRIPLES_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
GRAPH_TRIPLES_QUERY = "SELECT ?s ?p ?o WHERE {{ VALUES ?g {{ {graph} }} GRAPH ?g {{ ?s ?p ?o }} }}"  # an escaped IRI
_BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
FIELDS = {"issued": "year", "creator": "authors", "familyName": "authors", "name": "authors", "givenName": "authors",
          "isPartOf": "container", "doi": "doi", "title": "title", "label": "name", "abstract": "abstract"}


@dataclass
class LoadOptions:
    cited_by: list[str] = field(default_factory=list)
    reviewed_in: list[str] = field(default_factory=list)
    max_bytes: int = DEFAULT_MAX_BYTES
    base: str = VOCAB_BASE
    agent: URIRef | None = None
    progress: bool = False


@dataclass
class LoadReport:
    files: list[str]
    load_id: str | None = None
    records: int = 0
    counts: Counts = field(default_factory=Counts)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    already_loaded_as: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def summary(self) -> str:
        c = self.counts
        text = (f"{self.records} records: {c.added} papers added, {c.merged} merged with papers already known, "
                f"{c.tagged} tagged, {c.triples} triples, {len(self.warnings)} warnings")
        if self.dry_run:
            return f"dry run, nothing written: {text}"
        if self.load_id is None:
            again = f" (already loaded as {', '.join(self.already_loaded_as)})" if self.already_loaded_as else ""
            return f"nothing new to add{again}: {text}"
        return f"load {self.load_id}: {text}"


@dataclass
class Prepared:
    triples: list[tuple]
    origins: dict
    counts: Counts
    records: int
    quads: list[tuple] = field(default_factory=list)  # the triples as store terms, without repeats


def read_sources(paths, options: LoadOptions, report: Report) -> list[Source]:
    sources = []
    for path in paths:
        if for_path(path) is None:
            report.error(Origin(str(path)), "unknown file format", f"name the file with one of: {' '.join(suffixes())}")
            continue
        try:
            sources.append(Source.from_path(path, options.max_bytes))
        except InvalidInput as error:
            report.problems.extend(error.report.problems)
    return sources


def prepare(sources: list[Source], store, options: LoadOptions, report: Report, reader=None) -> Prepared:
    """Steps 1-4: read, merge, build, tag and validate; raises InvalidInput on any error."""
    records = []
    for source in sources:
        read = reader or for_path(source.name).read
        try:
            records.extend(read(source, report))
        except InvalidInput as error:
            report.problems.extend(error.report.problems)
    report.raise_if_errors()
    index = concept_index.from_store(store) if store is not None else concept_index.from_files()
    works = [r for r in records if isinstance(r, Work)]
    stored = stored_papers(store, works) if store is not None and works else []
    groups = assign(works, options.base, report, stored)
    in_store = known(store, list(groups)) if store is not None else set()
    ctx = Context(index, report, options.base, list(options.cited_by), list(options.reviewed_in))
    counts = Counts(added=len(groups) - len(in_store),
                    merged=len(works) - len(groups) + len(in_store))
    prepared = Prepared([], {}, counts, len(records))
    validator = ChunkValidator(parallel=len(records) > CHUNK)
    try:
        _build(records, groups, works, ctx, index, options, prepared, report, validator)
        # Store terms for the commit, made while the last chunks are validated.
        if not report.errors:
            prepared.quads = list(dict.fromkeys(to_oxigraph(t) for t in prepared.triples))
        _report(validator.results(), prepared.origins, report)
    finally:
        validator.close()
    report.raise_if_errors()
    return prepared


def _build(records, groups, works, ctx, index, options, prepared, report, validator) -> None:
    """Steps 3-4 record by record: triples, tags, and validation chunk by chunk."""
    counts = prepared.counts
    units: list[tuple[Origin, list[tuple], list[tuple]]] = []
    bar = tqdm(total=len(groups) + len(records) - len(works), unit="record", file=sys.stderr,
               disable=not options.progress or len(records) < 1000)
    for iri, group in groups.items():
        work = merge(group, report) if len(group) > 1 else group[0]
        found = tags(index, [work.title, work.abstract, *work.keywords])
        counts.tagged += bool(found)
        units.append((work.origin, work_triples(work, URIRef(iri), ctx), tag_triples(URIRef(iri), found, options.base)))
        if len(units) >= CHUNK:
            _check(units, prepared, report, validator)
            bar.update(len(units))
            units = []
    for record in records:
        if isinstance(record, Case):
            units.append((record.origin, case_triples(record, case_iri(record, options.base), ctx), []))
        elif isinstance(record, RdfPart):
            units.append((record.origin, record.triples, []))
    _check(units, prepared, report, validator)
    bar.update(len(units))
    bar.close()


def _check(units: list[tuple[Origin, list[tuple], list[tuple]]], prepared: Prepared, report: Report,
           validator: ChunkValidator) -> None:
    """Remember where each subject came from, check literal text, and validate one chunk.

    A unit is a record's origin, the triples read from it, and the triples derived from them
    (the tagger's annotations): the shapes check what came from the input; the tagger's output
    is checked against the same shapes by its tests.
    """
    if not units:
        return
    chunk: list[tuple] = []
    origins = prepared.origins
    for origin, triples, derived in units:
        prepared.triples.extend(derived)
        for s, p, o in triples:
            if s not in origins:
                origins[s] = origin if origin.key or origin.line else Origin(origin.file, key=str(s))
            if isinstance(o, Literal) and _BAD_TEXT.search(str(o)):
                report.error(origins[s], "the text holds a control character (such as NUL) or a broken character",
                             "remove it; export the file again as UTF-8 text", field=_field(p),
                             value=str(o).encode("utf-8", "backslashreplace").decode("utf-8"))
        chunk.extend(triples)
        prepared.triples.extend(triples)
    validator.submit(chunk)


def _report(results: list, origins: dict, report: Report) -> None:
    for result in results:
        origin = origins.get(result.focus, Origin("input", key=str(result.focus)))
        value = None if result.value is None or result.value == result.focus else str(result.value)
        (report.error if result.severity == "error" else report.warning)(
            origin, result.message, field=FIELDS.get(result.field, result.field), value=value)


def _field(predicate) -> str:
    local = str(predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return FIELDS.get(local, local)


def new_triples(store, prepared: Prepared, report: Report, graph: URIRef | None = None) -> list[tuple]:
    """Step 5a: the prepared triples the store (or ``graph``, when given) does not hold, without
    overriding a stored value of a single-valued property (the stored value is kept, with a warning)."""
    quads = prepared.quads
    subjects = list({t[0] for t in quads if isinstance(t[0], NamedNode)})
    existing: dict[tuple, set] = {}
    query = TRIPLES_QUERY if graph is None else GRAPH_TRIPLES_QUERY.format(graph=NamedNode(str(graph)))
    for row in query_values(store, query, "s", subjects):
        existing.setdefault((row["s"], row["p"]), set()).add(row["o"])
    fresh = []
    warned = set()
    for s, p, o in quads:
        stored = existing.get((s, p))
        if stored is not None and o in stored:
            continue
        if stored and p.value in SINGLE_VALUED:
            if (s, p) not in warned:
                warned.add((s, p))
                origin = prepared.origins.get(URIRef(s.value), Origin("input", key=s.value))
                report.warning(origin, "the store already has a different value; the stored one is kept",
                               "unload the earlier load first to replace it", field=_field(p.value), value=o.value)
            continue
        fresh.append((s, p, o))
    return fresh


def run(store, sources: list[Source], options: LoadOptions, *, dry_run: bool = False, reader=None,
        graph: URIRef | None = None, replace: bool = False) -> LoadReport:
    """Prepare ``sources`` and, unless ``dry_run``, write them as one load. ``graph`` names the
    graph to write (default: a new ``graph/load/<id>``); ``replace`` empties it first."""
    report = Report()
    started = datetime.now(timezone.utc)
    # A write into a named graph (the Graph Store Protocol's) is made whether or not the same
    # bytes went elsewhere before; a load into a graph of its own is skipped when they did.
    already = [] if store is None or graph is not None else [loads_with_checksum(store, s.sha256) for s in sources]
    if already and all(already) and not dry_run:
        return LoadReport([s.name for s in sources], already_loaded_as=sorted({i for ids in already for i in ids}))
    prepared = prepare(sources, store, options, report, reader)
    result = LoadReport([s.name for s in sources], records=prepared.records, counts=prepared.counts,
                        problems=report.problems, dry_run=dry_run)
    data = prepared.quads if replace else new_triples(store, prepared, report, graph)
    prepared.counts.triples = len(data)
    if dry_run:
        return result
    if not data and not replace:
        return result
    load_id = new_load_id(started)
    target = graph or load_graph(load_id)
    record = provenance(load_id, [(s.name, s.sha256) for s in sources], target, prepared.counts, started,
                        datetime.now(timezone.utc), options.agent or agent_iri(options.base), options.base)
    named, loads = NamedNode(str(target)), NamedNode(str(LOADS_GRAPH))
    quads = [Quad(s, p, o, named) for s, p, o in data] + [Quad(*to_oxigraph(t), loads) for t in record]
    store.add_quads(quads, replace_graphs=[named] if replace else ())
    result.load_id = load_id
    return result

