"""Rule pages generated from the rule data, and the committed pages kept up to date."""

from __future__ import annotations

from pathlib import Path

from dl_lsp.findings import BugType, Severity
from dl_lsp.rule_docs import (
    GENERATED_MARKER,
    INDEX_PAGE,
    REGENERATE_COMMAND,
    format_number,
    outdated_pages,
    page_name,
    render_index,
    render_rule_page,
    write_rule_docs,
)
from dl_lsp.ruleset import Rule, RuleDoc, load_rules

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def documented_rule() -> Rule:
    return Rule(
        code="LOB",
        name="learning-rate-out-of-bound",
        bug_type=BugType.TRAINING,
        severity=Severity.WARNING,
        family="theia",
        summary="The learning rate is above 0.01 or below 0.0001.",
        frameworks=("keras", "torch"),
        thresholds={"max": 0.01, "min": 0.0001, "patience": 3.0},
        doc=RuleDoc(
            what="Reports an explicit learning rate outside a sensible range.",
            why="Too high a learning rate makes the loss diverge.",
            example="optimizer = Adam(learning_rate=0.5)",
            example_fixed="optimizer = Adam(learning_rate=0.001)",
            fix="Use a learning rate between 0.0001 and 0.01.",
            when="Only explicit values; defaults are never reported.",
        ),
        settings={"thresholds.LOB.max": "the largest learning rate accepted"},
    )


def test_committed_pages_are_up_to_date() -> None:
    outdated = outdated_pages(DOCS, load_rules().values())
    assert not outdated, (
        f"docs/rules/ is out of date ({', '.join(outdated)}); regenerate it from the "
        f"repository root with: .venv/bin/{REGENERATE_COMMAND}"
    )


def test_page_has_ruffs_sections_in_order() -> None:
    page = render_rule_page(documented_rule())
    assert page.startswith(GENERATED_MARKER)
    headings = [line for line in page.splitlines() if line.startswith("#")]
    assert headings == [
        "# learning-rate-out-of-bound (LOB)",
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## How to fix",
        "## When it fires",
        "## Settings",
    ]
    assert "```python\noptimizer = Adam(learning_rate=0.5)\n```" in page
    assert "Use instead:\n\n```python\noptimizer = Adam(learning_rate=0.001)\n```" in page
    assert "[tool.dl-lsp.thresholds.LOB]\nmax = 0.01\nmin = 0.0001\npatience = 3\n" in page
    assert "- `thresholds.LOB.max`: the largest learning rate accepted" in page
    assert "# dl-lsp: ignore[LOB]" in page


def test_page_without_doc_falls_back_to_the_summary() -> None:
    rule = Rule(
        code="SNP001",
        name="syntax-error",
        bug_type=BugType.API,
        severity=Severity.ERROR,
        family="snippet",
        summary="The file has a syntax error.",
        frameworks=(),
    )
    page = render_rule_page(rule)
    assert "## What it does\n\nThe file has a syntax error." in page
    assert "not been written yet" in page
    assert "## Why is this bad?" not in page


def test_index_links_every_page() -> None:
    rules = list(load_rules().values())
    index = render_index(rules)
    for rule in rules:
        assert f"[{rule.code}]({page_name(rule)})" in index
        assert rule.url.rstrip("/").endswith(page_name(rule).removesuffix(".md"))


def test_writing_removes_only_stale_generated_pages(tmp_path: Path) -> None:
    (tmp_path / "OLD-removed-rule.md").write_text(GENERATED_MARKER + "\n\n# old\n")
    (tmp_path / "handwritten.md").write_text("# notes kept by a person\n")
    update = write_rule_docs(tmp_path, [documented_rule()])
    assert update.removed == ("OLD-removed-rule.md",)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "LOB-learning-rate-out-of-bound.md",
        "handwritten.md",
        INDEX_PAGE,
    ]
    assert outdated_pages(tmp_path, [documented_rule()]) == []


def test_outdated_pages_are_named(tmp_path: Path) -> None:
    write_rule_docs(tmp_path, [documented_rule()])
    (tmp_path / "LOB-learning-rate-out-of-bound.md").write_text("edited by hand\n")
    (tmp_path / "GONE-stale.md").write_text(GENERATED_MARKER + "\n")
    assert outdated_pages(tmp_path, [documented_rule()]) == [
        "GONE-stale.md",
        "LOB-learning-rate-out-of-bound.md",
    ]


def test_format_number() -> None:
    assert format_number(32.0) == "32"
    assert format_number(0.0001) == "0.0001"
    assert format_number(1e-05) == "1e-05"
    assert format_number(0.5) == "0.5"
