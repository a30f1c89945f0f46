"""What only the embedded store does: persistence on disk and one writer at a time."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from coprokg.errors import StoreError, StoreLocked
from coprokg.store import EmbeddedStore

G = NamedNode("http://example.org/graph/1")
TRIPLE = Triple(NamedNode("http://example.org/a"), NamedNode("http://example.org/b"), Literal("kept"))


def test_data_and_version_survive_closing_and_reopening(tmp_path):
    first = EmbeddedStore(tmp_path / "store")
    first.add_graph(G, [TRIPLE])
    version = first.version()
    first.close()
    second = EmbeddedStore(tmp_path / "store")
    assert not second.is_new()
    assert second.version() == version
    assert bool(second.query("ASK { ?s ?p 'kept' }"))
    second.close()


def test_a_second_process_is_refused_with_a_clear_message(tmp_path):
    holder = EmbeddedStore(tmp_path / "store")
    probe = (
        "from store import EmbeddedStore\n"
        "from coprokg.errors import StoreLocked\n"
        f"try:\n    EmbeddedStore({str(tmp_path / 'store')!r})\n"
        "except StoreLocked as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    holder.close()
    assert "the store is open in another process" in out.stdout
    assert str(tmp_path / "store") in out.stdout


def test_a_path_that_cannot_be_created_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError) as raised:
        EmbeddedStore(blocker / "store")
    assert not isinstance(raised.value, StoreLocked)
    assert str(blocker / "store") in str(raised.value)
    assert "COPROKG_STORE" in str(raised.value)
