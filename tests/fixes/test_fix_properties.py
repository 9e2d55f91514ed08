"""Whatever the fix data, the fix engine never raises, never edits outside the file, and
never returns an edit that leaves the file unparseable (or, for a snippet that already does
not parse, adds a syntax error); applying a fix twice is harmless."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dl_lsp.facts.span import Span
from dl_lsp.findings import BugType, Finding, Severity
from dl_lsp.fixes import FixProposal, apply_edits, fixes_for, ignore_fix
from dl_lsp.fixes.edits import LineIndex
from dl_lsp.fixes.tolerant import still_valid
from dl_lsp.source import ParsedSource

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SOURCES = [
    path.read_bytes().decode("utf-8")
    for path in sorted((Path(__file__).parent / "golden").glob("*.in.py"))
]


class Targets:
    """The spans of one source that actions can sensibly aim at."""

    def __init__(self, source: str) -> None:
        parsed = ParsedSource(source)
        assert parsed.tree is not None
        self.expressions: list[list[int]] = []
        self.calls: list[list[int]] = []
        self.layers: list[list[int]] = []
        self.keywords: list[str] = ["activation", "units", "class", ""]
        for node in ast.walk(parsed.tree):
            if not isinstance(node, ast.expr):
                continue
            span = parsed.span(node)
            as_list = [span.line, span.column, span.end_line, span.end_column]
            self.expressions.append(as_list)
            if isinstance(node, ast.Call):
                self.calls.append(as_list)
                self.keywords.extend(k.arg for k in node.keywords if k.arg)
                callee = node.func.attr if isinstance(node.func, ast.Attribute) else None
                callee = node.func.id if isinstance(node.func, ast.Name) else callee
                if callee and (callee[0].isupper() or callee in ("relu", "softmax", "sigmoid")):
                    self.layers.append(as_list)
        self.layers = self.layers or self.calls


TARGETS = [Targets(source) for source in SOURCES]

json_values = st.one_of(
    st.sampled_from(["relu", "sigmoid", "it's", 'a "b"', "", "x\ny", 0.001, 32, -1, True, None]),
    st.recursive(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-(10**6), 10**6),
            st.floats(allow_nan=True, allow_infinity=True),
            st.text(max_size=12),
        ),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=6,
    ),
)
layer_names = st.sampled_from(
    ["BatchNormalization", "Dropout", "MaxPooling2D", "Activation", "Flatten", "BatchNorm1d", "1x"]
)
garbage_spans = st.lists(st.integers(-2, 40), min_size=4, max_size=4)


def actions(targets: Targets) -> st.SearchStrategy[dict[str, Any]]:
    def aimed(spans: list[list[int]]) -> st.SearchStrategy[list[int]]:
        return st.sampled_from(spans) if spans else garbage_spans

    # Mostly real nodes, sometimes spans that match nothing or lie outside the file.
    expression = st.one_of(*[aimed(targets.expressions)] * 4, garbage_spans)
    call = aimed(targets.calls)
    layer = aimed(targets.layers)
    keyword = st.sampled_from(targets.keywords)
    return st.one_of(
        st.fixed_dictionaries(
            {"action": st.just("replace_value"), "span": expression, "value": json_values}
        ),
        st.fixed_dictionaries(
            {
                "action": st.just("set_keyword"),
                "call": call,
                "keyword": keyword,
                "value": json_values,
            }
        ),
        st.fixed_dictionaries(
            {"action": st.just("remove_keyword"), "call": call, "keyword": keyword}
        ),
        st.fixed_dictionaries({"action": st.just("remove_layer"), "layer": layer}),
        st.fixed_dictionaries(
            {
                "action": st.just("insert_layer_after"),
                "layer": layer,
                "new_layer": layer_names,
                "args": st.lists(json_values, max_size=2),
                "kwargs": st.dictionaries(keyword, json_values, max_size=2),
            }
        ),
        st.fixed_dictionaries(
            {
                "action": st.just("wrap_call"),
                "span": expression,
                "function": st.sampled_from(["relu", "sigmoid", "1"]),
            }
        ),
        st.fixed_dictionaries(
            {
                "action": st.just("wrap_value"),
                "span": expression,
                "template": st.sampled_from(
                    ["{} / 255.0", "{}.astype('float32')", "{} +", "{}{}", "-{}", "f({}, 1)"]
                ),
            }
        ),
        st.fixed_dictionaries({"action": st.text(max_size=8)}),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, Finding]:
    index = draw(st.integers(0, len(SOURCES) - 1))
    source = SOURCES[index]
    edits = draw(st.lists(actions(TARGETS[index]), min_size=1, max_size=2))
    line = draw(st.integers(0, source.count("\n") + 2))
    finding = Finding(
        "LLM",
        "property",
        BugType.MODEL,
        Severity.WARNING,
        Span(line, 0, line, 0),
        "m",
        fix_data={"fixes": [{"title": "random", "safe": draw(st.booleans()), "edits": edits}]},
    )
    return source, finding


def check_proposal(source: str, proposal: FixProposal) -> str:
    index = LineIndex(source)
    for edit in proposal.edits:
        start, end = index.offsets(edit.span)  # raises when an edit leaves the file
        assert 0 <= start <= end <= len(source)
    result = apply_edits(source, proposal.edits)
    assert still_valid(source, result)
    assert result != source
    return result


@FAST
@given(cases())
def test_fixes_never_break_the_file(case: tuple[str, Finding]) -> None:
    source, finding = case
    for proposal in fixes_for(source, finding):
        result = check_proposal(source, proposal)
        # The same fix data on the fixed text: stale spans are refused or still give a file
        # that parses; nothing raises.
        for again in fixes_for(result, finding):
            check_proposal(result, again)


@FAST
@given(cases())
def test_the_ignore_fix_never_breaks_the_file(case: tuple[str, Finding]) -> None:
    source, finding = case
    proposal = ignore_fix(source, finding)
    if proposal is not None:
        result = check_proposal(source, proposal)
        assert ignore_fix(result, finding) is None  # ignoring twice adds nothing


@FAST
@given(st.text(alphabet=st.sampled_from(list("x=1()[],'\"\\#\n\r \tdl-sp:ignore[]")), max_size=60))
def test_ignore_fix_on_arbitrary_text(text: str) -> None:
    for line in range(1, text.count("\n") + 2):
        finding = Finding("LLM", "p", BugType.MODEL, Severity.WARNING, Span(line, 0, line, 0), "m")
        proposal = ignore_fix(text, finding)
        if proposal is not None:
            apply_edits(text, proposal.edits)
