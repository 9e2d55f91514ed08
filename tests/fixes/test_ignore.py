"""The ignore fix: ``# dl-lsp: ignore[CODE]`` on the finding's line, and the engine honours it."""

from __future__ import annotations

import pytest

from dl_lsp.engine import analyze_source
from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Severity
from dl_lsp.fixes import apply_edits, ignore_fix


def finding_on(line: int, code: str = "LLM") -> Finding:
    return Finding(code, "test", BugType.MODEL, Severity.ERROR, Span(line, 0, line, 1), "m")


@pytest.mark.parametrize(
    ("source", "line", "expected"),
    [
        ("x = 1\n", 1, "x = 1  # dl-lsp: ignore[LLM]\n"),
        ("x = 1   \n", 1, "x = 1  # dl-lsp: ignore[LLM]\n"),
        ("x = 1", 1, "x = 1  # dl-lsp: ignore[LLM]"),
        ("x = 1\r\ny = 2\r\n", 2, "x = 1\r\ny = 2  # dl-lsp: ignore[LLM]\r\n"),
        ("x = (1 +\n     2)\n", 1, "x = (1 +  # dl-lsp: ignore[LLM]\n     2)\n"),
        ("x = 1  # noqa\n", 1, "x = 1  # noqa  # dl-lsp: ignore[LLM]\n"),
        ("x = 1  # dl-lsp: ignore[CNL]\n", 1, "x = 1  # dl-lsp: ignore[CNL, LLM]\n"),
        ("x = 1  # dl-lsp: ignore[CNL,IBS]\n", 1, "x = 1  # dl-lsp: ignore[CNL,IBS,LLM]\n"),
        ("x = 1  # dl-lsp: ignore[CNL, ] why\n", 1, "x = 1  # dl-lsp: ignore[CNL, LLM] why\n"),
        (
            "x = 1  # dl-lsp: problem=binary\n",
            1,
            "x = 1  # dl-lsp: problem=binary  # dl-lsp: ignore[LLM]\n",
        ),
        # A syntax error further on does not stop the comment.
        ("x = 1\nprint 'hi'\n", 1, "x = 1  # dl-lsp: ignore[LLM]\nprint 'hi'\n"),
    ],
)
def test_ignore_comment(source: str, line: int, expected: str) -> None:
    proposal = ignore_fix(source, finding_on(line))
    assert proposal is not None
    assert apply_edits(source, proposal.edits) == expected
    assert (proposal.title, proposal.safe, proposal.preferred) == (
        "Ignore LLM on this line",
        False,
        False,
    )


@pytest.mark.parametrize(
    ("source", "line", "code"),
    [
        ('s = """\nabc\n"""\n', 2, "LLM"),  # inside a string
        ('s = """\nabc\n"""\n', 1, "LLM"),  # the line ends inside a string
        ('s = f"""{a}\nb"""\n', 1, "LLM"),
        ("x = 1 + \\\n    2\n", 1, "LLM"),  # a backslash continuation
        ("x = 1  # dl-lsp: ignore\n", 1, "LLM"),  # already ignores everything
        ("x = 1  # dl-lsp: ignore[LLM]\n", 1, "LLM"),
        ("x = 1  # dl-lsp: ignore[LLM]\n", 1, "LLM001"),  # a prefix covers the code
        ("x = 1\n", 4, "LLM"),  # no such line
        ('s = """never closed\nx = 1\n', 2, "LLM"),
    ],
)
def test_no_ignore_comment_possible(source: str, line: int, code: str) -> None:
    assert ignore_fix(source, finding_on(line, code)) is None


def test_the_engine_honours_the_ignore_fix() -> None:
    source = (
        "from keras.models import Sequential\n"
        "from keras.layers import Dense\n"
        "model = Sequential()\n"
        "model.add(Dense(64, activation='relu', input_dim=8))\n"
        "model.add(Dense(1, activation='softmax'))\n"
        "model.compile(loss='binary_crossentropy', optimizer='adam')\n"
    )
    findings = analyze_source(source).findings
    assert findings, "the checks should flag a single-unit softmax output"
    target = next(f for f in findings if f.code == "LLM")
    proposal = ignore_fix(source, target)
    assert proposal is not None
    ignored = apply_edits(source, proposal.edits)
    remaining = analyze_source(ignored).findings
    assert all((f.code, f.span.line) != (target.code, target.span.line) for f in remaining)
