"""The dataset as a citable work: its title, licence, terms for the quoted passages, and citation.

One place for what the VoID description (live and released), the home page and the release
dumps say about the graph as a whole. The data licence covers what coprokg adds (the
structure, the curation, the identifiers); the passages the graph quotes keep their source
works' own terms, which each source work states (``dcterms:license`` / ``dcterms:rights``).
"""

from __future__ import annotations

from dataclasses import dataclass

TITLE = "coprokg: a knowledge graph of the coproduction literature"
DESCRIPTION = (
    "An OWL ontology and SKOS concepts of the coproduction literature, the papers, case studies and "
    "practices that use them, and the claims of four source papers with the passages they rest on."
)
CREATOR = "The coprokg contributors"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_NAME = "CC BY 4.0"
RIGHTS = (
    "The graph is licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). The passages it "
    "quotes (oa:exact, cop:quote) remain under the terms of the works they are quoted from: each "
    "source work states its own (dcterms:license, dcterms:rights) and its citation "
    "(dcterms:bibliographicCitation). Those terms allow non-commercial reuse of the passages, with "
    "their citation and unaltered."
)


def dataset_iri(base: str) -> str:
    return base + "dataset"


def version_iri(base: str, version: str) -> str:
    return f"{base}dataset/{version}"


@dataclass(frozen=True)
class Citation:
    """How to cite one version of the dataset."""

    version: str
    date: str  # YYYY-MM-DD
    iri: str

    def __str__(self) -> str:
        return f"{CREATOR} ({self.date[:4]}). {TITLE}, version {self.version} ({self.date}) [Data set]. {self.iri}"
