"""The software's licence and citation agree with the package's metadata."""

from __future__ import annotations

import tomllib

import yaml

from tests.support import REPO


def test_citation_cff_names_the_package_version_and_licence():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == project["version"]
    assert citation["license"] == project["license"] == "MIT"
    assert citation["title"].startswith(project["name"])
    assert citation["authors"]


def test_the_licence_file_is_the_mit_licence():
    text = (REPO / "LICENSE").read_text()
    assert text.startswith("MIT License\n") and "Permission is hereby granted, free of charge" in text
