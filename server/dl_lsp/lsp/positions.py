"""Between dl-lsp spans (1-based lines, code-point columns) and LSP positions in any encoding."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from lsprotocol import types

from dl_lsp.facts.span import Span

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"

# LSP knows three line breaks (\n, \r\n, \r); str.splitlines knows more. These are the others.
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_LSP_BREAK = re.compile("\r\n|\r|\n")


def encoding_name(kind: types.PositionEncodingKind | str | None) -> str:
    """The negotiated position encoding as one of ``utf-8``, ``utf-16``, ``utf-32``."""
    value = kind.value if isinstance(kind, types.PositionEncodingKind) else kind
    return value if value in (UTF8, UTF32) else UTF16


def _units(text: str, encoding: str) -> int:
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF16:
        return len(text.encode("utf-16-le")) // 2
    return len(text.encode("utf-8"))


def column_to_units(line: str, column: int, encoding: str) -> int:
    """A code-point column on ``line`` in the client's units."""
    column = max(0, min(column, len(line)))
    return _units(line[:column], encoding)


def units_to_column(line: str, character: int, encoding: str) -> int:
    """A client position on ``line`` as a code-point column (clamped to the line, as LSP says)."""
    if character <= 0:
        return 0
    if encoding == UTF32 or line.isascii():
        return min(character, len(line))
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index
        units += _units(char, encoding)
    return len(line)


def line_starts(text: str) -> list[int]:
    """The offset at which every LSP line of ``text`` starts."""
    if _OTHER_BREAKS.search(text) is not None:
        return [0, *(match.end() for match in _LSP_BREAK.finditer(text))]
    starts = [0, *accumulate(map(len, text.splitlines(keepends=True)))]
    if len(starts) > 1 and not text.endswith(("\n", "\r")):
        starts.pop()  # the last line has no line break: no empty line after it
    return starts


def line_starts_after_edit(
    starts: list[int], text: str, start: int, end: int, inserted: int
) -> list[int]:
    """The line starts of ``text``, where ``inserted`` characters at ``start`` replaced what
    ``start:end`` held in a text whose line starts were ``starts``.

    Only the starts from ``start`` to the end of the insertion are found again (a line break
    just before or after it may pair up with a new one into \\r\\n, or stop doing so); those
    before stay, those after the replaced text move by the change in length: no scan of the
    whole text, which on every keystroke in a long document costs more than the edit."""
    first = bisect_left(starts, start)
    after = bisect_right(starts, end)
    stop = start + inserted  # the last offset whose start may have changed
    window = max(start - 1, 0)
    found = [0] if start == 0 else []
    for match in _LSP_BREAK.finditer(text, window, min(stop + 1, len(text))):
        if start <= match.end() <= stop:
            found.append(match.end())
    delta = inserted - (end - start)
    moved = starts[after:] if delta == 0 else [offset + delta for offset in starts[after:]]
    return [*starts[:first], *found, *moved]


class LineIndex:
    """A text with its line starts, to convert between offsets, spans and LSP positions.

    Never changed once built: the event loop and the analysis worker share one."""

    def __init__(self, text: str, starts: list[int] | None = None) -> None:
        self.text = text
        self.starts = line_starts(text) if starts is None else starts

    def replaced(self, start: int, end: int, new_text: str) -> LineIndex:
        """The index of this text with ``start:end`` replaced by ``new_text``."""
        text = self.text[:start] + new_text + self.text[end:]
        return LineIndex(text, line_starts_after_edit(self.starts, text, start, end, len(new_text)))

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_text(self, line: int) -> str:
        """The 0-based line without its line break ('' past the end)."""
        if not 0 <= line < len(self.starts):
            return ""
        return self.text[self.starts[line] : self._content_end(line)]

    def _content_end(self, line: int) -> int:
        """Where the 0-based line's text ends, before its line break."""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        start, text = self.starts[line], self.text
        while end > start and text[end - 1] in "\r\n":  # the break: \n, \r or \r\n
            end -= 1
        return end

    def offset(self, position: types.Position, encoding: str) -> int:
        """The offset of a client position (clamped to the text, as LSP says)."""
        if position.line >= len(self.starts):
            return len(self.text)
        line = max(position.line, 0)
        column = units_to_column(self.line_text(line), position.character, encoding)
        return self.starts[line] + column

    def point(self, position: types.Position, encoding: str) -> tuple[int, int]:
        """A client position as a span point: (1-based line, code-point column)."""
        line = max(0, min(position.line, len(self.starts) - 1))
        return line + 1, units_to_column(self.line_text(line), position.character, encoding)

    def position_at(self, offset: int, encoding: str) -> types.Position:
        """The client position of an offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        column = offset - self.starts[line]
        return types.Position(line, column_to_units(self.line_text(line), column, encoding))

    def client_position(self, line: int, column: int, encoding: str) -> tuple[int, int]:
        """The client (line, character) of a span's 1-based line and code-point column."""
        index = line - 1
        if index >= len(self.starts):
            last = len(self.starts) - 1
            return last, _units(self.line_text(last), encoding)
        index = max(index, 0)
        if encoding == UTF32 or self.text.isascii():  # O(1): code points are the units
            length = self._content_end(index) - self.starts[index]
            return index, max(0, min(column, length))
        return index, column_to_units(self.line_text(index), column, encoding)

    def client_range(self, span: Span, encoding: str) -> tuple[int, int, int, int]:
        """The client range of a span as (start line, start character, end line, end character)."""
        return (
            *self.client_position(span.line, span.column, encoding),
            *self.client_position(span.end_line, span.end_column, encoding),
        )

    def position(self, line: int, column: int, encoding: str) -> types.Position:
        """The client position of a span's 1-based line and code-point column."""
        return types.Position(*self.client_position(line, column, encoding))

    def range(self, span: Span, encoding: str) -> types.Range:
        """The client range of a span."""
        return types.Range(
            start=self.position(span.line, span.column, encoding),
            end=self.position(span.end_line, span.end_column, encoding),
        )
