"""Text edits: applying them, and the smallest edit between two texts."""

from __future__ import annotations

import pytest

from dl_lsp.facts.span import Span
from dl_lsp.fixes import TextEdit, apply_edits
from dl_lsp.fixes.edits import LineIndex, edits_conflict, minimal_edit


def edit(line: int, column: int, end_line: int, end_column: int, text: str) -> TextEdit:
    return TextEdit(Span(line, column, end_line, end_column), text)


def test_apply_edits_back_to_front_in_any_order() -> None:
    text = "model.compile(loss='mse', optimizer='sgd')\n"
    edits = [edit(1, 37, 1, 40, "adam"), edit(1, 20, 1, 23, "mae")]
    assert apply_edits(text, edits) == "model.compile(loss='mae', optimizer='adam')\n"


def test_apply_edits_insertion_at_the_end_of_a_replacement() -> None:
    assert apply_edits("abc", [edit(1, 3, 1, 3, "!"), edit(1, 0, 1, 3, "xyz")]) == "xyz!"


def test_apply_edits_spanning_lines_and_crlf() -> None:
    text = "a = 1\r\nb = 2\r\nc = 3\r\n"
    assert apply_edits(text, [edit(2, 0, 3, 0, "")]) == "a = 1\r\nc = 3\r\n"
    assert apply_edits(text, [edit(4, 0, 4, 0, "d = 4\r\n")]).endswith("c = 3\r\nd = 4\r\n")


@pytest.mark.parametrize(
    "edits",
    [
        [edit(1, 0, 1, 3, "x"), edit(1, 2, 1, 4, "y")],
        [edit(2, 0, 2, 0, "x")],
        [edit(1, 0, 1, 9, "x")],
        [edit(1, 3, 1, 1, "x")],
    ],
    ids=["overlap", "line past the end", "column past the line", "ends before it starts"],
)
def test_apply_edits_refuses_bad_edits(edits: list[TextEdit]) -> None:
    with pytest.raises(ValueError):
        apply_edits("abcd", edits)


def test_line_index_counts_code_points_and_python_line_breaks() -> None:
    index = LineIndex("é = 1\rx = 'ü'\x0cy\n")
    assert index.line_count == 3
    assert index.line_text(2) == "x = 'ü'\x0cy"  # a form feed does not end a line
    assert index.offset(2, 5) == len("é = 1\r") + 5
    assert index.position(len("é = 1\r") + 5) == (2, 5)


def test_conflicting_edits() -> None:
    assert edits_conflict([edit(1, 0, 1, 3, "x"), edit(1, 2, 1, 4, "y")])
    assert edits_conflict([edit(1, 2, 1, 2, "x"), edit(1, 2, 1, 2, "y")])
    assert not edits_conflict([edit(1, 0, 1, 2, "x"), edit(1, 2, 1, 2, "y")])
    assert not edits_conflict([edit(1, 0, 1, 1, "x"), edit(2, 0, 2, 1, "y")])


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("x = 'softmax'\n", "x = 'sigmoid'\n", edit(1, 5, 1, 12, "sigmoid")),
        ("f(shuffle=False)\n", "f(shuffle=True)\n", edit(1, 10, 1, 15, "True")),
        (
            "loss='binary_crossentropy'",
            "loss='categorical_crossentropy'",
            edit(1, 6, 1, 25, "categorical_crossentropy"),
        ),
        ("lr=0.1\n", "lr=0.01\n", edit(1, 3, 1, 6, "0.01")),
        # A new line after an identical-looking line is inserted at a line start.
        (
            "m.add(D(1))\nm.add(D(2))\n",
            "m.add(D(1))\nm.add(X())\nm.add(D(2))\n",
            edit(2, 0, 2, 0, "m.add(X())\n"),
        ),
        ("a\nb\nc\n", "a\nc\n", edit(2, 0, 3, 0, "")),
        # Removing a list element takes the element and its comma, not parts of two words.
        ("[Dense(2), Dropout(0.2), Dense(1)]", "[Dense(2), Dense(1)]", edit(1, 11, 1, 25, "")),
        ("[Dense(2), Dropout(0.2)]", "[Dropout(0.2)]", edit(1, 1, 1, 11, "")),
        ("x\r\ny\r\n", "x\r\nz\r\ny\r\n", edit(2, 0, 2, 0, "z\r\n")),
    ],
)
def test_minimal_edit(old: str, new: str, expected: TextEdit) -> None:
    result = minimal_edit(old, new)
    assert result == expected
    assert apply_edits(old, [result]) == new


def test_minimal_edit_of_equal_texts_is_none() -> None:
    assert minimal_edit("same", "same") is None
