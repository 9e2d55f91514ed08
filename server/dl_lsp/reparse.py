"""Parse an edited text again by re-parsing only the top-level statements the edit touched.

A keystroke changes a few characters of one statement; parsing the whole file again costs as
much as the rest of the analysis of a large file. When the previous text parsed cleanly, the
edited region is widened to whole top-level statements (with their decorators) and parsed on
its own, with as many leading newlines as lines before it, so every node keeps its absolute
line number. The statements before the region are reused as they are; those after it as well
when the edit kept the line count, else they are parsed again with the region (shifting their
line numbers node by node would cost more than parsing them).

``reparse`` is exact: top-level statements start at column 0 with the tokenizer in its initial
state (no open bracket or string), so a region that parses on its own, between two unchanged
runs of whole statements, parses the same way inside the file. Anything else (a region that
does not parse alone, a lone carriage return, a NUL byte) returns None.

While typing, the text is often broken for a few keystrokes (an open bracket, a colon with no
block yet). Repairing the whole file then costs one parse per repair, seconds for a large
file. ``reparse_broken`` repairs the edited statements (and the next one) on their own and
keeps the rest: the same result as a repair of the whole file for most errors, a better one
for an unclosed triple-quoted string, which swallows the rest of the file (here only the
region is lost to it).
"""

from __future__ import annotations

import ast
import bisect
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dl_lsp.text_diff import common_ends

Problems = tuple[Any, ...]  # the recovering parser's syntax problems, passed through


@dataclass(frozen=True)
class _Region:
    """The whole top-level statements an edit touched, and what is kept around them."""

    text: str  # the new text
    before: list[ast.stmt]  # kept statements before the region
    start: int  # the region's lines in the new text (1-based, inclusive)
    end: int
    following: list[ast.stmt]  # the unchanged statements after it, numbered as before the edit
    shift: int  # lines the edit added (or removed, when negative)

    def parse(self, first: int, last: int) -> list[ast.stmt]:
        """The statements of lines ``first`` to ``last`` of the new text, numbered in it."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(
                "\n" * (first - 1) + _lines(self.text, first, last), type_comments=False
            ).body

    @property
    def last_line(self) -> int:
        return self.text.count("\n") + 1


_PARSE_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)


def reparse(old_text: str, old_tree: ast.Module, text: str) -> ast.Module | None:
    """The tree of ``text``, re-using ``old_tree`` (the clean parse of ``old_text``), or None
    when only a full parse can tell."""
    if text == old_text:
        return old_tree
    region = _edited_region(old_text, old_tree, text)
    if region is None:
        return None
    try:
        if region.shift == 0:
            parsed = region.parse(region.start, region.end)
            return _module(region.before, parsed, region.following)
        # The statements after it moved: parsed again, to give their nodes the new line
        # numbers (shifting them node by node would cost more than parsing them).
        return _module(region.before, region.parse(region.start, region.last_line))
    except _PARSE_ERRORS:
        return None


Recover = Callable[[str], tuple[ast.Module | None, Problems]]


def reparse_broken(
    old_text: str, old_tree: ast.Module, text: str, recover: Recover
) -> tuple[ast.Module, Problems] | None:
    """For an edit that broke the syntax of the statements it touched: those statements and
    the next one (where the parser notices much of what is missing: a block, a decorated
    definition) repaired on their own by ``recover``, an error-tolerant parser given them after
    as many newlines as lines before them; the statements around them kept. None when the
    region cannot be told, cannot be repaired, or the statements after it do not parse."""
    region = _edited_region(old_text, old_tree, text)
    if region is None:
        return None
    end, following = region.end, region.following
    if following:
        # The next statement, with those sharing its last line (``a = 1; b = (...``).
        last, taken = following[0].end_lineno or following[0].lineno, 1
        while taken < len(following) and _first_line(following[taken]) <= last:
            last = max(last, following[taken].end_lineno or last)
            taken += 1
        end, following = last + region.shift, following[taken:]
    repaired, problems = recover("\n" * (region.start - 1) + _lines(text, region.start, end))
    if repaired is None:
        return None
    if region.shift == 0 or not following:
        return _module(region.before, repaired.body, following), problems
    try:
        moved = region.parse(end + 1, region.last_line)
    except _PARSE_ERRORS:
        return None
    return _module(region.before, repaired.body, moved), problems


def _module(*parts: list[ast.stmt]) -> ast.Module:
    return ast.Module(body=[statement for part in parts for statement in part], type_ignores=[])


def _edited_region(old_text: str, old_tree: ast.Module, text: str) -> _Region | None:
    if "\x00" in text or "\r" in text or "\r" in old_text:
        return None  # line numbers by "\n" alone would be wrong; NULs need the tolerant parser
    prefix, suffix = common_ends(old_text, text)
    first_line = old_text.count("\n", 0, prefix) + 1
    last_old_line = old_text.count("\n", 0, max(prefix, len(old_text) - suffix)) + 1
    shift = text.count("\n") - old_text.count("\n")

    body = old_tree.body
    starts = [_first_line(statement) for statement in body]
    ends = [statement.end_lineno or statement.lineno for statement in body]
    # Statements wholly before the edited lines, and the first one wholly after them.
    before = bisect.bisect_left(ends, first_line)
    after = bisect.bisect_right(starts, last_old_line)
    region_start = min(first_line, starts[before]) if before < len(body) else first_line
    while before > 0 and ends[before - 1] >= region_start:  # ``a = 1; b = (...`` on one line
        before -= 1
        region_start = min(region_start, starts[before])
    # The region ends where the first statement after it starts, in the new text.
    region_end = starts[after] + shift - 1 if after < len(body) else text.count("\n") + 1
    return _Region(text, body[:before], region_start, region_end, body[after:], shift)


def _first_line(statement: ast.stmt) -> int:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return min(
            [statement.lineno, *(decorator.lineno for decorator in statement.decorator_list)]
        )
    return statement.lineno


def _lines(text: str, first: int, last: int) -> str:
    """Lines ``first`` to ``last`` (1-based, inclusive) of ``text``, with their endings ('' past
    the end)."""
    start = 0
    for _ in range(first - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = start
    for _ in range(last - first + 1):
        end = text.find("\n", end) + 1
        if end == 0:
            return text[start:]
    return text[start:end]
