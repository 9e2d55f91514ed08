"""Extractors: from a syntax tree to the framework-neutral facts."""
