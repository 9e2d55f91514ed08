"""Text edits in Span coordinates: applying them, and the smallest edit between two texts."""

from __future__ import annotations

import ast
import bisect
import functools
import itertools
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from dl_lsp.facts.span import Span
from dl_lsp.text_diff import common_ends

# The line breaks of Python's tokenizer and of LSP (not str.splitlines, which also breaks on
# form feeds and Unicode separators that do not start a new line for the parser).
LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class TextEdit:
    """Replace the text in ``span`` (Span convention) by ``new_text``."""

    span: Span
    new_text: str


@dataclass(frozen=True)
class FixProposal:
    """One quick fix for one finding: a title and the edits that make it."""

    title: str
    code: str
    edits: tuple[TextEdit, ...]
    safe: bool
    preferred: bool


class LineIndex:
    """Conversion between Span positions and offsets into one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        breaks = list(LINE_BREAK.finditer(text))
        self.starts = [0] + [match.end() for match in breaks]
        # The end of each line's content (where its line break starts).
        self.ends = [match.start() for match in breaks] + [len(text)]

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_text(self, line: int) -> str:
        """The content of a 1-based line without its line break ('' when out of range)."""
        if not 0 < line <= len(self.starts):
            return ""
        return self.text[self.starts[line - 1] : self.ends[line - 1]]

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and 0-based column; ValueError when outside the text."""
        if not 0 < line <= len(self.starts):
            raise ValueError(f"line {line} is outside the text")
        start = self.starts[line - 1]
        if not 0 <= column <= self.ends[line - 1] - start:
            raise ValueError(f"column {column} is outside line {line}")
        return start + column

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and 0-based column of an offset (ValueError inside a line break)."""
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} is outside the text")
        line = bisect.bisect_right(self.starts, offset)
        column = offset - self.starts[line - 1]
        if offset > self.ends[line - 1]:
            raise ValueError(f"offset {offset} falls inside a line break")
        return line, column

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(line, column, end_line, end_column)

    def offsets(self, span: Span) -> tuple[int, int]:
        start = self.offset(span.line, span.column)
        end = self.offset(span.end_line, span.end_column)
        if end < start:
            raise ValueError(f"{span} ends before it starts")
        return start, end


def apply_edits(text: str, edits: Sequence[TextEdit]) -> str:
    """Apply non-overlapping edits, back to front; ValueError on overlap or a span off the text."""
    index = line_index(text)
    ranges = sorted(
        ((*index.offsets(edit.span), number, edit.new_text) for number, edit in enumerate(edits)),
    )
    for before, after in itertools.pairwise(ranges):
        if after[0] < before[1]:
            raise ValueError("edits overlap")
    result = text
    for start, end, _, new_text in reversed(ranges):
        result = result[:start] + new_text + result[end:]
    return result


def edits_conflict(edits: Sequence[TextEdit]) -> bool:
    """Whether two edits overlap, or insert at the same place (their order would be a guess)."""
    ordered = sorted(edits, key=lambda edit: edit.span)
    for before, after in itertools.pairwise(ordered):
        before_start = (before.span.line, before.span.column)
        before_end = (before.span.end_line, before.span.end_column)
        after_start = (after.span.line, after.span.column)
        after_end = (after.span.end_line, after.span.end_column)
        if after_start < before_end:
            return True
        if before_start == before_end == after_start == after_end:
            return True
    return False


def minimal_edit(old: str, new: str) -> TextEdit | None:
    """The one edit that turns ``old`` into ``new``, as small as the texts allow (None if equal).

    Inserted or deleted whole lines are anchored at a line start, so that clients show a clean
    line insertion rather than a change that starts in the middle of a neighbouring line.
    """
    if old == new:
        return None
    prefix, suffix = common_ends(old, new)
    start, old_end, new_end = prefix, len(old) - suffix, len(new) - suffix
    inserted, removed = new[start:new_end], old[start:old_end]
    slid = _slide(old, start, inserted) if not removed else None
    if not inserted:
        slid = _slide(old, start, removed, deleting=True)
    if slid is not None:
        start, chunk = slid
        end = start + (len(chunk) if not inserted else 0)
    else:
        start, end = _whole_words(old, new, start, old_end, new_end)
    start, end = _outside_line_breaks(old, start, end)
    return TextEdit(line_index(old).span(start, end), _replacement(old, new, start, end))


@functools.lru_cache(maxsize=4)
def line_index(text: str) -> LineIndex:
    """The (cached) line index of a text: the fixes of one request all edit the same text."""
    return LineIndex(text)


def _replacement(old: str, new: str, start: int, end: int) -> str:
    # Everything outside [start, end) is shared by both texts, so the new text of the region
    # is what lies between the shared prefix and the shared suffix.
    return new[start : len(new) - (len(old) - end)]


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "_."


def _whole_words(old: str, new: str, start: int, old_end: int, new_end: int) -> tuple[int, int]:
    """Widen a changed region so that it does not start or end inside a word or number.

    ``'binary_crossentropy'`` → ``'categorical_crossentropy'`` then replaces the whole word
    rather than ``binary`` by ``categorical``, and ``False`` → ``True`` is not ``Fals`` → ``Tru``.
    """

    def touches_word_at_start() -> bool:
        return (start < old_end and _is_word(old[start])) or (
            start < new_end and _is_word(new[start])
        )

    def touches_word_at_end() -> bool:
        return (old_end > start and _is_word(old[old_end - 1])) or (
            new_end > start and _is_word(new[new_end - 1])
        )

    while start > 0 and _is_word(old[start - 1]) and touches_word_at_start():
        start -= 1
    while old_end < len(old) and _is_word(old[old_end]) and touches_word_at_end():
        old_end += 1
        new_end += 1
    return start, old_end


def _slide(
    text: str, position: int, chunk: str, *, deleting: bool = False
) -> tuple[int, str] | None:
    """Move a pure insertion (or deletion) of ``chunk`` leftwards to a tidy place.

    The same change can often sit at several places (inserting ``x\n`` after ``x\n``); take
    the rightmost one that starts a line when whole lines change, or that does not cut a
    word in two otherwise. None when there is no such place.
    """
    multi_line = "\n" in chunk or "\r" in chunk
    moved, rotated = position, chunk
    while True:
        after = moved + len(rotated) if deleting else moved
        if multi_line:
            if moved == 0 or text[moved - 1] in "\r\n":
                return moved, rotated
        elif _clean_cut(text, moved, after, rotated):
            return moved, rotated
        if moved == 0 or text[moved - 1] != rotated[-1]:
            return None
        moved -= 1
        rotated = rotated[-1] + rotated[:-1]


def _clean_cut(text: str, start: int, after: int, chunk: str) -> bool:
    left = text[start - 1] if start > 0 else " "
    right = text[after] if after < len(text) else " "
    return not (_is_word(left) and _is_word(chunk[0])) and not (
        _is_word(chunk[-1]) and _is_word(right)
    )


def _outside_line_breaks(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a range that would split a CRLF pair so both ends are valid Span positions."""
    if 0 < start < len(text) and text[start - 1] == "\r" and text[start] == "\n":
        start -= 1
    if 0 < end < len(text) and text[end - 1] == "\r" and text[end] == "\n":
        end += 1
    return start, end


def parses(text: str) -> bool:
    """Whether ``text`` is valid Python for the running interpreter."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
