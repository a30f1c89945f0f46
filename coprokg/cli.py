"""The ``coprokg`` command.

Each command turns coprokg errors into a one-line message on stderr and an exit code:
0 success, 1 an error in the input or the store, 2 a usage or configuration error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from coprokg import __version__, csvguard, dumps, formats
from coprokg.bootstrap import ONTOLOGY_GRAPH, initialise
from coprokg.errors import CoprokgError, StoreError
from coprokg.settings import SECRET, SETTINGS, Settings
from coprokg.table import render
from coprokg.store import open_store
from coprokg.vocab import PREFIXES

STATS_QUERY = Path(__file__).with_name("stats.rq")


class Group(click.Group):
    """A click group that reports coprokg errors in one line instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CoprokgError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(error.exit_code)


def _settings(ctx: click.Context) -> Settings:
    return ctx.ensure_object(dict)["settings"]


def _open(ctx: click.Context):
    """The configured store; a new one is seeded first, and the user told where it was made."""
    settings = _settings(ctx)
    store = open_store(settings)
    try:
        if store.is_new():
            click.echo(f"new store at {store.location}: seeding it with the ontology and the curated data", err=True)
            initialise(store, settings.data_dir)
    except BaseException:
        store.close()
        raise
    return store


@click.group(cls=Group, epilog="Settings come from COPROKG_* environment variables; see 'coprokg settings'.")
@click.option("--store", metavar="DIR|URL", help="Store directory or SPARQL endpoint URL (overrides COPROKG_STORE).")
@click.version_option(__version__, prog_name="coprokg")
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """coprokg: a knowledge graph of the coproduction literature."""
    try:
        ctx.ensure_object(dict)["settings"] = Settings.load({"store": store} if store else None)
    except CoprokgError as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(error.exit_code)


@cli.command()
@click.option("--host", help="Interface to listen on (default COPROKG_HOST, 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default COPROKG_PORT, 8000).")
@click.option("--access-log", metavar="FILE|-", help="Write a line per request to FILE, or - for standard output (default COPROKG_ACCESS_LOG: none).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, access_log: str | None) -> None:
    """Serve the SPARQL endpoint and Linked Data pages.

    A new embedded store is seeded with the ontology and the curated data first.
    Refused writes, stopped queries and crashed query workers are logged on standard error.
    FLASK_DEBUG and the like are ignored: there is no debug mode.

    \b
    Example:
      coprokg serve --port 8000 --access-log access.log
      curl 'http://127.0.0.1:8000/sparql?query=ASK{?s?p?o}'
    """
    import logging

    from coprokg.server import create_app
    from coprokg.server.listener import create_server

    settings = _settings(ctx)
    overrides = {k: v for k, v in (("host", host), ("port", port), ("access_log", access_log)) if v is not None}
    settings = Settings({**settings.values, **overrides}, {**settings.origins, **{k: f"option --{k.replace('_', '-')}" for k in overrides}})
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    app = create_app(settings)
    server = create_server(app, settings)
    click.echo(f"coprokg serving {settings.store} at http://{settings.host}:{server.effective_port}/sparql", err=True)
    server.run()


@cli.command()
@click.argument("query")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A value for a parameter of a catalog query (repeatable).")
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", *formats.names(formats.RESULT_FORMATS), *formats.names(formats.GRAPH_FORMATS)]),
    help="table for reading; a SPARQL results format for SELECT/ASK; an RDF format for CONSTRUCT/DESCRIBE.",
)
@click.option("--exact-csv", is_flag=True, help="CSV cells exactly as stored; by default a cell starting with = + - @ "
              "(a spreadsheet formula) gets a leading ' so that spreadsheets show it as text.")
@click.pass_context
def query(ctx: click.Context, query: str, params: tuple[str, ...], fmt: str, exact_csv: bool) -> None:
    """Run a SPARQL query: QUERY is the name of a catalog query ('coprokg queries' lists
    them), a .rq file, '-' for standard input, or the query text.

    \b
    Examples:
      coprokg query evidence-matrix
      coprokg query concept-profile --param concept=co-design --format csv
      coprokg query 'SELECT ?class (COUNT(*) AS ?n) WHERE { ?s a ?class } GROUP BY ?class'
      coprokg query my-question.rq --format csv > answer.csv
    """
    if not _settings(ctx).store_is_remote:
        _leave_network()
    with _open(ctx) as store:
        text, result = _run(store, query, params, _settings(ctx).max_nesting)
        try:
            if fmt == "table":
                if not formats.is_solutions(result):
                    fmt = "turtle"
                else:
                    click.echo(render(result))
                    return
            table = formats.RESULT_FORMATS if formats.is_solutions(result) else formats.GRAPH_FORMATS
            chosen = formats.by_name(fmt, table)
            if chosen is None:
                kind = "SELECT/ASK" if table is formats.RESULT_FORMATS else "CONSTRUCT/DESCRIBE"
                raise click.UsageError(f"--format {fmt} does not apply to a {kind} answer; use one of {', '.join(formats.names(table))}")
            body = formats.serialize(result, chosen)
        except (OSError, RuntimeError) as error:  # raised while the answer is computed, row by row
            raise _failed(text, error) from None
        sys.stdout.buffer.write(body if exact_csv or chosen.name != "csv" else csvguard.guard(body))


def _leave_network() -> None:
    """Run the rest of this process, which needs no network on an embedded store, without any
    (:mod:`coprokg.server.sandbox`, as the server's query workers do): a SERVICE or LOAD that
    got past the check reaches nothing. Called while the process has a single thread."""
    from coprokg.server.sandbox import cut_network

    why = cut_network()
    if why:
        click.echo(f"warning: the query runs with network access ({why}); only the query check keeps SERVICE "
                   "and LOAD from reaching out", err=True)


def _failed(text: str, error: Exception) -> CoprokgError:
    """An answer that failed while computed: the one answer to an outbound attempt, else the store's reason."""
    from coprokg.server.pool import reaches_out
    from coprokg.server.safety import outbound_refused

    if reaches_out(text):
        return outbound_refused("query")
    if isinstance(error, CoprokgError):
        return error
    return StoreError(f"the query failed: {error}", where="query")


@cli.command()
@click.pass_context
def stats(ctx: click.Context) -> None:
    """Count what the graph holds: triples, graphs, and resources per class.

    \b
    Example:
      coprokg stats
    """
    with _open(ctx) as store:
        click.echo(f"store     {store.location}")
        click.echo(f"version   {store.version()}")
        click.echo(f"triples   {store.count()}")
        click.echo(f"graphs    {len(store.graphs())}")
        click.echo(render(store.query(STATS_QUERY.read_text())))


@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: standard output); its folder is made if missing.")
@click.option("--format", "fmt", default="nquads", show_default=True, type=click.Choice(formats.names(formats.DATASET_FORMATS)))
@click.pass_context
def export(ctx: click.Context, output: str | None, fmt: str) -> None:
    """Write every graph of the store as N-Quads or TriG (a backup 'coprokg import' restores).

    The dump ends with a seal (its quad count and sha256) that 'coprokg import' checks. A
    file is replaced only once the new dump is whole on disk.

    \b
    Example:
      coprokg export -o backup.nq
    """
    chosen = formats.by_name(fmt, formats.DATASET_FORMATS)
    with _open(ctx) as store:
        if output:
            count = dumps.write_file(store, output, chosen.serializer)
            click.echo(f"exported {count} quads to {output}", err=True)
        else:
            dumps.write_sealed(store, sys.stdout.buffer, chosen.serializer)


@cli.command()
@click.argument("out_dir", type=click.Path(file_okay=False, writable=True))
@click.option("--version", "version", default=__version__, show_default=True, help="The release's version.")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="The release's date (default: today, UTC).")
@click.pass_context
def release(ctx: click.Context, out_dir: str, version: str, date: str | None) -> None:
    """Write a release of the graph into OUT_DIR/coprokg-VERSION-DATE/: N-Quads and TriG dumps
    (gzip), the ontology, the changelog and a VoID + DCAT description with sizes and sha256.

    The same store released twice gives byte-identical files. Point COPROKG_RELEASES at OUT_DIR
    to serve the newest release at /dumps/ and /.well-known/void.

    \b
    Example:
      coprokg release releases/ --version 0.1.0
    """
    from datetime import datetime, timezone

    from coprokg.release import write_release

    settings = _settings(ctx)
    with _open(ctx) as store:
        made = write_release(store, out_dir, base=settings.base_iri, version=version,
                             date=date or datetime.now(timezone.utc).date().isoformat())
    click.echo(f"released {made.quads} quads as {made.directory}", err=True)


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(formats.names(formats.DATASET_FORMATS)), help="Default: from the file extension (.nq, .trig).")
@click.option("--force", is_flag=True, help="Import a dump without a valid seal (one not written by 'coprokg export').")
@click.pass_context
def import_(ctx: click.Context, file: str, fmt: str | None, force: bool) -> None:
    """Add the quads of an N-Quads or TriG dump to the store, all or nothing.

    This restores what 'coprokg export' wrote, after checking the dump's seal: a dump cut
    short or changed is refused and the store left as it was. Dumps from other tools have no
    seal: pass --force. New papers go through 'coprokg load', which validates them. A new
    store is seeded (ontology, curated data) after the restore only if the dump lacks the
    ontology: a full dump already holds both, under their own load graphs.

    \b
    Example:
      coprokg --store var/copy import backup.nq
    """
    chosen = formats.by_name(fmt or Path(file).suffix.lstrip(".") or "nquads", formats.DATASET_FORMATS)
    if chosen is None:
        raise click.UsageError(f"cannot tell the format of {file}; pass --format nquads or --format trig")
    source = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    if not force:
        dumps.check(source, "standard input" if file == "-" else file)
    settings = _settings(ctx)
    with open_store(settings) as store:
        new = store.is_new()
        added = store.restore(source, chosen.serializer)
        if new and ONTOLOGY_GRAPH not in store.graphs():
            initialise(store, settings.data_dir)
    click.echo(f"imported {added} quads from {file}", err=True)


def _load_options(settings: Settings, cited_by=(), reviewed_in=(), progress=False):
    from coprokg.loaders import LoadOptions

    return LoadOptions(cited_by=list(cited_by), reviewed_in=list(reviewed_in), progress=progress,
                       max_bytes=settings.load_max_mb * 2**20, base=settings.base_iri)


def _print_report(report) -> None:
    for problem in report.problems:
        click.echo(str(problem), err=True)
    click.echo(report.summary())


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def validate(ctx: click.Context, files: tuple[str, ...]) -> None:
    """Check files as a load would (formats, shapes, concept labels), writing nothing.

    Counts are made against the store, as 'load --dry-run' makes them, when the store exists
    and is free; otherwise against the files alone, and the output says so.

    \b
    Example:
      coprokg validate refs.bib cases.csv
    """
    from coprokg.loaders import validate_files

    settings = _settings(ctx)
    store, alone = _existing_store(settings)
    try:
        report = validate_files(files, store=store, options=_load_options(settings))
    finally:
        if store is not None:
            store.close()
    _print_report(report)
    if alone:
        click.echo(f"counted against the files alone ({alone}): 'load --dry-run' counts against the store", err=True)


def _existing_store(settings: Settings):
    """The store to validate against and None, or None and why there is none to use."""
    from coprokg.errors import StoreLocked

    if not settings.store_is_remote and not (Path(settings.store) / "oxigraph").is_dir():
        return None, f"no store at {settings.store} yet"
    try:
        return open_store(settings), None
    except StoreLocked:
        return None, f"the store at {settings.store} is open in another process"


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and count everything, write nothing.")
@click.option("--cited-by", multiple=True, metavar="IRI|DOI", help="Every record is cited by this work.")
@click.option("--reviewed-in", multiple=True, metavar="IRI|DOI", help="Every record is reviewed in this review.")
@click.option("--rejects", metavar="FOLDER", type=click.Path(file_okay=False),
              help="Load the valid records and write those with errors to FOLDER, verbatim, with their problems.")
@click.pass_context
def load(ctx: click.Context, files: tuple[str, ...], dry_run: bool, cited_by, reviewed_in, rejects) -> None:
    """Load BibTeX, RIS, CSL-JSON, CSV (loaders/templates/) or RDF files, all or nothing.

    With --rejects, the records that have errors are set aside instead: written to FOLDER as
    they are, one file per input file, with a .problems.txt beside each; fix them and load them.

    \b
    Examples:
      coprokg load refs.bib --dry-run
      coprokg load references.ris --cited-by 10.1080/10967494.2021.1969486
      coprokg load scopus.bib wos.bib --rejects rejected/
    """
    from coprokg.loaders import load_files

    settings = _settings(ctx)
    with _open(ctx) as store:
        options = _load_options(settings, cited_by, reviewed_in, progress=True)
        report = load_files(store, files, dry_run=dry_run, options=options, rejects=rejects)
        _print_report(report)
        for path in report.rejects:
            click.echo(f"set aside: {path}", err=True)


@cli.command()
@click.pass_context
def loads(ctx: click.Context) -> None:
    """List the loads, oldest first, with their files and counts ('undone' after unload).

    \b
    Example:
      coprokg loads
    """
    from coprokg.loaders import list_loads

    with _open(ctx) as store:
        for info in list_loads(store):
            state = f"undone {info.undone}" if info.undone else "active"
            aside = f", {info.set_aside} set aside" if info.set_aside else ""
            click.echo(f"{info.id}  {info.started}  {info.files}  +{info.added} papers, {info.merged} merged, "
                       f"{info.tagged} tagged, {info.triples} triples{aside}  {state}")


@cli.command()
@click.argument("load_id")
@click.pass_context
def unload(ctx: click.Context, load_id: str) -> None:
    """Remove exactly what one load added (see 'coprokg loads' for the ids).

    Unloading a load already undone changes nothing and exits 0, saying so.

    \b
    Example:
      coprokg unload 20250101T120000Z-1a2b3c4d
    """
    from coprokg.loaders import AlreadyUndone, unload as undo

    with _open(ctx) as store:
        try:
            info = undo(store, load_id)
        except AlreadyUndone as done:
            click.echo(f"{done.message}: nothing to do")
            return
    click.echo(f"unloaded {info.id}: removed {info.triples} triples ({info.files})")


@cli.command("check-ontology")
@click.argument("data", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def check_ontology(data: tuple[str, ...]) -> None:
    """Check the ontology offline: SKOS integrity queries, then HermiT (through owlready2).

    Prints the classes and individuals, what the reasoner inferred for each individual, and
    whether the ontology is consistent; exits 1 on any violation, inconsistency or
    unsatisfiable class. DATA are Turtle files to classify along with it.

    \b
    Example:
      coprokg check-ontology
      coprokg check-ontology data/practices.ttl
    """
    from coprokg.ontology.files import version
    from coprokg.ontology.integrity import run_checks
    from coprokg.ontology.reasoning import classify

    click.echo(f"ontology {version()}")
    failed = [result for result in run_checks() if result.rows]
    for result in failed:
        click.echo(result.report())
    if not failed:
        click.echo("SKOS integrity: every check passed")
    report = classify([Path(path) for path in data])
    if not report.consistent:
        click.echo("INCONSISTENT: HermiT finds no model of the ontology" + (" and " + ", ".join(data) if data else ""))
        click.echo("  look for an individual in two disjoint classes or two values of a functional property", err=True)
        sys.exit(1)
    click.echo(f"classes {report.classes}\nindividuals {report.individuals}\ninferred classifications {len(report.inferred)}")
    for individual, classes in sorted(report.inferred.items()):
        click.echo(f"  {_curie(individual)}: {', '.join(_curie(c) for c in classes)}")
    for unsatisfiable in report.unsatisfiable:
        click.echo(f"unsatisfiable class {_curie(unsatisfiable)}")
    click.echo("consistent" + ("" if report.ok else f", {len(report.unsatisfiable)} unsatisfiable class(es)"))
    if failed or not report.ok:
        sys.exit(1)


@cli.command("ontology-docs")
@click.argument("output", type=click.Path(dir_okay=False, writable=True))
def ontology_docs(output: str) -> None:
    """Write the ontology's HTML documentation (pyLODE) to OUTPUT (its folder is made if missing).

    \b
    Example:
      coprokg ontology-docs build/ontology.html
    """
    from coprokg.ontology.docs import render_html

    html = render_html()
    try:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(html, encoding="utf-8")
    except OSError as error:
        raise CoprokgError(f"cannot write the documentation: {error.strerror or error}", where=output,
                           hint="choose a folder you can write to") from None
    click.echo(f"wrote {output}", err=True)


@cli.command("settings")
@click.option("--markdown", is_flag=True, help="Print the table the README carries.")
@click.pass_context
def settings_(ctx: click.Context, markdown: bool) -> None:
    """List every COPROKG_* setting: the value in effect, where it comes from (default,
    environment or option), and its meaning. The update token is shown as set or not.

    \b
    Example:
      COPROKG_PORT=9000 coprokg settings
    """
    if markdown:
        click.echo("| variable | default | meaning |\n|---|---|---|")
        for setting in SETTINGS:
            default = f"`{setting.default}`" if setting.default != "" else "(empty)"
            if setting.name == "data_dir":
                default = "the repository's `data/`"
            click.echo(f"| `{setting.env}` | {default} | {setting.help} |")
        return
    settings = _settings(ctx)
    for setting in SETTINGS:
        value = settings.values[setting.name]
        shown = ("(set)" if value else "(empty)") if setting.name in SECRET else (value if value != "" else "(empty)")
        origin = settings.origins.get(setting.name, "default")
        default = "" if origin == "default" else f"; default {setting.default if setting.default != '' else '(empty)'}"
        click.echo(f"{setting.env}={shown}  ({origin}{default})\n    {setting.help}")


@cli.command()
@click.option("--markdown", is_flag=True, help="Print the list the README carries.")
def queries(markdown: bool) -> None:
    """List the catalog's questions: name, parameters and summary.

    \b
    Example:
      coprokg queries
      coprokg query evidence-matrix --format csv
    """
    from coprokg.queries import catalog

    for entry in catalog.catalog():
        params = " ".join(f"{p.name}={'' if p.required else '?'}<{p.type}>" for p in entry.parameters)
        if markdown:
            click.echo(f"- `{entry.name}`{f' ({params})' if params else ''}: {entry.summary}")
        else:
            click.echo(f"{entry.name}{f'  [{params}]' if params else ''}\n    {entry.summary}")


def _run(store, argument: str, params: tuple[str, ...], max_nesting: int):
    """Run a catalog query by name with its parameters, or any other query as given; either
    through the server's check (SERVICE and LOAD refused, FROM only naming graphs the store
    holds), running the text checked: (that text, its result)."""
    from coprokg.queries import catalog
    from coprokg.server import safety

    values = {}
    for param in params:
        name, sep, value = param.partition("=")
        if not sep:
            raise click.BadParameter(f"{param!r} is not NAME=VALUE", param_hint="--param")
        values[name.strip()] = value
    if catalog.is_name(argument):
        text = catalog.get(argument).sparql(values)
    elif params:
        raise click.BadParameter("parameters apply to catalog queries only; 'coprokg queries' lists them", param_hint="--param")
    else:
        text = _query_text(argument)
    graphs = lambda: [graph.value for graph in store.graphs()]  # noqa: E731
    checked = safety.check_query(text, graphs, max_nesting=max_nesting)
    try:
        return checked.text, store.query(checked.text)
    except (StoreError, RuntimeError) as error:
        raise _failed(checked.text, error) from None


def _curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return f"<{iri}>"


def _query_text(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    path = Path(argument)
    if argument.endswith(".rq"):
        if not path.is_file():
            raise click.BadParameter(f"no such query file: {argument}", param_hint="QUERY")
        return path.read_text(encoding="utf-8")
    return argument


def main() -> None:
    cli(prog_name="coprokg")
