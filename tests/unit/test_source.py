"""The tolerant parser: syntax errors are reported once, and the rest of the file is analysed."""

from __future__ import annotations

import ast
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dl_lsp.engine import analyze_source
from dl_lsp.source import ParsedSource, read_pragmas, split_lines


def parse(text: str) -> ParsedSource:
    return ParsedSource(textwrap.dedent(text))


def error_lines(source: ParsedSource) -> list[int]:
    return sorted(problem.span.line for problem in source.syntax_errors)


def assigned_names(source: ParsedSource) -> set[str]:
    assert source.tree is not None
    return {
        target.id
        for node in ast.walk(source.tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def codes_by_line(text: str) -> list[tuple[str, int]]:
    analysis = analyze_source(textwrap.dedent(text))
    return [(finding.code, finding.span.line) for finding in analysis.findings]


# --- valid input ------------------------------------------------------------------------------


def test_valid_source_has_a_tree_and_no_errors() -> None:
    source = parse(
        """\
        from tensorflow import keras
        model = keras.Sequential()
        """
    )
    assert source.tree is not None
    assert source.syntax_errors == ()
    assert source.lines == ["from tensorflow import keras", "model = keras.Sequential()"]


def test_empty_text() -> None:
    source = ParsedSource("")
    assert source.tree is not None
    assert source.syntax_errors == ()
    assert source.line_text(1) == ""
    assert analyze_source("").findings == ()


def test_line_text_out_of_range_is_empty() -> None:
    source = ParsedSource("x = 1\n")
    assert source.line_text(0) == ""
    assert source.line_text(2) == ""
    assert source.line_text(1) == "x = 1"


# --- single errors ----------------------------------------------------------------------------


def test_ifrom_typo_is_reported_on_its_line_and_the_rest_is_parsed() -> None:
    source = parse(
        """\
        ifrom tensorflow import keras
        model = keras.Sequential()
        """
    )
    assert error_lines(source) == [1]
    assert "model" in assigned_names(source)


def test_stray_closing_bracket_is_dropped_and_the_statement_kept() -> None:
    source = parse(
        """\
        from keras.layers import Dense
        model.add(Dense(10, activation='softmax')))
        loss = 'mse'
        """
    )
    assert error_lines(source) == [2]
    problem = source.syntax_errors[0]
    assert problem.span.column == len("model.add(Dense(10, activation='softmax'))")
    assert problem.span.end_column == problem.span.column + 1
    assert source.tree is not None
    calls = [node for node in ast.walk(source.tree) if isinstance(node, ast.Call)]
    assert any(isinstance(c.func, ast.Name) and c.func.id == "Dense" for c in calls)
    assert "loss" in assigned_names(source)


def test_unclosed_bracket_is_reported_once_at_the_bracket() -> None:
    source = parse(
        """\
        x = foo(1, 2
        y = 3
        z = 4
        """
    )
    assert error_lines(source) == [1]
    assert source.syntax_errors[0].span.column == len("x = foo")
    assert {"y", "z"} <= assigned_names(source)


def test_broken_def_header_keeps_its_indented_body() -> None:
    source = parse(
        """\
        def build(:
            model = make()
            return model

        x = 2
        """
    )
    assert error_lines(source) == [1]
    assert {"model", "x"} <= assigned_names(source)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("x = 1\ny = [1, 2,\n", 2),
        ("x = 1\nmodel.fit(x,\n", 2),
        ("x = 1\ny = (1 +\n", 2),
        ("x = 1\ns = 'abc\n", 2),
    ],
    ids=["open-list", "open-call", "open-paren", "open-string"],
)
def test_error_at_end_of_file(text: str, line: int) -> None:
    source = ParsedSource(text)
    assert error_lines(source) == [line]
    assert "x" in assigned_names(source)


@pytest.mark.parametrize(
    "text",
    ["x = 1\nfor epoch in range(10):\n", "x = 1\nif verbose:\n"],
    ids=["for-without-body", "if-without-body"],
)
def test_block_header_without_body_at_end_of_file(text: str) -> None:
    source = ParsedSource(text)
    assert error_lines(source) == [2]
    assert source.tree is not None
    assert "x" in assigned_names(source)


def test_unterminated_triple_quoted_string_is_one_error() -> None:
    source = ParsedSource('x = 1\ns = """abc\ndef\n')
    assert error_lines(source) == [2]


# --- several errors ---------------------------------------------------------------------------


def test_several_independent_errors_are_each_reported_once() -> None:
    source = parse(
        """\
        ifrom keras import layers
        a = 1
        b = (2))
        c = 3
        class :
            pass
        d = 4
        """
    )
    assert error_lines(source) == [1, 3, 5]
    assert {"a", "b", "c", "d"} <= assigned_names(source)


def test_cascading_errors_are_not_reported() -> None:
    # The body of the broken header and the lines inside the open call are one error each.
    source = parse(
        """\
        class Net(nn.Module:
            def __init__(self):
                super().__init__()
        model.add(Dense(3)
        model.add(Dense(4))
        model.compile(loss='mse')
        """
    )
    assert error_lines(source) == [1, 4]


def test_messages_say_the_rest_is_still_checked() -> None:
    source = ParsedSource("x = = 1\n")
    assert len(source.syntax_errors) == 1
    message = source.syntax_errors[0].message
    assert message.startswith("Syntax error:")
    assert "still checked" in message


def test_syntax_errors_are_findings_of_snp001() -> None:
    analysis = analyze_source("ifrom tensorflow import keras\n")
    assert [(f.code, f.span.line, f.severity.value) for f in analysis.findings] == [
        ("SNP001", 1, "error")
    ]


# --- positions --------------------------------------------------------------------------------


def test_columns_are_code_points_on_non_ascii_lines() -> None:
    source = ParsedSource('s = "héllo wörld" )\n')
    assert len(source.syntax_errors) == 1
    span = source.syntax_errors[0].span
    assert (span.line, span.column, span.end_column) == (1, 18, 19)


def test_node_spans_are_code_points_after_non_ascii_text() -> None:
    source = ParsedSource('label = "ü"; model = build()\n')
    assert source.tree is not None
    node = source.tree.body[1]
    span = source.span(node)
    assert (span.line, span.column, span.end_line, span.end_column) == (1, 13, 1, 28)
    assert source.segment(node) == "model = build()"


def test_finding_columns_are_code_points_on_non_ascii_lines() -> None:
    text = textwrap.dedent(
        """\
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(8, activation='relu', input_dim=4))
        titre = "modèle"; model.add(Dense(1, activation='softmax'))
        model.compile(loss='binary_crossentropy', optimizer='adam')
        """
    )
    analysis = analyze_source(text)
    llm = [f for f in analysis.findings if f.code == "LLM"]
    assert len(llm) == 1
    line = text.splitlines()[4]
    span = llm[0].span
    assert span.line == 5
    assert line[span.column : span.end_column] == "'softmax'"


def test_multi_line_segment() -> None:
    source = ParsedSource("x = foo(1,\n        2)\n")
    assert source.tree is not None
    call = source.tree.body[0].value  # type: ignore[attr-defined]
    assert source.segment(call) == "foo(1,\n        2)"


# --- NUL bytes --------------------------------------------------------------------------------


def test_nul_byte_is_one_syntax_error_and_no_crash() -> None:
    source = ParsedSource("x = 1\x00\n")
    assert len(source.syntax_errors) == 1
    assert source.syntax_errors[0].span.line == 1
    analysis = analyze_source("x = 1\x00\n")
    assert [f.code for f in analysis.findings] == ["SNP001"]


def test_nul_byte_is_reported_on_its_own_line() -> None:
    source = ParsedSource("a = 0\nx = 1\x00\ny = 2\nz = 3\n")
    assert error_lines(source) == [2]
    assert {"a", "y", "z"} <= assigned_names(source)


# --- analysis goes on after an error -----------------------------------------------------------


def test_llm_bug_after_a_broken_line_is_still_found() -> None:
    found = codes_by_line(
        """\
        ifrom tensorflow import keras
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(16, activation='relu', input_dim=8)))
        model.add(Dense(1, activation='softmax'))
        model.compile(loss='binary_crossentropy', optimizer='adam')
        """
    )
    assert ("SNP001", 1) in found
    assert ("SNP001", 5) in found
    assert ("LLM", 6) in found


def test_model_inside_a_repaired_block_is_still_analysed() -> None:
    found = codes_by_line(
        """\
        from keras.models import Sequential
        from keras.layers import Dense
        def build(:
            model = Sequential()
            model.add(Dense(4, activation='relu', input_dim=4))
            model.add(Dense(1, activation='sigmoid'))
            model.compile(loss='categorical_crossentropy', optimizer='adam')
            return model
        """
    )
    assert ("SNP001", 3) in found
    assert ("LLM", 7) in found


# --- pragmas ----------------------------------------------------------------------------------


def test_pragma_ignore_with_codes_suppresses_only_those_codes_on_that_line() -> None:
    pragmas = read_pragmas("x = 1  # dl-lsp: ignore[LLM, cnl]\ny = 2\n")
    assert pragmas.ignored_lines == {1: frozenset({"LLM", "CNL"})}
    assert pragmas.suppresses("LLM", 1)
    assert pragmas.suppresses("CNL", 1)
    assert not pragmas.suppresses("IBS", 1)
    assert not pragmas.suppresses("LLM", 2)
    assert not pragmas.ignore_file


def test_pragma_ignore_without_codes_suppresses_everything_on_that_line() -> None:
    pragmas = read_pragmas("a = 1\nb = 2  # dl-lsp: ignore\n")
    assert pragmas.suppresses("LLM", 2)
    assert pragmas.suppresses("SNP001", 2)
    assert not pragmas.suppresses("LLM", 1)


def test_pragma_ignore_prefix_matches_like_select() -> None:
    pragmas = read_pragmas("a = 1  # dl-lsp: ignore[I]\n")
    assert pragmas.suppresses("IBS", 1)
    assert pragmas.suppresses("IDN", 1)
    assert not pragmas.suppresses("LLM", 1)


def test_pragma_ignore_file_suppresses_every_line() -> None:
    pragmas = read_pragmas("import keras\n# dl-lsp: ignore-file\nx = 1\n")
    assert pragmas.ignore_file
    assert pragmas.suppresses("LLM", 1)
    assert pragmas.suppresses("IBS", 40)


def test_pragma_problem_and_input_types() -> None:
    source = ParsedSource("# dl-lsp: problem=binary input=color\nimport keras\n")
    assert source.pragmas.problem_type == "binary"
    assert source.pragmas.input_type == "color"
    assert source.pragmas.ignored_lines == {}


def test_pragma_values_are_lowercased_and_may_stand_alone() -> None:
    pragmas = read_pragmas("#dl-lsp: input=Grayscale\n# dl-lsp:problem=Multi-Label\n")
    assert pragmas.input_type == "grayscale"
    assert pragmas.problem_type == "multi-label"


def test_text_without_pragmas_has_empty_pragmas() -> None:
    source = ParsedSource("x = 1  # a comment about dl-lsp\n")
    assert not source.pragmas.ignore_file
    assert source.pragmas.ignored_lines == {}
    assert source.pragmas.problem_type is None


BINARY_SOFTMAX = """\
from keras.models import Sequential
from keras.layers import Dense
model = Sequential()
model.add(Dense(8, input_dim=8))
model.add(Dense(1, activation='softmax')){pragma}
model.compile(loss='binary_crossentropy', optimizer='adam')
model.fit(x, y, batch_size=4)
"""


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [
        ("", {"CNL", "LLM", "IBS"}),
        ("  # dl-lsp: ignore[LLM]", {"CNL", "IBS"}),
        ("  # dl-lsp: ignore", {"CNL", "IBS"}),
        ("  # dl-lsp: ignore[CNL]", {"CNL", "LLM", "IBS"}),
        ("\n# dl-lsp: ignore-file", set()),
    ],
    ids=["none", "ignore-llm", "ignore-all-on-line", "ignore-other-code", "ignore-file"],
)
def test_engine_honours_suppression_pragmas(pragma: str, expected: set[str]) -> None:
    analysis = analyze_source(BINARY_SOFTMAX.format(pragma=pragma))
    assert {finding.code for finding in analysis.findings} == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab \n\r\x0c\x1c\u2028", max_size=40))
def test_lines_end_where_python_ends_them_and_nowhere_else(text: str) -> None:
    expected = [line.rstrip("\r\n") for line in split_lines(text)]
    assert ParsedSource(text).lines == expected
