"""Deterministic IRIs: the same paper, person or claim always gets the same IRI.

Every loader and the curated data mint through these functions, so a paper loaded from BibTeX,
RIS, CSL-JSON or the CSV template, or cited in two reference lists, is one resource.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote, unquote

from anyascii import anyascii
from rdflib import URIRef

from coprokg.vocab import VOCAB_BASE

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_NON_WORD = re.compile(r"[\W_]+")
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_HTML_LINK = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"'][^>]*>.*?</a>", re.IGNORECASE | re.DOTALL)
_PROXIED_DOI = re.compile(r"^https?://(?:[\w-]+\.)*(?:dx\.)?doi[.-]org(?:[.:][^/]*)?/(10\.\d{4,9}/.+)$", re.IGNORECASE)


def slug(text: str) -> str:
    """ASCII, lower case, words joined by hyphens, defined for every script: 'Kjellström' ->
    'kjellstrom', 'Bjørn' -> 'bjorn'; text with letters of another script than Latin is
    transliterated (anyascii) and given a hash of the original, since transliteration joins
    names apart ('王 伟' and '汪 伟' are both 'Wang Wei'): '王 伟' -> 'wang-wei-65d5b2'."""
    folded = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    if kept.isascii():
        return _NON_SLUG.sub("-", kept.casefold()).strip("-")
    plain = _NON_SLUG.sub("-", anyascii(kept).casefold()).strip("-")
    if all(_latin(c) for c in kept if c.isalpha()):
        return plain
    return "-".join(part for part in (plain, _sha1(unicodedata.normalize("NFC", text).casefold())[:6]) if part)


def _latin(letter: str) -> bool:
    return letter.isascii() or unicodedata.name(letter, "").startswith("LATIN")


def scripts(word: str) -> set[str]:
    """The scripts of a word's letters, by their Unicode names: {'LATIN', 'CYRILLIC'} for a
    Latin name holding a Cyrillic look-alike letter."""
    return {"LATIN" if c.isascii() else unicodedata.name(c, "UNKNOWN").split()[0] for c in word if c.isalpha()}


def normalise_title(title: str) -> str:
    """The form titles are compared in: NFKC, case-folded, punctuation runs as one space."""
    return _NON_WORD.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()


def same_text(one: str, other: str) -> bool:
    """Texts that differ only trivially: in punctuation and spacing ('K.A. Randolph', 'KA
    Randolph'), or in case where one is written all in capitals (Web of Science's journal
    titles). Other differences of case are real ('Co-Production' and 'co-production')."""
    a, b = (_NON_WORD.sub("", unicodedata.normalize("NFKC", text)) for text in (one, other))
    return a == b or ((one.isupper() or other.isupper()) and a.casefold() == b.casefold())


def normalise_doi(value: str) -> str | None:
    """The bare, lower-case DOI in ``value``, or None if it is not one: a DOI, its 'doi:' form,
    a doi.org URL, and the forms exports carry it in, where unambiguous: a library proxy's link
    (https://doi-org.ezproxy.example.edu/10..., https://proxy.example.edu/login?url=https://doi.org/10...)
    and an HTML link to one of these."""
    text = value.strip()
    link = _HTML_LINK.fullmatch(text)
    if link:
        text = link[1].strip()
    if text.lower().startswith(("http://", "https://")):
        text = unquote(text.rsplit("url=", 1)[-1]) if "url=" in text else text
        proxied = _PROXIED_DOI.match(text)
        text = f"https://doi.org/{proxied[1]}" if proxied else text
    doi = _DOI_PREFIX.sub("", text).strip().lower()
    return doi if _DOI.match(doi) else None


def doi_link(url: str | None) -> str | None:
    """The DOI a URL resolves, when it is a (proxied) doi.org link; None otherwise."""
    return normalise_doi(url) if url and _PROXIED_DOI.match(unquote(url.rsplit("url=", 1)[-1]).strip()) else None


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def paper_iri(*, doi: str | None, family: str | None, year: str | None, title: str | None,
              record_id: str | None = None, distinction: str = "", base: str = VOCAB_BASE) -> URIRef:
    """A paper's IRI: from its normalised DOI when it has one, else first author, year and title.

    A record without a title (a row of a review's table that names only first author and year)
    is told apart by its record id; a work with the title, year and first author of another
    one, by its ``distinction`` (volume, container, type).
    """
    if doi:
        return URIRef(f"{base}paper/doi/{quote(doi, safe='/')}")
    key = normalise_title(title) if title else f"untitled|{record_id or ''}"
    key += f"|{distinction}" if distinction else ""
    return URIRef(f"{base}paper/{slug(family or 'anonymous')}-{year or 'nd'}-{_sha1(key)[:8]}")


_NAME_PARTS = re.compile(r"[\s.\-\u2010-\u2015]+")


def given_parts(given: str) -> tuple[str, bool]:
    """A given name as its key and whether it is initials only, whatever the punctuation:
    'K.A.', 'K. A.', 'KA' -> ('ka', True); 'Ann-Marie' -> ('ann-marie', False);
    'Karen A.' -> ('karen-a', False). A single word of two or three capitals (Web of Science's
    'KA') is initials; a one-character name of a script without case ('伟') is not."""
    words = [w for w in _NAME_PARTS.split(given.strip()) if w]
    if len(words) == 1 and 2 <= len(words[0]) <= 3 and words[0].isupper() and words[0].isalpha():
        words = list(words[0])
    if all(len(w) == 1 and w.lower() != w.upper() for w in words):  # letters of a cased script
        return "".join(slug(w)[:1] for w in words), True
    return "-".join(filter(None, (slug(w) for w in words))), False


def initials(given: str) -> str:
    """The initials of a given name: 'Karen Ann' -> 'ka', 'K.A.' -> 'ka'."""
    key, only_initials = given_parts(given)
    return key if only_initials else "".join(part[:1] for part in key.split("-") if part)


def person_iri(family: str, given: str = "", base: str = VOCAB_BASE) -> URIRef:
    """A person's IRI from family name and given name (or initials), the same whatever the
    punctuation: 'Eriksson', 'Eva' -> person/eriksson-eva; 'Randolph', 'K.A.' or 'KA' ->
    person/randolph-ka; defined for names in any script (see :func:`slug`)."""
    key = given_parts(given)[0]
    return URIRef(f"{base}person/{slug(family) or 'unnamed'}" + (f"-{key}" if key else ""))


_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])", re.IGNORECASE)


def normalise_orcid(value: str | None) -> str | None:
    """An ORCID iD as its IRI (https://orcid.org/0000-0002-1825-0097), from the bare iD or any
    orcid.org URL, its check digit verified (ISO 7064 MOD 11-2); None if it is not one."""
    found = _ORCID.search(value or "")
    if not found:
        return None
    digits = "".join(found.groups()).upper()
    total = 0
    for digit in digits[:15]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    if digits[15] != ("X" if check == 10 else str(check)):
        return None
    return "https://orcid.org/" + "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def journal_iri(title: str, issn: str | None = None, base: str = VOCAB_BASE) -> URIRef:
    """A journal's IRI: from its ISSN where it has one (journal/issn/0000-0000), else from its
    title in any script (see :func:`slug`)."""
    if issn:
        return URIRef(f"{base}journal/issn/{issn}")
    return URIRef(f"{base}journal/{slug(title) or _sha1(title)[:12]}")


_ISSN = re.compile(r"\b(\d{4})-?(\d{3}[\dxX])\b")


def normalise_issn(value: str | None) -> str | None:
    """The first valid ISSN in ``value`` (check digit verified) as 0000-000X, or None."""
    for found in _ISSN.finditer(value or ""):
        digits = found[1] + found[2].upper()
        total = sum(int(d) * w for d, w in zip(digits[:7], range(8, 1, -1)))
        check = (11 - total % 11) % 11
        if digits[7] == ("X" if check == 10 else str(check)):
            return f"{digits[:4]}-{digits[4:]}"
    return None


def annotation_iri(target: str, body: str, motivation: str, creator: str, exact: str,
                   base: str = VOCAB_BASE) -> URIRef:
    """A Web Annotation's IRI: the same claim about the same passage is the same annotation."""
    key = "|".join((target, body, motivation, creator, exact))
    return URIRef(f"{base}annotation/{_sha1(key)[:16]}")
