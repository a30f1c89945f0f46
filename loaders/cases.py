"""Case studies: the record the cases CSV template is read into, and its triples."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from coprokg.vocab import COP
from loaders.build import Context
from loaders.iris import slug
from loaders.report import Origin


@dataclass
class Case:
    origin: Origin
    id: str | None = None
    name: str | None = None
    countries: list[str] = field(default_factory=list)
    setting: str | None = None
    place: str | None = None
    background: str | None = None
    objective: str | None = None
    research_aim: str | None = None
    methods: list[str] = field(default_factory=list)
    vulnerable_groups: list[str] = field(default_factory=list)
    programme: str | None = None
    reported_in: list[str] = field(default_factory=list)
    informs_objectives: list[str] = field(default_factory=list)


def case_iri(case: Case, base: str) -> URIRef:
    return URIRef(f"{base}case/{slug(case.id or case.name or 'unnamed')}")


def case_triples(case: Case, iri: URIRef, ctx: Context) -> list[tuple]:
    o = case.origin
    t: list[tuple] = [(iri, RDF.type, COP.CaseStudy)]
    for prop, value in ((RDFS.label, case.name), (COP.setting, case.setting), (COP.place, case.place),
                        (COP.background, case.background), (COP.objectiveText, case.objective),
                        (COP.researchAim, case.research_aim)):
        if value:
            t.append((iri, prop, Literal(value)))
    for value in case.countries:
        country = ctx.country(value, o, "country")
        if country is not None:
            t.append((iri, COP.country, country))
    t.extend((iri, COP.usesMethod, c) for c in ctx.concepts_for(case.methods, o, "methods", "method"))
    t.extend((iri, COP.informsObjective, c)
             for c in ctx.concepts_for(case.informs_objectives, o, "informs_objectives", "samskapa-objective"))
    t.extend((iri, COP.vulnerableGroup, Literal(group)) for group in case.vulnerable_groups)
    if case.programme:
        programme = URIRef(case.programme) if case.programme.startswith(("http://", "https://")) \
            else URIRef(f"{ctx.base}programme/{slug(case.programme)}")
        t.append((iri, COP.partOfProgramme, programme))
    for value in case.reported_in:
        paper = ctx.work_iri(value, o, "reported_in")
        if paper is not None:
            t.append((iri, COP.reportedIn, paper))
    return t
