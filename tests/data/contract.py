"""The concept slugs the data model fixes (concept/<slug>), which the ontology defines.

Concepts the curated data uses beyond these are listed with their labels (``REQUESTED``); the
CSV files name concepts by label, listed in ``LABELS``.
"""

CONTRACT = set(
    """
    co-commissioning co-design co-delivery co-assessment prospective concurrent retrospective voice action
    coproduction cocreation individual-level group-level collective-level
    client customer volunteer citizen lead-patient patient-representative public-administrator
    local-administration regional-administration national-administration
    instrumental-reason normative-reason efficiency effectiveness innovativeness democracy social-capital common-good
    justice-reason perspective-reason resource-reason
    equality-of-public-expenditure equality-of-final-income equality-of-use equality-of-cost equality-of-outcome
    equality-of-opportunity equality-of-representation equality-of-influence equality-as-sameness equality-as-difference
    equity legitimate-inequality illegitimate-inequality
    external-exclusion internal-exclusion random-selection demographic-recruitment lowering-barriers incentives tokenism
    handpicked-patient elite-capture gig-economy dark-side
    human-value-principle cost-efficiency-principle solidarity-principle
    service-dominant-logic public-service-dominant-logic value-co-creation value-co-destruction value-in-use
    resource-integration publicness
    consumer-coproduction participative-coproduction enhanced-coproduction additive-coproduction
    transformative-coproduction fugitive-coproduction everyday-coproduction co-contamination co-governance co-management
    conceptual-theoretical-model practice-oriented-model typology boundary-spanning-model
    public-administration public-management management sociology health-services-research quality-improvement
    health-policy public-health marketing design philosophy nursing mental-health social-policy community-organising
    service-research
    pam-literature sociology-literature hsr-literature qi-literature
    objective-measurement objective-mechanisms objective-management objective-models
    knowledge-gap-measurement knowledge-gap-mechanisms knowledge-gap-management
    power power-relations trust empowerment agency inclusion capability-approach primary-goods equality-of-resources
    mutuality reciprocity exploitation reinforcing-inequalities loss-of-radical-roots uncritical-adoption layperson
    seldom-heard-groups experience-based-co-design accelerated-experience-based-co-design saturation member-checking
    peer-debriefing le-grand-equality-dimensions narrative-review scoping-review
    interviews non-participant-observation participant-observation focus-groups survey prom prem feasibility-rct
    realistic-evaluation participatory-action-research document-analysis
    """.split()
)

# Labels the CSV files use, by the concept they mean (prefLabel or altLabel in the ontology).
LABELS = {
    "Conceptual/theoretical model": "conceptual-theoretical-model",
    "Practice-oriented model": "practice-oriented-model",
    "Typology": "typology",
    "Boundary-spanning model": "boundary-spanning-model",
    "Social policy": "social-policy",
    "Sociology": "sociology",
    "Management": "management",
    "Public administration": "public-administration",
    "Health policy": "health-policy",
    "Design": "design",
    "Public management": "public-management",
    "Health services research": "health-services-research",
    "Social sciences": "social-sciences",
    "Marketing": "marketing",
    "Social welfare": "social-welfare",
    "Philosophy": "philosophy",
    "Public health": "public-health",
    "Health promotion": "health-promotion",
    "Community organizing": "community-organising",
    "Psychology": "psychology",
    "Third sector": "third-sector",
    "Social justice": "social-justice",
    "Primary care": "primary-care",
    "Development studies": "development-studies",
    "Health informatics": "health-informatics",
    "Nursing": "nursing",
    "Mental health": "mental-health",
    "Information technology": "information-technology",
    "Transdisciplinary": "transdisciplinary",
    "Organizational studies": "organizational-studies",
    "Service management": "service-management",
    "Co-contamination": "co-contamination",
    "Additive coproduction": "additive-coproduction",
    "Transformative coproduction": "transformative-coproduction",
    "Consumer coproduction": "consumer-coproduction",
    "Participative coproduction": "participative-coproduction",
    "Enhanced coproduction": "enhanced-coproduction",
    "Co-governance": "co-governance",
    "Co-management": "co-management",
    "Service-dominant logic": "service-dominant-logic",
    "Public service-dominant logic": "public-service-dominant-logic",
    "Value co-creation": "value-co-creation",
    "Value co-destruction": "value-co-destruction",
    "Value-in-use": "value-in-use",
    "Publicness": "publicness",
    "Co-design": "co-design",
    "Co-delivery": "co-delivery",
    "Co-commissioning": "co-commissioning",
    "Co-assessment": "co-assessment",
    "Individual level": "individual-level",
    "Group level": "group-level",
    "Collective level": "collective-level",
    "Cocreation": "cocreation",
    "Coproduction": "coproduction",
    "Everyday coproduction": "everyday-coproduction",
    "Measurement objective": "objective-measurement",
    "Mechanisms objective": "objective-mechanisms",
    "Management objective": "objective-management",
    "Models objective": "objective-models",
    "Interviews": "interviews",
    "Non-participant observation": "non-participant-observation",
    "Participant observation": "participant-observation",
    "Focus groups": "focus-groups",
    "Survey": "survey",
    "PROM": "prom",
    "Feasibility RCT": "feasibility-rct",
    "Realistic evaluation": "realistic-evaluation",
    "Participatory action research": "participatory-action-research",
    "Document analysis": "document-analysis",
    "Mixed methods": "mixed-methods",
    "Secondary data analysis": "secondary-data-analysis",
    "Process evaluation": "process-evaluation",
    "Patient diaries": "patient-diaries",
    "Action research": "action-research",
    "Observation": "observation",
    "Behaviour and function assessment": "behaviour-and-function-assessment",
    "Field notes": "field-notes",
    "Questionnaire": "questionnaire",
    "Pre-post test design": "pre-post-test-design",
    "Structured observation": "structured-observation",
    "Self-report measure": "self-report-measure",
    "Register data": "register-data",
}

# Concepts beyond the fixed list: one per distinct discipline value of the review's tables and
# per method of the protocol's Table 1.
REQUESTED = {slug for slug in LABELS.values()} - CONTRACT
