"""What the CLI, the server and the curated data use: load, validate, list and undo loads."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from pyoxigraph import NamedNode

from coprokg.data import DATA_DIR
from coprokg.loaders.build import CURATOR
from coprokg.loaders import history
from coprokg.loaders.history import AlreadyUndone, LoadInfo, list_loads, load_graph
from coprokg.loaders.pipeline import LoadOptions, LoadReport, cyclic_gc_paused, prepare, read_sources, run, triples
from coprokg.loaders.registry import for_media_type
from coprokg.loaders.rejects import SetAside, records
from coprokg.loaders.report import InvalidInput, Origin, Report
from coprokg.loaders.source import Source
from coprokg.store import derived, search

REJECT_ROUNDS = 5
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")  # a Graph Store write is one graph


def load_files(store, paths, *, dry_run: bool = False, options: LoadOptions | None = None,
               rejects: str | Path | None = None) -> LoadReport:
    """Load the files as one load (one named graph, one PROV record), all or nothing.

    Raises :class:`InvalidInput` (nothing written) when any record has an error; with a
    ``rejects`` folder, the records with errors are left out instead and written there with
    their problems (:mod:`coprokg.loaders.rejects`), and the rest is loaded.
    """
    options = options or LoadOptions()
    report = Report()
    sources = read_sources(paths, options, report)
    try:
        report.raise_if_errors()
        before = store.version()
        if rejects is None:
            with derived.refreshed(store, [history.LOADS_GRAPH]):
                result = run(store, sources, options, dry_run=dry_run)
            return _indexed(store, result, None, before)
    except InvalidInput as error:
        raise every_files_problems(error, paths, store, options) from None
    aside = SetAside({s.name: records(s) for s in sources})
    options = dataclasses.replace(options, set_aside=aside)
    for _ in range(REJECT_ROUNDS):  # a record left out can make another one fail (a book and its chapter)
        try:
            validate_sources(sources, store, options)
            break
        except InvalidInput as error:
            if not aside.add(error.report.errors):
                raise
    else:
        validate_sources(sources, store, options)
    with derived.refreshed(store, [history.LOADS_GRAPH]):
        result = run(store, sources, options, dry_run=dry_run)
    _indexed(store, result, None, before)
    result.rejects = [str(p) for p in aside.write(Path(rejects))] if aside.chosen and not dry_run else []
    return result


def validate_sources(sources, store, options: LoadOptions) -> LoadReport:
    """Check the sources as a load would, writing nothing."""
    report = Report()
    with cyclic_gc_paused():
        prepared = prepare(sources, store, options, report)
        for _ in triples(prepared, store, report):
            pass
    return LoadReport([s.name for s in sources], records=prepared.records, counts=prepared.counts,
                      problems=report.problems, dry_run=True)


def validate_files(paths, store=None, options: LoadOptions | None = None) -> LoadReport:
    """Check the files as a load would, writing nothing; with a store, also against what it holds.
    Every file's problems are reported, not only those of the stage the first error stopped."""
    options = options or LoadOptions()
    try:
        return _validate(paths, store, options)
    except InvalidInput as error:
        raise every_files_problems(error, paths, store, options) from None


def every_files_problems(error: InvalidInput, paths, store, options: LoadOptions) -> InvalidInput:
    """``error`` with the problems each file has on its own: a load stops at the first stage
    (reading, building) that finds an error in any file, so errors a later stage would find in
    the other files are looked for file by file. The problems only the files together have
    (a paper twice) come last."""
    paths = list(paths)
    if len(paths) < 2:
        return error
    each = []
    for path in paths:
        try:
            each.extend(_validate([path], store, options).problems)
        except InvalidInput as alone:
            each.extend(alone.report.problems)
    return InvalidInput(Report(list(dict.fromkeys(each + error.report.problems))))


def _validate(paths, store, options: LoadOptions) -> LoadReport:
    report = Report()
    sources = read_sources(paths, options, report)
    report.raise_if_errors()
    return validate_sources(sources, store, options)


def load_rdf_bytes(store, data: bytes, media_type: str, graph: str | None = None, replace: bool = False,
                   options: LoadOptions | None = None) -> LoadReport:
    """The Graph Store Protocol's write: RDF in a request body, validated and recorded like a file.

    ``graph`` None makes a new load graph; otherwise the data goes into ``graph`` (emptied first
    when ``replace``, as PUT does; merged with what it holds otherwise, as POST does).
    """
    return load_rdf_parts(store, [(data, media_type)], graph, replace, options)


def load_rdf_parts(store, parts: list[tuple[bytes, str]], graph: str | None = None, replace: bool = False,
                   options: LoadOptions | None = None) -> LoadReport:
    """:func:`load_rdf_bytes` for several bodies (a multipart request), as one load: all or nothing."""
    report = Report()
    sources, readers = [], {}
    for n, (data, media_type) in enumerate(parts, 1):
        fmt = for_media_type(media_type)
        if fmt is None or fmt.name not in GRAPH_FORMATS:
            report.error(Origin(f"request body part {n}" if len(parts) > 1 else "request body"),
                         f"unsupported media type {media_type!r}",
                         "send Turtle, N-Triples, JSON-LD or RDF/XML (one graph; load datasets with 'coprokg load')")
            continue
        name = f"request body part {n} ({fmt.name})" if len(parts) > 1 else f"request body ({fmt.name})"
        sources.append(Source(name, data))
        readers[name] = fmt.read
    report.raise_if_errors()
    before = store.version()
    with derived.refreshed(store, [history.LOADS_GRAPH, *([NamedNode(graph)] if graph else [])]):
        result = run(store, sources, options or LoadOptions(), reader=lambda source, rep: readers[source.name](source, rep),
                     graph=NamedNode(graph) if graph else None, replace=replace)
    return _indexed(store, result, graph, before)


def unload(store, load_id: str) -> LoadInfo:
    """Undo a load (:func:`coprokg.loaders.history.unload`); its words leave the search index
    and the derived graphs follow."""
    before = store.version()
    graphs = [history.LOADS_GRAPH] + [NamedNode(i.graph) for i in list_loads(store) if i.id == load_id]
    with derived.refreshed(store, graphs):
        info = history.unload(store, load_id)
    search.after_unload(store, info.graph, before)
    return info


def _indexed(store, result: LoadReport, graph: str | None, before: str) -> LoadReport:
    """The search index follows every load that wrote something (:mod:`coprokg.store.search`)."""
    if result.load_id and not result.dry_run:
        search.after_load(store, graph or load_graph(result.load_id).value, before)
    return result


def seed_curated(store, data_dir: str | Path = DATA_DIR) -> list[LoadReport]:
    """Load the curated data: the ``[[load]]`` entries of data/manifest.toml, in order.

    Each entry is ``{file = "...", cited_by = "IRI or DOI"?, reviewed_in = "IRI or DOI"?}``; without a
    manifest nothing is seeded.
    """
    manifest = Path(data_dir) / "manifest.toml"
    if not manifest.is_file():
        return []
    entries = tomllib.loads(manifest.read_text(encoding="utf-8")).get("load", [])
    reports = []
    with derived.refreshed(store, [history.LOADS_GRAPH]):  # the derived graphs follow once, at the end
        for entry in entries:
            options = LoadOptions(cited_by=_listed(entry.get("cited_by")), reviewed_in=_listed(entry.get("reviewed_in")),
                                  agent=CURATOR)
            reports.append(load_files(store, [manifest.parent / entry["file"]], options=options))
    return reports


def _listed(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


__all__ = ["AlreadyUndone", "InvalidInput", "LoadInfo", "LoadOptions", "LoadReport", "list_loads", "load_files", "load_rdf_bytes",
           "load_rdf_parts", "seed_curated", "unload", "validate_files"]
