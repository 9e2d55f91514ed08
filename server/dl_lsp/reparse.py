"""Parse an edited text again by re-parsing only the top-level statements the edit touched.

A keystroke changes a few characters of one statement; parsing the whole file again costs as
much as the rest of the analysis of a large file. When the previous text parsed cleanly, the
edited region is widened to whole top-level statements (with their decorators) and parsed on
its own, with as many leading newlines as lines before it, so every node keeps its absolute
line number. The statements before the region are reused as they are; those after it as well
when the edit kept the line count, else they are parsed again with the region (shifting their
line numbers node by node would cost more than parsing them).

This is exact: top-level statements start at column 0 with the tokenizer in its initial state
(no open bracket or string), so a region that parses on its own, between two unchanged runs of
whole statements, parses the same way inside the file. Anything else (a region that does not
parse alone, a lone carriage return, a NUL byte) returns None and the caller parses the whole
text, with its error tolerance.
"""

from __future__ import annotations

import ast
import bisect
import warnings


def reparse(old_text: str, old_tree: ast.Module, text: str) -> ast.Module | None:
    """The tree of ``text``, re-using ``old_tree`` (the clean parse of ``old_text``), or None
    when only a full parse can tell."""
    if text == old_text:
        return old_tree
    if "\x00" in text or "\r" in text or "\r" in old_text:
        return None  # line numbers by "\n" alone would be wrong; NULs need the tolerant parser
    prefix = _common_prefix(old_text, text)
    suffix = _common_suffix(old_text, text, limit=min(len(old_text), len(text)) - prefix)
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
    if shift == 0 and after < len(body):
        region_end = starts[after] - 1  # the unchanged statements after it stay as they are
        kept_after = body[after:]
    else:
        region_end = text.count("\n") + 1  # to the end: the lines after the edit moved
        kept_after = []
    region = _lines(text, region_start, region_end)
    if region is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = ast.parse("\n" * (region_start - 1) + region, type_comments=False)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return ast.Module(body=[*body[:before], *parsed.body, *kept_after], type_ignores=[])


def _first_line(statement: ast.stmt) -> int:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return min(
            [statement.lineno, *(decorator.lineno for decorator in statement.decorator_list)]
        )
    return statement.lineno


def _lines(text: str, first: int, last: int) -> str | None:
    """Lines ``first`` to ``last`` (1-based, inclusive) of ``text``, with their endings."""
    start = 0
    for _ in range(first - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    end = start
    for _ in range(last - first + 1):
        end = text.find("\n", end) + 1
        if end == 0:
            return text[start:]
    return text[start:end]


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix, by bisection over C-speed comparisons."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    """The length of the longest common suffix, at most ``limit`` (so that it never overlaps
    the common prefix)."""
    low, high = 0, max(0, limit)
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low
