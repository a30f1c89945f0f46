"""Deterministic IRIs: the same paper, person or claim always gets the same IRI.

Every loader and the curated data mint through these functions, so a paper loaded from BibTeX,
RIS, CSL-JSON or the CSV template, or cited in two reference lists, is one resource.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from rdflib import URIRef

from coprokg.vocab import VOCAB_BASE

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_NON_WORD = re.compile(r"[\W_]+")
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def slug(text: str) -> str:
    """ASCII, lower case, words joined by hyphens: 'Kjellström' -> 'kjellstrom'."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return _NON_SLUG.sub("-", ascii_text).strip("-")


def normalise_title(title: str) -> str:
    """The form titles are compared in: NFKC, case-folded, punctuation runs as one space."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()


def normalise_doi(value: str) -> str | None:
    """The bare, lower-case DOI in ``value`` (a DOI, 'doi:' form or doi.org URL), or None if it is not one."""
    doi = _DOI_PREFIX.sub("", value.strip()).strip().lower()
    return doi if _DOI.match(doi) else None


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def paper_iri(*, doi: str | None, family: str | None, year: str | None, title: str | None,
              record_id: str | None = None, base: str = VOCAB_BASE) -> URIRef:
    """A paper's IRI: from its normalised DOI when it has one, else first author, year and title.

    A record without a title (a row of a review's table that names only first author and year)
    is told apart by its record id.
    """
    if doi:
        return URIRef(f"{base}paper/doi/{quote(doi, safe='/')}")
    key = normalise_title(title) if title else f"untitled|{record_id or ''}"
    return URIRef(f"{base}paper/{slug(family or 'anonymous')}-{year or 'nd'}-{_sha1(key)[:8]}")


def person_iri(family: str, given: str = "", base: str = VOCAB_BASE) -> URIRef:
    """A person's IRI from family name and initials: 'Eriksson', 'Eglė' -> person/eriksson-e."""
    initials = "".join(part[0] for part in slug(given).split("-") if part)
    return URIRef(f"{base}person/{slug(family)}" + (f"-{initials}" if initials else ""))


def annotation_iri(target: str, body: str, motivation: str, creator: str, exact: str,
                   base: str = VOCAB_BASE) -> URIRef:
    """A Web Annotation's IRI: the same claim about the same passage is the same annotation."""
    key = "|".join((target, body, motivation, creator, exact))
    return URIRef(f"{base}annotation/{_sha1(key)[:16]}")
