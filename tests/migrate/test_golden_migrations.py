"""Each golden migration gives exactly its ``.out.py``, which parses (when the input did) and
which migrating again leaves as it is."""

from __future__ import annotations

import os

import pytest
from tests.migrate.golden_cases import GoldenMigration, golden_migrations

from dl_lsp.fixes.edits import parses

CASES = golden_migrations()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden_migration(case: GoldenMigration) -> None:
    result = case.run()
    if not case.expected.exists() and os.environ.get("DL_LSP_UPDATE_GOLDEN") == "1":
        case.expected.write_text(result.text, encoding="utf-8")
    assert result.text == case.expected.read_text(encoding="utf-8")
    source = case.source.read_text(encoding="utf-8")
    if parses(source):
        assert parses(result.text)
    assert (result.text != source) == bool(result.applied)
    again = case.run(result.text)
    assert again.text == result.text and again.applied == []


def test_every_mode_has_cases() -> None:
    assert {case.mode for case in CASES} == {"api", "minimal", "idiomatic"}
