"""The two reference lists as BibTeX: every entry of each list, typed, with the DOIs the papers give."""

from __future__ import annotations

from collections import Counter

import bibtexparser
import pytest

from coprokg.loaders.iris import normalise_doi
from tests.data.support import DATA, seed_text

ERIKSSON = DATA / "references-eriksson-2022.bib"
REVIEW = DATA / "references-robert-2024.bib"


def entries(path):
    library = bibtexparser.parse_file(str(path))
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    return {entry.key: entry for entry in library.entries}


def field(entry, name):
    found = entry.fields_dict.get(name)
    return found.value if found else None


def test_eriksson_list_has_every_entry_of_the_paper():
    found = entries(ERIKSSON)
    text = seed_text("eriksson")
    references = text[text.rindex("References") :]
    assert len(found) == references.count(" - ") + references.startswith("- ") == 112


def test_review_list_has_its_41_numbered_references():
    assert len(entries(REVIEW)) == 41


@pytest.mark.parametrize(
    ("path", "key", "doi"),
    [
        (ERIKSSON, "nabatchi2017varieties", "10.1111/puar.12765"),
        (ERIKSSON, "marmot2015health", "10.1016/S0140-6736(15)00150-6"),
        (ERIKSSON, "williams2016co", "10.1080/14719037.2015.1111660"),
        (ERIKSSON, "voorberg2015systematic", "10.1080/14719037.2014.930505"),
        (REVIEW, "batalden2016coproduction", "10.1136/bmjqs-2015-004315"),
        (REVIEW, "kjellstrom2019exploring", "10.1136/bmjopen-2019-029723"),
        (REVIEW, "mccullkennedy2012health", "10.1177/1094670512442806"),
        (REVIEW, "batalden2018getting", "10.1136/bmj.k3617"),
    ],
)
def test_sample_entries_carry_the_doi_the_paper_gives(path, key, doi):
    entry = entries(path)[key]
    assert field(entry, "doi") == doi
    assert normalise_doi(doi), f"{doi} is not a valid DOI"


def test_every_doi_given_in_the_lists_is_kept_verbatim():
    for path, seed in ((ERIKSSON, "eriksson"), (REVIEW, "review")):
        text = seed_text(seed)
        references = text[text.rindex("References") :]
        kept = [field(e, "doi") for e in entries(path).values() if field(e, "doi")]
        assert len(kept) == references.count("https://doi.org/")
        assert [doi for doi in kept if f"doi.org/{doi}" not in references] == []


def test_entry_types_follow_what_each_item_is():
    eriksson = entries(ERIKSSON)
    assert eriksson["legrand1982strategy"].entry_type == "book"
    assert eriksson["loeffler2021four"].entry_type == "incollection"
    assert field(eriksson["loeffler2021four"], "booktitle") == "Co-Production of Public Services and Outcomes"
    assert eriksson["whitehead1990concepts"].entry_type == "techreport"
    assert eriksson["skr2020swedish"].entry_type == "online"
    assert Counter(e.entry_type for e in eriksson.values())["article"] == 79
    review = entries(REVIEW)
    assert review["robert2022co"].entry_type == "book"
    assert field(review["fugini2016co"], "editor") == "Fugini, M. and Bracci, E. and Sicilia, M."


def test_works_cited_by_both_papers_share_their_doi():
    eriksson = {field(e, "doi") for e in entries(ERIKSSON).values()}
    review = {field(e, "doi") for e in entries(REVIEW).values()}
    assert eriksson & review - {None} == {
        "10.1080/14719037.2013.822535",  # Cepiku and Giordano 2014
        "10.1111/puar.12765",  # Nabatchi, Sancino and Sicilia 2017
        "10.1111/1467-8551.12010",  # Osborne and Strokosch 2013
    }
