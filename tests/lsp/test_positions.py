"""Spans (code points) ↔ LSP positions in UTF-8, UTF-16 and UTF-32, and incremental edits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types

from dl_lsp.facts.span import Span
from dl_lsp.lsp.documents import DocumentStore, apply_changes
from dl_lsp.lsp.positions import LineIndex, column_to_units, line_starts, units_to_column

LINE = 'x = "é☕🚀" + y'  # é: 1 unit in UTF-16, 2 in UTF-8; 🚀: 2 in UTF-16, 4 in UTF-8


@pytest.mark.parametrize(
    ("encoding", "units"),
    [("utf-32", 12), ("utf-16", 13), ("utf-8", 18)],
)
def test_column_of_y_in_each_encoding(encoding: str, units: int) -> None:
    column = LINE.index("y")
    assert column_to_units(LINE, column, encoding) == units
    assert units_to_column(LINE, units, encoding) == column


def test_positions_past_the_end_of_a_line_clamp_to_it() -> None:
    assert units_to_column("abc", 99, "utf-16") == 3
    assert column_to_units("abc", 99, "utf-8") == 3


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("", [0]),
        ("a", [0]),
        ("a\n", [0, 2]),
        ("a\r\nb\rc\n", [0, 3, 5, 7]),
        ("a\x0cb\nc", [0, 4]),  # a form feed is not an LSP line break
        ("a\u2028b\n", [0, 4]),
    ],
)
def test_line_starts_follow_lsp_line_breaks(text: str, starts: list[int]) -> None:
    assert line_starts(text) == starts


def test_span_to_range_and_back() -> None:
    index = LineIndex(f"import torch\n{LINE}\n")
    span = Span(2, LINE.index("🚀"), 2, LINE.index("y") + 1)
    where = index.range(span, "utf-16")
    assert where == types.Range(
        start=types.Position(line=1, character=7), end=types.Position(line=1, character=14)
    )
    assert index.point(where.start, "utf-16") == (2, LINE.index("🚀"))


def test_a_span_past_the_last_line_ends_at_the_end_of_the_text() -> None:
    index = LineIndex("a = (\n")
    assert index.position(5, 0, "utf-16") == types.Position(line=1, character=0)


def change(
    start: tuple[int, int], end: tuple[int, int], text: str
) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(
            start=types.Position(line=start[0], character=start[1]),
            end=types.Position(line=end[0], character=end[1]),
        ),
        text=text,
    )


def test_incremental_changes_apply_in_order_in_the_client_encoding() -> None:
    text = f"{LINE}\nz = 1\n"
    # Replace "y" (UTF-8 column 18) and then insert a line at the top: the second range
    # refers to the text after the first change.
    new = apply_changes(
        LineIndex(text),
        [change((0, 18), (0, 19), "w"), change((0, 0), (0, 0), "# top\n")],
        "utf-8",
    )
    assert new.text == f"# top\n{LINE[:-1]}w\nz = 1\n"
    assert new.starts == line_starts(new.text)


def test_a_whole_document_change_replaces_the_text() -> None:
    full = types.TextDocumentContentChangeWholeDocument(text="new\n")
    assert apply_changes(LineIndex("old\n"), [full], "utf-16").text == "new\n"


def test_store_generations_grow_with_every_change_and_unknown_documents_are_none() -> None:
    store = DocumentStore()
    first = store.open("file:///a.py", "a\n", 1, "python")
    assert store.change("file:///b.py", 2, [change((0, 0), (0, 0), "x")], "utf-16") is None
    generation = first.generation
    changed = store.change("file:///a.py", 2, [change((0, 0), (0, 0), "x")], "utf-16")
    assert changed is not None and changed.text == "xa\n" and changed.generation > generation
    assert store.close("file:///a.py") is not None
    assert store.generation_of("file:///a.py") is None


# Line breaks of every kind LSP knows, and characters splitlines would (wrongly) break at.
_BREAKY_TEXT = st.text(alphabet="ab\r\n\u2028\x0cé", max_size=24)


@given(text=_BREAKY_TEXT, inserted=_BREAKY_TEXT, data=st.data())
def test_line_starts_after_an_edit_are_those_of_the_edited_text(
    text: str, inserted: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    edited = LineIndex(text).replaced(start, end, inserted)
    assert edited.text == text[:start] + inserted + text[end:]
    assert edited.starts == line_starts(edited.text)


@pytest.mark.parametrize(
    ("text", "start", "end", "inserted"),
    [
        ("a\r\nb", 2, 2, "x"),  # between \r and \n: two breaks now
        ("a\rx\nb", 2, 3, ""),  # \r and \n meet: one break now
        ("a\r\nb", 1, 2, ""),  # the \r goes, the \n stays a break
        ("a\n", 1, 2, ""),  # the last line break goes: no empty line after it
        ("", 0, 0, "\n\n"),
    ],
)
def test_line_starts_where_an_edit_joins_or_splits_a_line_break(
    text: str, start: int, end: int, inserted: str
) -> None:
    edited = LineIndex(text).replaced(start, end, inserted)
    assert edited.starts == line_starts(edited.text)
