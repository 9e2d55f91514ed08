"""Orchestrates the extractors for one file (work in progress: filled by the core commit)."""

from __future__ import annotations

from dl_lsp.config import Settings
from dl_lsp.facts import ProgramFacts
from dl_lsp.source import ParsedSource


def extract_program(source: ParsedSource, settings: Settings) -> ProgramFacts:
    """Every fact about one parsed file."""
    return ProgramFacts()
