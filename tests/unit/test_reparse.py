"""Incremental re-parsing gives exactly the tree a full parse gives, or declines."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dl_lsp.reparse import reparse
from dl_lsp.source import ParsedSource

PROGRAM = '''"""A training script."""
import numpy as np
from tensorflow import keras

SEED = 0; np.random.seed(SEED)


@keras.utils.register_keras_serializable()
def build(units=64):
    model = keras.Sequential([
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    return model


class Trainer:
    """Fits a model."""

    def fit(self, x, y):
        if x is None:
            raise ValueError("no data")
        else:
            return build().fit(x, y, batch_size=32)
# a comment between statements

x = np.zeros((10, 4)); y = (
    np.ones(10)
)
if __name__ == "__main__":
    Trainer().fit(x, y)
'''

# Edits of the kinds typed in an editor: characters, brackets, quotes, colons, indentation,
# new lines, and lines deleted or joined.
FRAGMENTS = [
    "",
    "x",
    "#",
    "(",
    ")",
    "[",
    "]",
    '"',
    "'",
    '"""',
    ":",
    "\n",
    "    ",
    "\n    ",
    ",",
    "= 1",
    "def g():\n    pass\n",
    "@dec\n",
    "else:",
    "\\\n",
    ";",
    "import os\n",
    "\t",
]


def dump(tree: ast.AST) -> str:
    return ast.dump(tree, include_attributes=True)


def full_parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def check_edit(old: str, new: str) -> bool:
    """Whether the incremental parse was used (it must then equal the full parse)."""
    old_tree = ast.parse(old)
    incremental = reparse(old, old_tree, new)
    if incremental is None:
        return False
    expected = full_parse(new)
    assert expected is not None, "the incremental parse accepted a text Python rejects"
    assert dump(incremental) == dump(expected)
    return True


@st.composite
def edited_programs(draw: st.DrawFn) -> str:
    """PROGRAM with up to 40 characters somewhere replaced by one of the FRAGMENTS."""
    start = draw(st.integers(0, len(PROGRAM)))
    length = draw(st.integers(0, 40))
    return PROGRAM[:start] + draw(st.sampled_from(FRAGMENTS)) + PROGRAM[start + length :]


@settings(max_examples=400, deadline=None)
@given(edited_programs())
def test_an_edit_anywhere_parses_as_a_full_parse_would(new: str) -> None:
    check_edit(PROGRAM, new)


def test_typing_in_a_function_body_reuses_the_statements_around_it() -> None:
    old_tree = ast.parse(PROGRAM)
    new = PROGRAM.replace('activation="relu"', 'activation="tanh"')
    tree = reparse(PROGRAM, old_tree, new)
    assert tree is not None
    assert dump(tree) == dump(ast.parse(new))
    assert tree.body[0] is old_tree.body[0]  # the docstring, before the edit
    assert tree.body[-1] is old_tree.body[-1]  # the main block, after it (same line count)


def test_a_new_line_re_parses_the_statements_after_it_with_their_new_numbers() -> None:
    old_tree = ast.parse(PROGRAM)
    new = PROGRAM.replace("    return model\n", "    model.summary()\n    return model\n")
    tree = reparse(PROGRAM, old_tree, new)
    assert tree is not None
    assert dump(tree) == dump(ast.parse(new))
    assert tree.body[1] is old_tree.body[1]


def test_an_edit_that_breaks_the_region_declines() -> None:
    new = PROGRAM.replace("return model", "return model(")
    assert reparse(PROGRAM, ast.parse(PROGRAM), new) is None


def test_an_indented_line_after_a_function_belongs_to_it_so_the_region_declines() -> None:
    new = PROGRAM.replace("# a comment between statements\n", "# a comment\n    extra = 1\n")
    assert full_parse(new) is not None  # Python makes it part of Trainer's body
    assert check_edit(PROGRAM, new) is False


def test_semicolon_joined_statements_are_not_duplicated() -> None:
    new = PROGRAM.replace("    np.ones(10)\n", "    np.ones(20)\n")
    assert check_edit(PROGRAM, new)


def test_carriage_returns_and_nul_bytes_decline() -> None:
    assert reparse(PROGRAM, ast.parse(PROGRAM), PROGRAM.replace("\n", "\r\n")) is None
    assert reparse(PROGRAM, ast.parse(PROGRAM), PROGRAM + "\x00") is None


def test_an_analysis_with_the_previous_parse_finds_what_a_fresh_one_finds() -> None:
    from pathlib import Path

    from dl_lsp.engine import analyze_source

    corpus = sorted(Path(__file__).parents[1].glob("corpus/*/buggy.py"))
    assert corpus
    for path in corpus:
        text = path.read_text(encoding="utf-8")
        first = analyze_source(text, str(path))
        # An edit inside the file: a number changed, keeping the line count.
        edited = text.replace("0.", "1.", 1) if "0." in text else text + "\n# end\n"
        incremental = analyze_source(edited, str(path), previous=first.source)
        fresh = analyze_source(edited, str(path))
        assert incremental.findings == fresh.findings, path
        assert incremental.source.syntax_errors == fresh.source.syntax_errors


# -- broken edits: the statements the edit broke are repaired on their own ----------------------


def parse_from_clean(new: str) -> tuple[ParsedSource, ParsedSource]:
    """(the parse of ``new`` from the clean PROGRAM, a fresh parse of ``new``)."""
    return ParsedSource(new, previous=ParsedSource(PROGRAM)), ParsedSource(new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("return model\n", "return model(\n"),  # a bracket just opened
        ("def fit(self, x, y):", "def fit(self, x, y)"),  # the colon not typed yet
        ("        else:\n", "        else\n"),
        ("    model = keras.Sequential([\n", "#    model = keras.Sequential([\n"),  # indent left
        ("x = np.zeros((10, 4)); y = (", "x = np.zeros((10, 4)); y = ((("),
    ],
)
def test_a_broken_edit_is_repaired_as_a_full_repair_would_but_only_where_it_is(
    old: str, new: str
) -> None:
    assert old in PROGRAM
    incremental, fresh = parse_from_clean(PROGRAM.replace(old, new, 1))
    assert incremental.syntax_errors and incremental.clean_base is not None
    assert incremental.syntax_errors == fresh.syntax_errors
    assert incremental.tree is not None and fresh.tree is not None
    assert dump(incremental.tree) == dump(fresh.tree)
    clean = ParsedSource(PROGRAM)
    assert incremental.clean_base is not None
    assert incremental.tree.body[0] is incremental.clean_base.tree.body[0]  # type: ignore[union-attr]
    assert clean.tree is not None


def test_an_unclosed_triple_quoted_string_loses_only_the_statements_it_was_typed_in() -> None:
    new = PROGRAM.replace('"""Fits a model."""', '"""Fits a model.')
    incremental, fresh = parse_from_clean(new)
    assert "unterminated triple-quoted" in incremental.syntax_errors[0].message
    assert incremental.tree is not None
    # The main block after the class is still there; a whole-file repair loses it.
    assert isinstance(incremental.tree.body[-1], ast.If)
    assert fresh.tree is None or not isinstance(fresh.tree.body[-1], ast.If)


def test_the_next_keystrokes_start_again_from_the_last_clean_parse() -> None:
    clean = ParsedSource(PROGRAM)
    typing = [
        PROGRAM.replace("return model\n", f"return model{part}\n") for part in ("(", "(x", "(x)")
    ]
    previous = clean
    for text in typing:
        previous = ParsedSource(text, previous=previous)
    assert not previous.syntax_errors and previous.clean_base is None
    assert previous.tree is not None and clean.tree is not None
    assert dump(previous.tree) == dump(ast.parse(typing[-1]))
    assert previous.tree.body[0] is clean.tree.body[0]  # kept all along, through the broken ones


def test_a_decorator_typed_above_a_function_is_parsed_with_it() -> None:
    new = PROGRAM.replace("\n\nclass Trainer:", "\n@dataclass\nclass Trainer:")
    incremental, fresh = parse_from_clean(new)
    assert not incremental.syntax_errors
    assert incremental.tree is not None and fresh.tree is not None
    assert dump(incremental.tree) == dump(fresh.tree)


@settings(max_examples=300, deadline=None)
@given(edited_programs())
def test_any_edit_from_a_clean_parse_is_broken_exactly_when_a_fresh_parse_is(new: str) -> None:
    incremental, fresh = parse_from_clean(new)
    assert bool(incremental.syntax_errors) == bool(fresh.syntax_errors)
    assert (incremental.tree is None) == (fresh.tree is None) or incremental.syntax_errors
    if not fresh.syntax_errors:
        assert incremental.tree is not None and fresh.tree is not None
        assert dump(incremental.tree) == dump(fresh.tree)
