"""Device placement extraction (DEV2xx)."""

from __future__ import annotations

from dl_lsp.extract.context import ExtractionContext
from dl_lsp.facts.devices import DeviceFacts


def extract_devices(context: ExtractionContext) -> DeviceFacts:
    """Device facts of one file."""
    return DeviceFacts()
