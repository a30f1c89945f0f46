"""The load pipeline, the same for every format.

1. read each file with its format's module (records keep file, line and key);
2. recognise papers already in the store or repeated in the input, and merge them;
3. build the triples (as store terms) and tag concepts, checking each record against the
   shapes' per-record constraints as it is built;
4. validate with pySHACL against the shapes: RDF files before building; the built records in
   chunks, in worker processes, while they are built and written (:mod:`coprokg.loaders.shacl`); the
   tagger's tags, made from one template, are validated by a test for every concept;
5. keep only what the store does not hold yet, and write it with its PROV-O record in one
   write: all or nothing (a violation pySHACL reports after the write began undoes it).
"""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from pyoxigraph import NamedNode, Quad
from tqdm import tqdm

from coprokg.vocab import VOCAB_BASE
from coprokg.loaders import concepts as concept_index
from coprokg.loaders.build import BAD_TEXT, PAPER_CLASSES, Context, report_bad_text, work_triples
from coprokg.loaders.cases import Case, case_iri, case_triples
from coprokg.loaders.dedupe import assign, known, merge, stored_papers
from coprokg.loaders.disagreements import FIELD_PROPERTIES, disagreement, field_value, record, stored_sources
from coprokg.loaders.iris import doi_link, normalise_issn, normalise_title, same_text
from coprokg.loaders.history import Counts, LOADS_GRAPH, agent_iri, load_graph, loads_with_checksum, new_load_id, provenance
from coprokg.loaders.people import People, stored_people
from coprokg.loaders.rdf import RdfPart
from coprokg.loaders.registry import for_path, suffixes
from coprokg.loaders.rejects import SetAside
from coprokg.loaders.report import InvalidInput, Origin, Problem, Report
from coprokg.loaders.source import DEFAULT_MAX_BYTES, Source
from coprokg.loaders.tagger import tag_triples, tagger_triples, tags
from coprokg.loaders.shacl import FIELDS, ShapeCheck, report_results
from coprokg.loaders.shacl import validate as shape_check
from coprokg.loaders.terms import RDF, SINGLE_VALUED
from coprokg.loaders.values import query_values
from coprokg.loaders.work import Work

TRIPLES_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
GRAPH_TRIPLES_QUERY = "SELECT ?s ?p ?o WHERE {{ VALUES ?g {{ {graph} }} GRAPH ?g {{ ?s ?p ?o }} }}"  # an escaped IRI


@dataclass
class LoadOptions:
    cited_by: list[str] = field(default_factory=list)
    reviewed_in: list[str] = field(default_factory=list)
    max_bytes: int = DEFAULT_MAX_BYTES
    base: str = VOCAB_BASE
    agent: NamedNode | None = None
    progress: bool = False
    set_aside: SetAside | None = None  # records left out of the load (``load --rejects``)


@dataclass
class LoadReport:
    files: list[str]
    load_id: str | None = None
    records: int = 0
    counts: Counts = field(default_factory=Counts)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    already_loaded_as: list[str] = field(default_factory=list)
    rejects: list[str] = field(default_factory=list)  # files of the records set aside, and their problems

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def summary(self) -> str:
        c = self.counts
        text = (f"{self.records} records: {c.added} papers added, {c.merged} merged with papers already known, "
                f"{c.tagged} tagged, {c.triples} triples, {len(self.warnings)} warnings")
        if c.set_aside:
            folder = f" (in {Path(self.rejects[0]).parent})" if self.rejects else ""
            text += f", {c.set_aside} record{'s' if c.set_aside != 1 else ''} set aside{folder}"
        if self.dry_run:
            return f"dry run, nothing written: {text}"
        if self.load_id is None:
            again = f" (already loaded as {', '.join(self.already_loaded_as)})" if self.already_loaded_as else ""
            return f"nothing new to add{again}: {text}"
        return f"load {self.load_id}: {text}"


@dataclass
class Prepared:
    """A load read, merged and checked as far as can be before building (steps 1, 2 and 4):
    :func:`triples` then builds it (step 3) as it is written."""

    records: int
    groups: dict[str, list[Work]]
    in_store: set[str]
    cases: list[Case]
    parts: list[RdfPart]
    ctx: Context
    counts: Counts
    options: LoadOptions


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
    """Steps 1, 2 and 4: read, recognise known papers, validate RDF files; raises InvalidInput
    on any error."""
    records = []
    aside = options.set_aside
    for source in sources:
        if aside is not None and aside.skips(Origin(source.name)):
            continue
        read = reader or for_path(source.name).read
        found = Report()
        try:
            records.extend(read(source, found))
        except InvalidInput as error:
            found.problems.extend(error.report.problems)
        if aside is not None:  # what the records set aside say is in the rejects folder
            records = [r for r in records if not aside.skips(r.origin)]
            found.problems = [p for p in found.problems if not aside.skips(p.origin)]
        report.problems.extend(found.problems)
    report.raise_if_errors()
    index = concept_index.from_store(store) if store is not None else concept_index.from_files()
    works = [r for r in records if isinstance(r, Work)]
    for work in works:
        work.doi = work.doi or next(filter(None, map(doi_link, work.urls)), None)  # a record linking its DOI
    parts = [r for r in records if isinstance(r, RdfPart)]
    stored = stored_papers(store, works) if store is not None and works else []
    groups = assign(works, options.base, report, stored)
    papers = list(dict.fromkeys([*groups, *_rdf_papers(parts)]))
    in_store = known(store, papers) if store is not None else set()
    names = [name for w in works for name in (*w.authors, *w.editors)]
    people = People(report, options.base, names, stored_people(store, names) if store is not None else ())
    ctx = Context(index, report, options.base, list(options.cited_by), list(options.reviewed_in), people=people,
                  issns=journal_issns(works))
    counts = Counts(added=len(papers) - len(in_store), merged=len(works) - len(groups) + len(in_store),
                    set_aside=aside.count if aside is not None else 0)
    for part in parts:
        _validate(part, ctx.origins, report)
    report.raise_if_errors()
    return Prepared(len(records), groups, in_store, [r for r in records if isinstance(r, Case)], parts, ctx, counts,
                    options)


def triples(prepared: Prepared, store, report: Report, graph: NamedNode | None = None,
            into: NamedNode | None = None) -> Iterator[tuple]:
    """Steps 3 and 5a, lazily: each new paper's triples (with its tags) as it is built, then
    what may already be in the store (or in ``graph``, when given), less what it holds; a value
    that differs from one already given is kept as a disagreement whose readings name ``into``
    (the graph being written) as their source. Raises
    InvalidInput, once every record is built, if any has an error, and, once every triple is
    yielded, if pySHACL finds one; ``counts.triples`` is then the number yielded."""
    check = ShapeCheck(len(prepared.groups))
    try:
        yield from _papers(prepared, store, report, graph, check, into)
    finally:
        check.close()


def _papers(prepared: Prepared, store, report: Report, graph: NamedNode | None, check: ShapeCheck,
            into: NamedNode | None) -> Iterator[tuple]:
    ctx, counts, options = prepared.ctx, prepared.counts, prepared.options
    others: list[tuple] = []
    bar = tqdm(total=len(prepared.groups), unit="record", file=sys.stderr,
               disable=not options.progress or len(prepared.groups) < 1000)
    for key, group in prepared.groups.items():
        differences: list[tuple] = []
        work = merge(group, report, differences) if len(group) > 1 else group[0]
        paper = NamedNode(key)
        ctx.origins.setdefault(key, work.origin)
        found = tags(ctx.concepts, [work.title, work.abstract, *work.keywords])
        counts.tagged += bool(found)
        built = work_triples(work, paper, ctx)
        if built:
            # The tags (annotations and the paper's dcterms:subject) come from one template, with
            # concepts of the ontology: a test validates it for every concept; what is taken from
            # the input is checked here.
            check.add(built, ctx.shared)
            built += tag_triples(paper, found, options.base)
            built += _merge_disagreements(paper, differences, into, options.base)
        if key in prepared.in_store or graph is not None:
            others += built
        elif not report.errors:
            fresh = dict.fromkeys(built)
            counts.triples += len(fresh)
            yield from fresh
        bar.update()
    bar.close()
    cases = []
    for case in prepared.cases:
        node = case_iri(case, options.base)
        ctx.origins.setdefault(node.value, case.origin)
        cases += case_triples(case, node, ctx)
    if counts.tagged:
        ctx.shared.extend(tagger_triples(options.base))
    report.raise_if_errors()
    check.finish(cases, ctx.shared)
    others += cases
    for part in prepared.parts:
        others += part.triples
    for triple in new_triples(store, others + ctx.shared, ctx.origins, report, graph, into, options.base):
        counts.triples += 1
        yield triple
    check.report(ctx.origins, report)
    report.raise_if_errors()


def _merge_disagreements(paper: NamedNode, differences: list[tuple], into: NamedNode | None, base: str) -> list[tuple]:
    """Disagreements between records merged into one work (from :func:`dedupe.merge`)."""
    by_field: dict[str, list[tuple]] = {}
    for name, first, first_origin, other, other_origin in differences:
        readings = by_field.setdefault(name, [(field_value(name, first), into, record(first_origin))])
        readings.append((field_value(name, other), into, record(other_origin)))
    t = []
    for name, readings in by_field.items():
        t += disagreement(paper, FIELD_PROPERTIES[name], readings, base)
    return t


def journal_issns(works: list[Work]) -> dict[str, str]:
    """Normalised journal title -> the first ISSN a record of the load gives it, so that every
    record of a journal names it by its ISSN, with or without one of its own."""
    found: dict[str, str] = {}
    for work in works:
        issn = normalise_issn(work.issn)
        if issn and work.container and work.kind != "chapter":
            found.setdefault(normalise_title(work.container), issn)
    return found


def _rdf_papers(parts: list[RdfPart]) -> list[str]:
    return [s.value for part in parts for s, p, o in part.triples
            if p == RDF.type and o in PAPER_CLASSES and isinstance(s, NamedNode)]


def _validate(part: RdfPart, origins: dict[str, Origin], report: Report) -> None:
    """Step 4 for an RDF file: literal text, then the shapes, reported by subject."""
    for s, p, o in part.triples:
        key = s.value if hasattr(s, "value") else str(s)
        origins.setdefault(key, part.origin if part.origin.key or part.origin.line else Origin(part.origin.file, key=key))
        if not isinstance(o, NamedNode) and hasattr(o, "datatype") and BAD_TEXT.search(o.value):
            report_bad_text(report, origins[key], (_field(p.value), o.value))
    if report.errors:
        return
    report_results(shape_check(part.triples), origins, report)


def _field(predicate: str) -> str:
    local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return FIELDS.get(local, local)


def new_triples(store, candidates: list[tuple], origins: dict[str, Origin], report: Report,
                graph: NamedNode | None = None, into: NamedNode | None = None, base: str = VOCAB_BASE) -> list[tuple]:
    """Step 5a: the ``candidates`` the store (or ``graph``, when given) does not hold. A different
    value of a single-valued property does not override the stored one, which stays the plain
    reading: it is kept as a disagreement naming both values and their graphs (with a warning)."""
    candidates = list(dict.fromkeys(candidates))
    existing: dict[tuple, set] = {}
    if store is not None:
        subjects = list({t[0] for t in candidates if isinstance(t[0], NamedNode)})
        query = TRIPLES_QUERY if graph is None else GRAPH_TRIPLES_QUERY.format(graph=graph)
        for row in query_values(store, query, "s", subjects):
            existing.setdefault((row["s"], row["p"]), set()).add(row["o"])
    fresh = []
    warned = set()
    for s, p, o in candidates:
        stored = existing.get((s, p))
        if stored is not None and o in stored:
            continue
        if stored and p.value in SINGLE_VALUED:
            if (s, p) not in warned and not any(_same_text(o, old) for old in stored):
                warned.add((s, p))
                resource = s.value.split("#")[0]  # an author list is reported as its paper
                origin = origins.get(s.value) or origins.get(resource) or Origin("input", key=resource)
                report.warning(origin, "the store already has a different value, which stays the plain reading; this "
                               "one is kept beside it as a disagreement between the sources",
                               "nothing to do if the sources do disagree; otherwise correct the wrong one",
                               field=_field(p.value), value=o.value)
                readings = [(value, source, None) for value in sorted(stored, key=str)
                            for source in stored_sources(store, s, p, value)[:1] or [None]]
                fresh += disagreement(s, p, [*readings, (o, into, record(origin))], base)
            continue
        fresh.append((s, p, o))
    return fresh


def _same_text(one, other) -> bool:
    """Values that differ only trivially (:func:`coprokg.loaders.iris.same_text`)."""
    if isinstance(one, NamedNode) or isinstance(other, NamedNode):
        return one == other
    return same_text(one.value, other.value)


@contextmanager
def cyclic_gc_paused():
    """For the length of a load: it makes millions of small objects (terms, tuples, records)
    that form no cycles and live until it ends, which the cyclic garbage collector would walk
    again and again for nothing. Reference counting still frees what is dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(store, sources: list[Source], options: LoadOptions, *, dry_run: bool = False, reader=None,
        graph: NamedNode | None = None, replace: bool = False) -> LoadReport:
    """Prepare ``sources`` and, unless ``dry_run``, write them as one load. ``graph`` names the
    graph to write (default: a new ``graph/load/<id>``); ``replace`` empties it first."""
    with cyclic_gc_paused():
        return _run(store, sources, options, dry_run, reader, graph, replace)


def _run(store, sources: list[Source], options: LoadOptions, dry_run: bool, reader, graph: NamedNode | None,
         replace: bool) -> LoadReport:
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
    load_id = new_load_id(started)
    target = graph or load_graph(load_id)
    built = triples(prepared, None if replace else store, report, graph, target)
    if dry_run:
        for _ in built:
            pass
        return result

    def quads() -> Iterator[Quad]:
        yield from (Quad(s, p, o, target) for s, p, o in built)
        if prepared.counts.triples or replace:
            record = provenance(load_id, [(s.name, s.sha256) for s in sources], target, prepared.counts, started,
                                datetime.now(timezone.utc), options.agent or agent_iri(options.base), options.base)
            yield from (Quad(s, p, o, LOADS_GRAPH) for s, p, o in record)

    if store.add_quads(quads(), replace_graphs=[target] if replace else ()):
        result.load_id = load_id
    return result
