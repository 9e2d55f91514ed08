"""Shared fixtures of the triage tests: the labelled corpus and a triage without embeddings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import tomllib

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
LABELS = HERE / "labels.toml"


def labelled_reports() -> list[tuple[str, str]]:
    """(file name, hand label) for every report of the corpus."""
    labels = tomllib.loads(LABELS.read_text(encoding="utf-8"))["report"]
    return sorted((name, entry["bug_type"]) for name, entry in labels.items())


@pytest.fixture
def dl_lsp_command() -> list[str]:
    return [sys.executable, "-m", "dl_lsp"]
