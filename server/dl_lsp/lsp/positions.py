"""Between dl-lsp spans (1-based lines, code-point columns) and LSP positions in any encoding."""

from __future__ import annotations

import re
from bisect import bisect_right
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


class LineIndex:
    """A text with its line starts, to convert between offsets, spans and LSP positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_text(self, line: int) -> str:
        """The 0-based line without its line break ('' past the end)."""
        if not 0 <= line < len(self.starts):
            return ""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line] : end].rstrip("\r\n")

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

    def position(self, line: int, column: int, encoding: str) -> types.Position:
        """The client position of a span's 1-based line and code-point column."""
        index = line - 1
        if index >= len(self.starts):
            last = len(self.starts) - 1
            return types.Position(last, _units(self.line_text(last), encoding))
        index = max(index, 0)
        return types.Position(index, column_to_units(self.line_text(index), column, encoding))

    def range(self, span: Span, encoding: str) -> types.Range:
        """The client range of a span."""
        return types.Range(
            start=self.position(span.line, span.column, encoding),
            end=self.position(span.end_line, span.end_column, encoding),
        )
