"""The hover's Markdown for findings of each bug type, without a server."""

from __future__ import annotations

from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Severity
from dl_lsp.lsp.hover import findings_at, hover_markdown


def finding(code: str, bug_type: BugType, fix: str | None = "Do the thing") -> Finding:
    return Finding(
        code=code,
        name="some-rule",
        bug_type=bug_type,
        severity=Severity.WARNING,
        span=Span(3, 4, 3, 10),
        message="What is wrong → what to do",
        fix=fix,
    )


def test_gpu_findings_say_there_is_no_table() -> None:
    text = hover_markdown([finding("DEV201", BugType.GPU)])
    assert "gives no table" in text
    assert "Table 7" not in text
    assert "A5 Logging" in text  # our advice: the environment fingerprint


def test_two_findings_of_one_type_share_one_guidance_section() -> None:
    text = hover_markdown([finding("LOB", BugType.TRAINING), finding("IBS", BugType.TRAINING)])
    assert text.count("Reproducing a training bug") == 1
    assert (
        "A3 Hyperparameter Initialization (0.3077) — available here as a quick fix (LOB, IBS)"
        in text
    )


def test_an_action_offered_elsewhere_is_named() -> None:
    text = hover_markdown([finding("LLM", BugType.MODEL)])
    assert "A2 Neural Network Construction (0.75) — available here as a quick fix (LLM)" in text
    assert (
        "A3 Hyperparameter Initialization (0.50) — dl-lsp offers it as a quick fix on LOB, IBS"
        in text
    )


def test_without_a_fix_nothing_is_offered_here() -> None:
    text = hover_markdown([finding("LLM", BugType.MODEL, fix=None)])
    assert "available here" not in text


def test_findings_at_a_point() -> None:
    inside, outside = finding("LLM", BugType.MODEL), finding("LOB", BugType.TRAINING)
    outside = Finding(**{**outside.__dict__, "span": Span(5, 0, 5, 3)})
    assert findings_at([inside, outside], 3, 4) == [inside]
    assert findings_at([inside, outside], 3, 11) == []
