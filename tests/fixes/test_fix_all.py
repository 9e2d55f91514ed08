"""fix_all: safe preferred fixes, applied round by round with re-analysis in between."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from typing import Any

from dl_lsp.engine import analyze_source
from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Severity
from dl_lsp.fixes import fix_all

SOURCE = """\
from keras.models import Sequential
from keras.layers import Dense, Activation

model = Sequential()
model.add(Dense(64, activation='relu', input_dim=8))
model.add(Dense(1, activation='softmax'))
model.add(Activation('softmax'))
model.compile(loss='mse', optimizer='adam')
model.fit(X, y, batch_size=4096)
"""


def span_of(text: str, needle: str) -> list[int]:
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return [line, column, line, column + len(needle)]


def make_finding(text: str, code: str, needle: str, *fixes: dict[str, Any]) -> Finding:
    line = span_of(text, needle)[0]
    return Finding(
        code,
        "fake",
        BugType.MODEL,
        Severity.WARNING,
        Span(line, 0, line, 1),
        "fake finding",
        fix_data={"fixes": list(fixes)},
    )


def fake_checks(text: str) -> Sequence[Finding]:
    """A stand-in analysis: each rule looks at the text as it is now."""
    findings = []
    if "activation='softmax'" in text:
        # Preferred and safe; a second, unsafe alternative is never applied by fix_all.
        findings.append(
            make_finding(
                text,
                "LLM",
                "activation='softmax'",
                {
                    "title": "Use sigmoid",
                    "safe": True,
                    "edits": [
                        {
                            "action": "replace_value",
                            "span": span_of(text, "'softmax'"),
                            "value": "sigmoid",
                        }
                    ],
                },
                {"title": "Remove", "safe": True, "edits": []},
            )
        )
    if "Activation('softmax')" in text:
        findings.append(
            make_finding(
                text,
                "LLM",
                "Activation('softmax')",
                {
                    "title": "Remove the extra activation",
                    "safe": True,
                    "edits": [
                        {"action": "remove_layer", "layer": span_of(text, "Activation('softmax')")}
                    ],
                },
            )
        )
    if "loss='mse'" in text and "sigmoid" in text:
        # Only appears once the output is sigmoid: needs a second round.
        findings.append(
            make_finding(
                text,
                "LLM",
                "loss='mse'",
                {
                    "title": "Use binary_crossentropy",
                    "safe": True,
                    "edits": [
                        {
                            "action": "replace_value",
                            "span": span_of(text, "'mse'"),
                            "value": "binary_crossentropy",
                        }
                    ],
                },
            )
        )
    if "batch_size=4096" in text:
        findings.append(
            make_finding(
                text,
                "IBS",
                "batch_size=4096",
                {
                    "title": "Use 32",
                    "safe": False,
                    "edits": [
                        {"action": "replace_value", "span": span_of(text, "4096"), "value": 32}
                    ],
                },
            )
        )
    return findings


def test_fix_all_applies_safe_preferred_fixes_over_rounds() -> None:
    fixed, applied = fix_all(SOURCE, fake_checks)
    assert fixed == SOURCE.replace("activation='softmax'", "activation='sigmoid'").replace(
        "model.add(Activation('softmax'))\n", ""
    ).replace("'mse'", "'binary_crossentropy'")
    assert [p.title for p in applied] == [
        "Use sigmoid",
        "Remove the extra activation",
        "Use binary_crossentropy",
    ]
    assert "batch_size=4096" in fixed  # unsafe: left for the user


def test_fix_all_stops_after_max_rounds() -> None:
    fixed, applied = fix_all(SOURCE, fake_checks, max_rounds=1)
    assert "'mse'" in fixed
    assert len(applied) == 2


def test_fix_all_resolves_overlapping_fixes_in_later_rounds() -> None:
    text = "model.compile(loss='mse', optimizer='sgd')\n"

    def clashing(current: str) -> Sequence[Finding]:
        findings = []
        if "optimizer='sgd'" in current:
            call = span_of(current, current.rstrip("\n"))
            findings.append(
                make_finding(
                    current,
                    "OPT",
                    "model.compile",
                    {
                        "title": "Add metrics",
                        "safe": True,
                        "edits": [
                            {
                                "action": "set_keyword",
                                "call": call,
                                "keyword": "optimizer",
                                "value": "adam",
                            },
                            {
                                "action": "set_keyword",
                                "call": call,
                                "keyword": "metrics",
                                "value": ["mae"],
                            },
                        ],
                    },
                )
            )
            # The same appended keyword from another finding: overlaps, waits for round two.
            findings.append(
                make_finding(
                    current,
                    "MET",
                    "model.compile",
                    {
                        "title": "Add run_eagerly",
                        "safe": True,
                        "edits": [
                            {
                                "action": "set_keyword",
                                "call": call,
                                "keyword": "run_eagerly",
                                "value": True,
                            }
                        ],
                    },
                )
            )
        elif "run_eagerly" not in current:
            call = span_of(current, current.rstrip("\n"))
            findings.append(
                make_finding(
                    current,
                    "MET",
                    "model.compile",
                    {
                        "title": "Add run_eagerly",
                        "safe": True,
                        "edits": [
                            {
                                "action": "set_keyword",
                                "call": call,
                                "keyword": "run_eagerly",
                                "value": True,
                            }
                        ],
                    },
                )
            )
        return findings

    fixed, applied = fix_all(text, clashing)
    assert fixed == (
        "model.compile(loss='mse', optimizer='adam', metrics=['mae'], run_eagerly=True)\n"
    )
    assert [p.title for p in applied] == ["Add metrics", "Add run_eagerly"]


def test_fix_all_with_nothing_to_fix_returns_the_text() -> None:
    assert fix_all(SOURCE, lambda text: []) == (SOURCE, [])


def test_fix_all_on_a_broken_file_applies_only_one_expression_fixes() -> None:
    broken = SOURCE + "print 'done'\n"
    fixed, applied = fix_all(broken, fake_checks)
    # The layer removal needs libcst, which cannot parse the file; the value changes do not.
    assert fixed == broken.replace("activation='softmax'", "activation='sigmoid'").replace(
        "'mse'", "'binary_crossentropy'"
    )
    assert [p.title for p in applied] == ["Use sigmoid", "Use binary_crossentropy"]


def test_fix_all_stops_when_a_fix_changes_nothing() -> None:
    calls = []

    def stubborn(text: str) -> Sequence[Finding]:
        calls.append(text)
        return [
            make_finding(
                text,
                "LLM",
                "model.compile",
                {
                    "title": "Same value",
                    "safe": True,
                    "edits": [
                        {"action": "replace_value", "span": span_of(text, "'mse'"), "value": "mse"}
                    ],
                },
            )
        ]

    assert fix_all(SOURCE, stubborn) == (SOURCE, [])
    assert len(calls) == 1


def test_fix_all_with_the_real_checks_gives_a_file_that_parses() -> None:
    fixed, applied = fix_all(SOURCE, lambda text: analyze_source(text).findings)
    ast.parse(fixed)
    assert all(p.safe and p.preferred for p in applied)
    assert re.search(r"Dense\(1, activation='(sigmoid|softmax)'\)", fixed)
