"""The load pipeline, the same for every format.

1. read each file with its format's module (records keep file, line and key);
2. recognise papers already in the store or repeated in the input, and merge them;
3. build the triples (as store terms) and tag concepts, checking each record against the
   shapes' per-record constraints as it is built;
4. validate RDF files, which nothing else has checked, with pySHACL against the shapes;
5. keep only what the store does not hold yet, and write it with its PROV-O record in one
   write: all or nothing.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone

from pyoxigraph import NamedNode, Quad
from tqdm import tqdm

from coprokg.vocab import VOCAB_BASE
from loaders import concepts as concept_index
from loaders.build import BAD_TEXT, PAPER_CLASSES, Context, report_bad_text, work_triples
from loaders.cases import Case, case_iri, case_triples
from loaders.dedupe import assign, known, merge, query_values, stored_papers
from loaders.history import Counts, LOADS_GRAPH, agent_iri, load_graph, loads_with_checksum, new_load_id, provenance
from loaders.rdf import RdfPart
from loaders.registry import for_path, suffixes
from loaders.report import InvalidInput, Origin, Problem, Report
from loaders.source import DEFAULT_MAX_BYTES, Source
from loaders.tagger import tag_triples, tagger_triples, tags
from loaders.terms import RDF, SINGLE_VALUED, to_rdflib
from loaders.work import Work
from shapes.validate import validate_triples

TRIPLES_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
FIELDS = {"issued": "year", "creator": "authors", "familyName": "authors", "name": "authors", "givenName": "authors",
          "isPartOf": "container", "doi": "doi", "title": "title", "label": "name", "abstract": "abstract"}


@dataclass
class LoadOptions:
    cited_by: list[str] = field(default_factory=list)
    reviewed_in: list[str] = field(default_factory=list)
    max_bytes: int = DEFAULT_MAX_BYTES
    base: str = VOCAB_BASE
    agent: NamedNode | None = None
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
    """A load's triples as store terms: ``fresh`` ones are about papers the store does not
    know (it cannot hold them), the ``others`` are checked against what it holds."""

    fresh: list[tuple]
    others: list[tuple]
    origins: dict[str, Origin]
    counts: Counts
    records: int

    @property
    def triples(self) -> list[tuple]:
        return self.fresh + self.others


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
    parts = [r for r in records if isinstance(r, RdfPart)]
    stored = stored_papers(store, works) if store is not None and works else []
    groups = assign(works, options.base, report, stored)
    papers = list(dict.fromkeys([*groups, *_rdf_papers(parts)]))
    in_store = known(store, papers) if store is not None else set()
    ctx = Context(index, report, options.base, list(options.cited_by), list(options.reviewed_in))
    counts = Counts(added=len(papers) - len(in_store), merged=len(works) - len(groups) + len(in_store))
    prepared = Prepared([], [], ctx.origins, counts, len(records))
    _build_works(groups, in_store, ctx, index, options, prepared)
    for case in (r for r in records if isinstance(r, Case)):
        node = case_iri(case, options.base)
        prepared.origins.setdefault(node.value, case.origin)
        prepared.others.extend(case_triples(case, node, ctx))
    prepared.others.extend(ctx.shared)
    report.raise_if_errors()
    for part in parts:
        _validate(part, prepared, report)
    report.raise_if_errors()
    return prepared


def _rdf_papers(parts: list[RdfPart]) -> list[str]:
    return [s.value for part in parts for s, p, o in part.triples
            if p == RDF.type and o in PAPER_CLASSES and isinstance(s, NamedNode)]


def _build_works(groups: dict, in_store: set, ctx: Context, index, options: LoadOptions, prepared: Prepared) -> None:
    """Step 3: each paper's triples and tags; a paper the store does not know yields fresh triples."""
    counts = prepared.counts
    bar = tqdm(total=len(groups), unit="record", file=sys.stderr, disable=not options.progress or len(groups) < 1000)
    for key, group in groups.items():
        work = merge(group, ctx.report) if len(group) > 1 else group[0]
        paper = NamedNode(key)
        prepared.origins.setdefault(key, work.origin)
        found = tags(index, [work.title, work.abstract, *work.keywords])
        counts.tagged += bool(found)
        triples = work_triples(work, paper, ctx)
        if triples:
            triples += tag_triples(paper, found, options.base)
        (prepared.others if key in in_store else prepared.fresh).extend(triples)
        bar.update()
    bar.close()
    if counts.tagged:
        ctx.shared.extend(tagger_triples(options.base))


def _validate(part: RdfPart, prepared: Prepared, report: Report) -> None:
    """Step 4 for an RDF file: literal text, then the shapes, reported by subject."""
    origins = prepared.origins
    for s, p, o in part.triples:
        key = s.value if hasattr(s, "value") else str(s)
        origins.setdefault(key, part.origin if part.origin.key or part.origin.line else Origin(part.origin.file, key=key))
        if not isinstance(o, NamedNode) and hasattr(o, "datatype") and BAD_TEXT.search(o.value):
            report_bad_text(report, origins[key], (_field(p.value), o.value))
    if report.errors:
        return
    for result in validate_triples((to_rdflib(s), to_rdflib(p), to_rdflib(o)) for s, p, o in part.triples):
        origin = origins.get(str(result.focus), Origin("input", key=str(result.focus)))
        value = None if result.value is None or result.value == result.focus else str(result.value)
        (report.error if result.severity == "error" else report.warning)(
            origin, result.message, field=FIELDS.get(result.field, result.field), value=value)
    prepared.others.extend(part.triples)


def _field(predicate: str) -> str:
    local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return FIELDS.get(local, local)


def new_triples(store, prepared: Prepared, report: Report) -> list[tuple]:
    """Step 5a: the prepared triples the store does not hold, without overriding a stored value
    of a single-valued property (the stored value is kept, with a warning)."""
    others = list(dict.fromkeys(prepared.others))
    subjects = list({t[0] for t in others if isinstance(t[0], NamedNode)})
    existing: dict[tuple, set] = {}
    if store is not None:
        for row in query_values(store, TRIPLES_QUERY, "s", subjects):
            existing.setdefault((row["s"], row["p"]), set()).add(row["o"])
    fresh = list(dict.fromkeys(prepared.fresh))
    warned = set()
    for s, p, o in others:
        stored = existing.get((s, p))
        if stored is not None and o in stored:
            continue
        if stored and p.value in SINGLE_VALUED:
            if (s, p) not in warned:
                warned.add((s, p))
                origin = prepared.origins.get(s.value, Origin("input", key=s.value))
                report.warning(origin, "the store already has a different value; the stored one is kept",
                               "unload the earlier load first to replace it", field=_field(p.value), value=o.value)
            continue
        fresh.append((s, p, o))
    return fresh


def run(store, sources: list[Source], options: LoadOptions, *, dry_run: bool = False, reader=None,
        graph: NamedNode | None = None, replace: bool = False) -> LoadReport:
    """Prepare ``sources`` and, unless ``dry_run``, write them as one load. ``graph`` names the
    graph to write (default: a new ``graph/load/<id>``); ``replace`` empties it first."""
    report = Report()
    started = datetime.now(timezone.utc)
    already = [] if store is None or replace else [loads_with_checksum(store, s.sha256) for s in sources]
    if already and all(already) and not dry_run:
        return LoadReport([s.name for s in sources], already_loaded_as=sorted({i for ids in already for i in ids}))
    prepared = prepare(sources, store, options, report, reader)
    result = LoadReport([s.name for s in sources], records=prepared.records, counts=prepared.counts,
                        problems=report.problems, dry_run=dry_run)
    data = list(dict.fromkeys(prepared.triples)) if replace else new_triples(store, prepared, report)
    prepared.counts.triples = len(data)
    if dry_run or (not data and not replace):
        return result
    load_id = new_load_id(started)
    target = graph or load_graph(load_id)
    record = provenance(load_id, [(s.name, s.sha256) for s in sources], target, prepared.counts, started,
                        datetime.now(timezone.utc), options.agent or agent_iri(options.base), options.base)
    quads = [Quad(s, p, o, target) for s, p, o in data]
    quads += [Quad(s, p, o, LOADS_GRAPH) for s, p, o in record]
    store.add_quads(quads, replace_graphs=[target] if replace else ())
    result.load_id = load_id
    return result
