"""The dlRepro taxonomy data matches the paper (Tables 1, 3, 6, 7, 8)."""

from __future__ import annotations

import pytest

from dl_lsp.findings import BugType
from dl_lsp.taxonomy import guidance_for, load_taxonomy, taxonomy_directory


def test_the_data_ships_from_the_repository_root_in_a_checkout() -> None:
    assert (taxonomy_directory() / "recommendations.toml").is_file()


def test_ten_edit_actions_in_paper_order() -> None:
    actions = load_taxonomy().edit_actions
    assert list(actions) == [f"A{n}" for n in range(1, 11)]
    assert [a.letter for a in actions.values()] == list("DNHRLOCPMV")
    assert actions["A2"].name == "Neural Network Construction"
    assert load_taxonomy().edit_action("Neural Network Definition").id == "A2"  # Table 8's name


@pytest.mark.parametrize(
    ("bug_type", "information", "actions"),
    [
        (
            BugType.TRAINING,
            [("Code Snippet", 0.9231), ("Logs", 0.8477), ("Data", 0.8077)],
            [("A1", 0.6154), ("A4", 0.4231), ("A10", 0.3477), ("A3", 0.3077), ("A7", 0.2692)],
        ),
        (
            BugType.MODEL,
            [("Logs", 0.80), ("Model", 0.70), ("Code Snippet", 0.70)],
            [("A2", 0.75), ("A4", 0.55), ("A3", 0.50), ("A5", 0.45), ("A8", 0.40)],
        ),
        (
            BugType.TENSOR,
            [("Data", 0.9524), ("Logs", 0.8571), ("Code Snippet", 0.6667)],
            [("A4", 0.4545), ("A1", 0.3636), ("A3", 0.3636), ("A8", 0.2727), ("A5", 0.1818)],
        ),
        (
            BugType.API,
            [("Logs", 0.9091), ("Code Snippet", 0.8182), ("Model", 0.7271)],
            [("A1", 0.5714), ("A3", 0.5238), ("A4", 0.4762), ("A5", 0.4286), ("A6", 0.3333)],
        ),
    ],
)
def test_tables_7_and_8(bug_type: BugType, information: list, actions: list) -> None:
    guidance = guidance_for(bug_type)
    assert [(n.category.name, n.confidence) for n in guidance.information] == information
    assert [(n.action.id, n.confidence) for n in guidance.edit_actions] == actions


def test_gpu_has_no_table_and_says_so() -> None:
    gpu = guidance_for(BugType.GPU)
    assert not gpu.has_table
    assert "no table" in gpu.note and "3 GPU bugs" in gpu.note
    assert [c.name for c in gpu.advice_information] == ["Logs"]


def test_information_prevalence_from_table_6() -> None:
    prevalence = {c.name: c.prevalence for c in load_taxonomy().information.values()}
    assert prevalence == {
        "Data": 0.729,
        "Model": 0.647,
        "Hyperparameters": 0.527,
        "Code Snippet": 0.788,
        "Logs": 0.858,
    }


def test_tags_from_table_1() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.bug_type_for_tag("CUDA") == BugType.GPU
    assert taxonomy.bug_type_for_tag("learning-rate") == BugType.TRAINING
    assert taxonomy.bug_type_for_tag("modulenotfounderror") == BugType.API
    assert taxonomy.bug_type_for_tag("tensorflow") is None
    assert "tensorflow" in taxonomy.untyped_tags
    counts = {t: list(taxonomy.tags.values()).count(t) for t in BugType}
    assert counts == {
        BugType.MODEL: 3,
        BugType.TENSOR: 1,
        BugType.TRAINING: 11,
        BugType.GPU: 3,
        BugType.API: 7,
    }


def test_quick_fix_codes_name_real_rules_or_families() -> None:
    from dl_lsp.ruleset import load_rules

    codes = set(load_rules())
    for action in load_taxonomy().edit_actions.values():
        for code in action.quick_fix_codes:
            assert code in codes or code.startswith(("API", "SNP")), (action.id, code)
