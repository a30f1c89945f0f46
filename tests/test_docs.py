"""The README is the front door: what it documents must match what the code does."""

from __future__ import annotations

import re

from click.testing import CliRunner

from coprokg.cli import cli
from tests.support import REPO

README = (REPO / "README.md").read_text()


def test_readme_settings_table_is_the_generated_one():
    generated = CliRunner().invoke(cli, ["settings", "--markdown"], env={}).output.strip()
    assert generated in README, "run `coprokg settings --markdown` and paste it into the README"


def test_every_command_is_in_the_readme():
    for name in cli.commands:
        assert f"`coprokg {name}" in README, f"the README does not document `coprokg {name}`"


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"^make (\w+)", README, flags=re.MULTILINE)
    assert commands[:2] == ["serve", "test"]
    assert re.search(r"^make test$", (REPO / ".ci" / "run").read_text(), flags=re.MULTILINE)


def test_readme_lists_every_question_of_the_catalog():
    generated = CliRunner().invoke(cli, ["queries", "--markdown"], env={}).output.strip()
    assert generated in README, "run `coprokg queries --markdown` and paste it into the README's Questions section"
