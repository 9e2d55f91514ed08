"""Incremental re-parsing gives exactly the tree a full parse gives, or declines."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from dl_lsp.reparse import reparse

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


@settings(max_examples=400, deadline=None)
@given(
    start=st.integers(0, len(PROGRAM)),
    length=st.integers(0, 40),
    fragment=st.sampled_from(FRAGMENTS),
)
def test_an_edit_anywhere_parses_as_a_full_parse_would(
    start: int, length: int, fragment: str
) -> None:
    new = PROGRAM[:start] + fragment + PROGRAM[start + length :]
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
