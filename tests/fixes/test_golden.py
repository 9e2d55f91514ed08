"""Golden fixtures: every ``golden/<name>.in.py`` fixed as ``<name>.fix.json`` says gives
``<name>.out.py`` byte for byte. Set ``DL_LSP_UPDATE_GOLDEN=1`` to write missing outputs
(then read them before committing)."""

from __future__ import annotations

import ast
import os

import pytest
from golden_cases import GoldenCase, golden_cases

from dl_lsp.fixes import apply_edits, fixes_for, ignore_fix
from dl_lsp.fixes.edits import parses
from dl_lsp.fixes.tolerant import keeps_syntax_errors

CASES = golden_cases()
UPDATE = os.environ.get("DL_LSP_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden_fix(case: GoldenCase) -> None:
    if "ignore" in case.spec:
        proposal = ignore_fix(case.source, case.finding)
        proposals = [proposal] if proposal is not None else []
    else:
        proposals = fixes_for(case.source, case.finding)
    if "count" in case.spec:
        assert len(proposals) == case.spec["count"], [p.title for p in proposals]
    if case.spec.get("count") == 0:
        assert case.expected is None, "a refused fix has no .out.py"
        return
    proposal = proposals[case.spec.get("apply", 0)]
    result = apply_edits(case.source, proposal.edits)
    if parses(case.source):
        ast.parse(result)
    else:
        assert keeps_syntax_errors(case.source, result)
    if case.expected is None and UPDATE:
        case.output_path.write_bytes(result.encode("utf-8"))
        pytest.skip("golden output written")
    assert case.expected is not None, f"missing {case.output_path.name}"
    assert result == case.expected
    assert proposal.code == case.finding.code


def test_there_are_golden_cases_for_every_action() -> None:
    actions = {
        action["action"]
        for case in CASES
        for fix in case.finding.fix_data["fixes"]
        for action in fix["edits"]
    }
    assert actions >= {
        "replace_value",
        "set_keyword",
        "remove_keyword",
        "remove_layer",
        "insert_layer_after",
        "wrap_call",
        "wrap_value",
        "rename_keyword",
        "replace_name",
        "replace_expression",
        "merge_arguments",
    }
    assert any("ignore" in case.spec for case in CASES)
