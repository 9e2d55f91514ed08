"""Triage options from what a user said: a mined taxonomy file, embeddings on or off."""

from __future__ import annotations

from pathlib import Path

from dl_lsp.taxonomy import load_guidance_file
from dl_lsp.triage.embedding import shared_client
from dl_lsp.triage.pipeline import TriageOptions


def triage_options(taxonomy: Path | None = None, embeddings: bool = True) -> TriageOptions:
    """Options for the CLI and the server; ValueError/OSError when the taxonomy file is bad."""
    guidance = load_guidance_file(taxonomy) if taxonomy is not None else None
    client = shared_client() if embeddings else None
    if client is not None and not client.available:
        client = None
    return TriageOptions(
        embeddings=client,
        guidance=guidance,
        guidance_basis="mined" if guidance is not None else "paper",
    )
