"""Typed literals whose text is not of their datatype (``"abc"^^xsd:integer``), found with
rdflib's XSD lexical rules, and rdflib kept quiet about them.

RDF 1.1 Concepts, section 3.3 (https://www.w3.org/TR/rdf11-concepts/#section-Graph-Literal):
such a literal is "ill-typed"; it parses, but a query comparing or summing it goes wrong, so a
load refuses it, naming the file, subject and property. rdflib, which pySHACL validates with,
logs a warning with a traceback (and Python warns) each time it meets one; coprokg reports
them itself, so those messages are dropped rather than printed on standard error.
"""

from __future__ import annotations

import logging
import warnings

from rdflib import Literal as RdfLiteral, URIRef

XSD = "http://www.w3.org/2001/XMLSchema#"
UNCHECKED = {XSD + "string", XSD + "normalizedString", XSD + "token"}

_term_log = logging.getLogger("rdflib.term")
_term_log.addHandler(logging.NullHandler())
_term_log.propagate = False


def ill_typed(value: str, datatype: str) -> bool:
    """True when ``value`` is not in the lexical space of the XSD ``datatype``; False for
    well-typed literals and for datatypes rdflib has no rule for."""
    if not datatype.startswith(XSD) or datatype in UNCHECKED:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return RdfLiteral(value, datatype=URIRef(datatype)).ill_typed is True
