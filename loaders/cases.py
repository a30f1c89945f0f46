"""Case studies: the record the cases CSV template is read into, and its triples."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from pyoxigraph import Literal, NamedNode
from rdflib.namespace import SH

from coprokg.loaders.build import Context, bad_text, report_bad_text
from coprokg.loaders.iris import slug
from coprokg.loaders.report import Origin
from coprokg.loaders.terms import COP, RDF, RDFS, iri
from coprokg.shapes.validate import message


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


def case_iri(case: Case, base: str) -> NamedNode:
    return NamedNode(f"{base}case/{slug(case.id or case.name or 'unnamed')}")


def case_triples(case: Case, case_node: NamedNode, ctx: Context) -> list[tuple]:
    o = case.origin
    found = bad_text({f.name: getattr(case, f.name) for f in fields(Case) if f.name not in ("origin", "id")})
    if found:
        report_bad_text(ctx.report, o, found)
        return []
    if not case.name:
        ctx.report.error(o, message(RDFS.label.value, SH.minCount), field="name")
    t: list[tuple] = [(case_node, RDF.type, COP.CaseStudy)]
    for prop, value in ((RDFS.label, case.name), (COP.setting, case.setting), (COP.place, case.place),
                        (COP.background, case.background), (COP.objectiveText, case.objective),
                        (COP.researchAim, case.research_aim)):
        if value:
            t.append((case_node, prop, Literal(value)))
    for value in case.countries:
        country = ctx.country(value, o, "country")
        if country is not None:
            t.append((case_node, COP.country, country))
    t.extend((case_node, COP.usesMethod, c) for c in ctx.concepts_for(case.methods, o, "methods", "method"))
    t.extend((case_node, COP.informsObjective, c)
             for c in ctx.concepts_for(case.informs_objectives, o, "informs_objectives", "samskapa-objective"))
    t.extend((case_node, COP.vulnerableGroup, Literal(group)) for group in dict.fromkeys(case.vulnerable_groups))
    if case.programme:
        programme = ctx.named(case.programme, o, "programme") if case.programme.startswith(("http://", "https://")) \
            else iri(f"{ctx.base}programme/{slug(case.programme)}")
        if programme is not None:
            t.append((case_node, COP.partOfProgramme, programme))
    for value in case.reported_in:
        paper = ctx.work_iri(value, o, "reported_in")
        if paper is not None:
            t.append((case_node, COP.reportedIn, paper))
    return t
