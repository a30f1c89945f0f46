"""SHACL shapes for everything that can be loaded, and validation with readable reports."""
