"""People: one resource per person, and two people merged only on evidence.

A person's IRI comes from the family name and the given name (:func:`~coprokg.loaders.iris.person_iri`),
so the same full name is the same person whatever the punctuation ("K.A. Randolph" and
"KA Randolph" are one), and different given names are different people ("Carl" and "Csl";
five Zhang Y.'s with five given names). Initials alone ("Zhang, Y.") are the person with a
full given name they match, when exactly one such person is known (in the store or in the
load); otherwise the initials are a person of their own and the candidates are reported.
An ORCID iD is evidence before any name: records giving the same one are the same person,
however the name is written.
A new given name next to a stored person with the same family name and initial is reported
as a possible same person, never merged into it. A name mixing scripts (a Cyrillic letter in
a Latin surname) is reported as a look-alike.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pyoxigraph import Literal

from coprokg.loaders.values import query_values
from coprokg.loaders.iris import given_parts, initials, person_iri, scripts, slug
from coprokg.loaders.report import Origin, Report

PEOPLE_BY_FAMILY = (Path(__file__).parent / "sparql" / "people_by_family.rq").read_text()
_ALPHABETS = {"LATIN", "CYRILLIC", "GREEK"}  # scripts whose letters look alike


def stored_people(store, names: list[tuple[str, str]]) -> list[tuple[str, str, str, str | None]]:
    """(IRI, family, given, ORCID) of the store's people with the family names of ``names``."""
    families = sorted({family for family, _ in names if family})
    rows = query_values(store, PEOPLE_BY_FAMILY, "family", [Literal(f) for f in families])
    return [(r["person"].value, r["family"].value, r["given"].value if r["given"] is not None else "",
             r["orcid"].value if r["orcid"] is not None else None) for r in rows]


class People:
    """The IRIs of a load's people, from the names in the load and the people already stored."""

    def __init__(self, report: Report, base: str, names=(), stored=()):
        self.report = report
        self.base = base
        self.stored = {iri for iri, *_ in stored}
        # family key -> {IRI: given name} of every person known with a full given name or initials
        self.known: dict[str, dict[str, str]] = defaultdict(dict)
        self.by_orcid: dict[str, str] = {}  # ORCID IRI -> the person who has it in the store
        for iri, family, given, orcid in stored:
            self.known[slug(family)][iri] = given
            if orcid:
                self.by_orcid.setdefault(orcid, iri)
        for family, given in names:
            if family.strip():
                self.known[slug(family)].setdefault(str(person_iri(family, given, self.base)), given)
        self.resolved: dict[tuple[str, str], str] = {}
        self.warned: set = set()

    def iri(self, family: str, given: str, origin: Origin, field: str, orcid: str | None = None) -> str:
        """The IRI of the person named (family, given), with ``orcid`` if the record gives one,
        in ``origin``'s ``field``: the ORCID iD is evidence before any name."""
        if orcid:
            found = self.by_orcid.get(orcid)
            if found is None:
                found = self.by_orcid[orcid] = self.iri(family, given, origin, field)
            return found
        found = self.resolved.get((family, given))
        if found is None:
            found = self.resolved[family, given] = self._resolve(family, given, origin, field)
            self._look_alike(family, given, origin, field)
        return found

    def given(self, iri: str, family: str, given: str) -> str:
        """The given name of the person ``iri`` as known (the full one where initials were
        resolved to a person known by full name), else ``given``."""
        return self.known[slug(family)].get(iri, given)

    def _resolve(self, family: str, given: str, origin: Origin, field: str) -> str:
        own = str(person_iri(family, given, self.base))
        key, only_initials = given_parts(given)
        family_key = slug(family)
        written = f"{given} {family}".strip()
        if only_initials and key:
            full = {iri: g for iri, g in self.known[family_key].items() if not given_parts(g)[1] and _match(initials(g), key)}
            if len(full) == 1:
                return next(iter(full))
            if full:
                self._warn(("initials", own), origin, field, written,
                           f"these initials match {len(full)} people known with full given names "
                           f"({_listed(full, family)}); kept as a person of their own",
                           "write the full given name to link the author to the right person")
            return own
        if own not in self.stored:
            alike = {iri: g for iri, g in self.known[family_key].items()
                     if iri in self.stored and iri != own and _match(initials(g), initials(given))}
            if alike:
                self._warn(("alike", own), origin, field, written,
                           f"possibly the same person as {_listed(alike, family)} already in the store "
                           "(same family name and initial, another given name); kept apart",
                           "if it is the same person, spell the given name the same way in both records")
        return own

    def _look_alike(self, family: str, given: str, origin: Origin, field: str) -> None:
        for word in f"{family} {given}".split():
            mixed = scripts(word) & _ALPHABETS
            if len(mixed) > 1:
                self._warn(("mixed", family, given), origin, field, f"{given} {family}".strip(),
                           f"the name {word!r} mixes {' and '.join(sorted(mixed)).lower()} letters that look alike",
                           "retype the name in one script (a look-alike letter was probably pasted in)")
                return

    def _warn(self, key: tuple, origin: Origin, field: str, value: str, message: str, hint: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.report.warning(origin, message, hint, field=field, value=value)


def _match(one: str, other: str) -> bool:
    """Initials that can be of one name: 'k' and 'ka' can, 'ka' and 'kb' cannot."""
    return bool(one) and bool(other) and (one.startswith(other) or other.startswith(one))


def _listed(people: dict[str, str], family: str) -> str:
    names = sorted(f"{given} {family}".strip() for given in people.values())
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
