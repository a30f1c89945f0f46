"""Loads as separate processes: the commands, a load killed at any moment, two loads at once."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.bench_load import synthetic_bibtex
from coprokg.loaders import list_loads
from coprokg.store import EmbeddedStore
from tests.loaders.conftest import HERE, seed_ontology
from tests.support import REPO, coprokg

LOAD = ("import sys; from store import EmbeddedStore; from loaders import load_files; "
        "load_files(EmbeddedStore(sys.argv[1]), [sys.argv[2]])")


def loaded_state(location) -> tuple[int, int]:
    """(data quads in load graphs, active loads) of the store at ``location``."""
    store = EmbeddedStore(location)
    try:
        rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                           "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/coproduction/graph/load/')) }")
        return int(next(iter(rows))["n"].value), sum(1 for info in list_loads(store) if not info.undone)
    finally:
        store.close()


def fresh_store(location) -> None:
    store = EmbeddedStore(location)
    seed_ontology(store)
    store.close()


def test_a_load_killed_at_any_moment_leaves_nothing_or_everything(tmp_path, cli_env):
    source = tmp_path / "many.bib"
    source.write_text(synthetic_bibtex(1500))
    fresh_store(tmp_path / "reference")
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", LOAD, str(tmp_path / "reference"), str(source)], env=cli_env,
                   cwd=REPO, check=True, timeout=300)
    duration = time.monotonic() - start
    complete = loaded_state(tmp_path / "reference")
    assert complete[1] == 1 and complete[0] > 20_000
    outcomes = set()
    for n, fraction in enumerate((0.2, 0.5, 0.8, 0.9, 0.95, 1.0, 1.05)):
        location = tmp_path / f"killed-{n}"
        fresh_store(location)
        process = subprocess.Popen([sys.executable, "-c", LOAD, str(location), str(source)], env=cli_env, cwd=REPO)
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        state = loaded_state(location)
        assert state in {(0, 0), complete}, f"killed at {fraction:.0%} of a load: {state}"
        outcomes.add(state)
    assert (0, 0) in outcomes


def test_two_loads_at_once_never_corrupt_the_store(tmp_path, cli_env):
    fresh_store(tmp_path / "store")
    big = tmp_path / "big.bib"
    big.write_text(synthetic_bibtex(600))
    cli_env = {**cli_env, "COPROKG_STORE": str(tmp_path / "store")}
    processes = [subprocess.Popen([sys.executable, "-m", "coprokg", "load", str(path)], env=cli_env, cwd=REPO,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for path in (big, HERE / "papers.bib")]
    results = [(p.wait(timeout=300), p.stderr.read().decode()) for p in processes]
    for code, stderr in results:
        assert code == 0 or (code == 1 and "the store is open in another process" in stderr), stderr
    succeeded = sum(1 for code, _ in results if code == 0)
    data, active = loaded_state(tmp_path / "store")
    assert active == succeeded >= 1 and data > 0


def test_load_validate_loads_unload_commands(cli_env):
    bad = coprokg("validate", str(HERE / "bad" / "year-19x9.bib"), env=cli_env)
    assert bad.returncode == 1 and b"field year" in bad.stderr and b"19x9" in bad.stderr
    good = coprokg("validate", str(HERE / "papers.bib"), env=cli_env)
    assert good.returncode == 0 and b"3 papers added" in good.stdout
    missing = coprokg("load", "no-such-file.bib", env=cli_env)
    assert missing.returncode == 2
    dry = coprokg("load", "--dry-run", str(HERE / "papers.bib"), env=cli_env)
    assert dry.returncode == 0 and dry.stdout.startswith(b"dry run, nothing written")
    load = coprokg("load", str(HERE / "papers.bib"), "--cited-by", "10.1136/bmjopen-2019-029723", env=cli_env)
    assert load.returncode == 0, load.stderr
    load_id = load.stdout.decode().split()[1].rstrip(":")
    again = coprokg("load", str(HERE / "papers.bib"), env=cli_env)
    assert b"nothing new to add (already loaded as " + load_id.encode() in again.stdout
    history = coprokg("loads", env=cli_env)
    assert history.returncode == 0 and load_id.encode() in history.stdout and b"active" in history.stdout
    undone = coprokg("unload", load_id, env=cli_env)
    assert undone.returncode == 0 and b"unloaded " + load_id.encode() in undone.stdout
    unknown = coprokg("unload", "20990101T000000Z-00000000", env=cli_env)
    assert unknown.returncode == 1 and b"coprokg loads" in unknown.stderr


def test_a_killed_load_leaves_no_worker_process_behind(tmp_path, cli_env):
    source = tmp_path / "many.bib"
    source.write_text(synthetic_bibtex(3000))
    fresh_store(tmp_path / "store")
    process = subprocess.Popen([sys.executable, "-c", LOAD, str(tmp_path / "store"), str(source)], env=cli_env,
                               cwd=REPO)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while not workers and time.monotonic() < deadline and process.poll() is None:
        workers = _children(process.pid)
        time.sleep(0.05)
    assert workers, "the load started no worker process (reading, validation)"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    deadline = time.monotonic() + 10
    while workers and time.monotonic() < deadline:
        workers = {pid for pid in workers if Path(f"/proc/{pid}").exists()}
        time.sleep(0.1)
    assert not workers, f"worker processes still running: {sorted(workers)}"


def _children(pid: int) -> set[int]:
    return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
