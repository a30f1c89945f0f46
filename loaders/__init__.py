"""Loaders: one module per input format, and the shared pipeline (IRIs, dedupe, tagging, provenance)."""
