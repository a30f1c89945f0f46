"""Dumps that cannot lie: sealed by export, checked by import, written
atomically, on the real CLI."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time

from tests.support import coprokg

QUADS = 300_000


def _quads(n: int) -> bytes:
    return b"".join(b'<http://example.org/s%d> <http://example.org/p> "value %d" <http://example.org/g> .\n' % (i, i)
                    for i in range(n))


def _store_with(cli_env, n: int) -> None:
    result = coprokg("import", "-", "--format", "nquads", "--force", env=cli_env, input=_quads(n))
    assert result.returncode == 0, result.stderr


def test_export_ends_with_a_seal_of_count_and_checksum(cli_env, tmp_path):
    _store_with(cli_env, 10)
    out = tmp_path / "backup.nq"
    result = coprokg("export", "-o", str(out), env=cli_env)
    assert result.returncode == 0, result.stderr
    body, _, seal = out.read_bytes().rstrip(b"\n").rpartition(b"\n")
    count = sum(1 for line in body.splitlines() if line and not line.startswith(b"#"))
    digest = hashlib.sha256(body + b"\n").hexdigest()
    assert seal.decode() == f"# coprokg-dump quads={count} sha256={digest}"
    assert f"exported {count} quads" in result.stderr.decode()
    assert coprokg("export", env=cli_env).stdout == out.read_bytes()


def test_import_refuses_a_dump_cut_at_a_line_boundary_and_leaves_the_store_unchanged(cli_env, tmp_path):
    _store_with(cli_env, 10)
    dump = tmp_path / "backup.nq"
    assert coprokg("export", "-o", str(dump), env=cli_env).returncode == 0
    lines = dump.read_bytes().splitlines(keepends=True)
    cut = tmp_path / "cut.nq"
    cut.write_bytes(b"".join(lines[: len(lines) // 2]))
    before = coprokg("export", env=cli_env).stdout
    result = coprokg("import", str(cut), env=cli_env)
    assert result.returncode == 1
    message = result.stderr.decode().strip()
    assert len(message.splitlines()) == 1 and "cut.nq" in message and "no seal" in message and "--force" in message
    assert coprokg("export", env=cli_env).stdout == before


def test_import_refuses_a_dump_changed_after_export(cli_env, tmp_path):
    _store_with(cli_env, 10)
    dump = tmp_path / "backup.nq"
    assert coprokg("export", "-o", str(dump), env=cli_env).returncode == 0
    dump.write_bytes(dump.read_bytes().replace(b'"value 3"', b'"value 4"'))
    copy = {**cli_env, "COPROKG_STORE": str(tmp_path / "copy")}
    result = coprokg("import", str(dump), env=copy)
    assert result.returncode == 1
    assert "does not match its seal" in result.stderr.decode()
    assert not (tmp_path / "copy").exists(), "a refused dump opens no store"


def test_import_force_takes_a_foreign_dump_and_a_sealed_dump_restores_every_quad(cli_env, tmp_path):
    foreign = tmp_path / "foreign.nq"
    foreign.write_bytes(_quads(3))
    assert coprokg("import", str(foreign), env=cli_env).returncode == 1
    result = coprokg("import", "--force", str(foreign), env=cli_env)
    assert result.returncode == 0, result.stderr
    sealed = tmp_path / "sealed.trig"
    assert coprokg("export", "--format", "trig", "-o", str(sealed), env=cli_env).returncode == 0
    copy = {**cli_env, "COPROKG_STORE": str(tmp_path / "copy")}
    assert coprokg("import", str(sealed), env=copy).returncode == 0
    assert coprokg("export", env=copy).stdout == coprokg("export", env=cli_env).stdout


def test_export_makes_a_missing_folder(cli_env, tmp_path):
    target = tmp_path / "nodir" / "deeper" / "x.nq"
    result = coprokg("export", "-o", str(target), env=cli_env)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(b"<")


def test_export_killed_part_way_leaves_the_previous_dump_intact(cli_env, tmp_path):
    _store_with(cli_env, QUADS)
    target = tmp_path / "backup.nq"
    killed = 0
    for _ in range(5):
        target.write_bytes(b"the previous good dump\n")
        process = subprocess.Popen([sys.executable, "-m", "coprokg", "export", "-o", str(target)], env=cli_env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            partial = list(tmp_path.glob(".backup.nq.*.part"))
            if partial and partial[0].stat().st_size > 0:
                process.send_signal(signal.SIGKILL)
                killed += 1
                break
            time.sleep(0.005)
        process.wait(timeout=60)
        if killed:
            break
    assert killed, "the export finished every time before it could be killed mid-way"
    assert target.read_bytes() == b"the previous good dump\n"
