"""The coproduction ontology: OWL 2 DL classes and properties and the SKOS concept schemes."""
