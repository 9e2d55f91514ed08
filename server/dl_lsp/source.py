"""Error-tolerant parsing with the standard ``ast``, and source positions in code points.

Stack Overflow snippets are often not valid Python (a stray ``)``, a typo such as
``ifrom tensorflow import keras``). The parser reports the first syntax error and keeps going:
it blanks the offending line (or drops a stray closing bracket) and parses again, so that the
rest of the file is still analysed with its original line numbers.
"""

from __future__ import annotations

import ast
import io
import re
import warnings
from dataclasses import dataclass, field
from functools import cached_property

from dl_lsp.facts.span import Span
from dl_lsp.reparse import reparse, reparse_broken
from dl_lsp.reuse import ReuseMemo

# How many repairs to try before giving up on a file; larger files get fewer tries because
# every try parses the whole text again.
_MAX_REPAIRS = 60
_MAX_REPAIRS_LARGE = 6
_LARGE_TEXT = 400_000

_STRAY_BRACKET = re.compile(r"unmatched '([)\]}])'")
_PRAGMA = re.compile(r"#\s*dl-lsp\s*:\s*(?P<body>[^#\n]*)")
_IGNORE = re.compile(r"ignore(?:\[(?P<codes>[^\]]*)\])?")
_SETTING = re.compile(r"(?P<key>problem|input)\s*=\s*(?P<value>[A-Za-z_-]+)")


@dataclass(frozen=True)
class SyntaxProblem:
    """A syntax error found while parsing, with the range of the offending token."""

    message: str
    span: Span


@dataclass(frozen=True)
class Pragmas:
    """``# dl-lsp:`` comments: per-line suppressions, file suppression, problem/input overrides."""

    ignore_file: bool = False
    # line -> codes ignored on that line; an empty frozenset means every code.
    ignored_lines: dict[int, frozenset[str]] = field(default_factory=dict)
    problem_type: str | None = None
    input_type: str | None = None

    def suppresses(self, code: str, line: int) -> bool:
        """Whether a finding with this code on this 1-based line is suppressed."""
        if self.ignore_file:
            return True
        codes = self.ignored_lines.get(line)
        if codes is None:
            return False
        return not codes or any(code == c or code.startswith(c) for c in codes)


class ParsedSource:
    """A source text, its (possibly repaired) syntax tree and the syntax errors found."""

    def __init__(self, text: str, *, previous: ParsedSource | None = None) -> None:
        """Parse ``text``; ``previous`` (an earlier version of the same document) lets the
        statements an edit did not touch be re-used."""
        self.text = text
        self.tree: ast.Module | None = None
        self.syntax_errors: tuple[SyntaxProblem, ...] = ()
        # What extraction learnt of the statements, for the next version's analysis: the
        # statements a re-parse keeps need not be read again (``dl_lsp.reuse``).
        self.reuse = ReuseMemo()
        # The last version that parsed cleanly, when this one was parsed from it with the
        # statements an edit broke repaired on their own: the next version starts from it.
        self.clean_base: ParsedSource | None = None
        if previous is not None:
            self._parse_from(previous)
        if self.tree is None:
            self.tree, self.syntax_errors = _parse_tolerantly(text)
        self.pragmas = read_pragmas(text) if "dl-lsp" in text else Pragmas()
        # In ASCII text, ``ast``'s byte columns are already code-point columns.
        self._ascii = text.isascii()

    def _parse_from(self, previous: ParsedSource) -> None:
        base = previous if previous.is_clean else previous.clean_base
        if base is None or base.tree is None:
            return
        self.tree = reparse(base.text, base.tree, self.text)
        if self.tree is not None:
            self.reuse = previous.reuse.carried()
            return
        # The edit broke the statements it touched (or, rarely, joined them with the next ones
        # into valid code, which only a full parse can tell).
        try:
            self.tree = _parse(self.text)
            return
        except SyntaxError:
            pass
        except (ValueError, RecursionError, MemoryError):
            return  # left to the tolerant parser
        recovered = reparse_broken(base.text, base.tree, self.text, _parse_tolerantly)
        if recovered is not None:
            self.tree, self.syntax_errors = recovered
            self.reuse = previous.reuse.carried()
            self.clean_base = base

    @property
    def is_clean(self) -> bool:
        """Whether the text parsed without a syntax error."""
        return self.tree is not None and not self.syntax_errors

    @cached_property
    def lines(self) -> list[str]:
        """The lines without their endings (split only when first asked for)."""
        # Python ends lines at \n, \r and \r\n only (str.splitlines also splits at \f, \x1c...).
        if "\r" not in self.text:
            lines = self.text.split("\n")
            return lines[:-1] if lines and not lines[-1] else lines
        return [line.rstrip("\r\n") for line in split_lines(self.text)]

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, or '' when out of range."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def char_column(self, line: int, byte_column: int) -> int:
        """Convert ``ast``'s UTF-8 byte column on a 1-based line into a code-point column."""
        if self._ascii:
            return byte_column
        text = self.line_text(line)
        if text.isascii():
            return byte_column
        return len(text.encode("utf-8")[:byte_column].decode("utf-8", errors="ignore"))

    def span(self, node: ast.AST) -> Span:
        """The code-point range of an ``ast`` node (expressions and statements)."""
        line: int = getattr(node, "lineno", 1)
        end_line: int = getattr(node, "end_lineno", None) or line
        end_byte = getattr(node, "end_col_offset", None)
        if self._ascii and end_byte is not None:
            return Span(line, getattr(node, "col_offset", 0), end_line, end_byte)
        column = self.char_column(line, getattr(node, "col_offset", 0))
        end_column = (
            self.char_column(end_line, end_byte)
            if end_byte is not None
            else len(self.line_text(end_line))
        )
        return Span(line, column, end_line, end_column)

    def segment(self, node: ast.AST) -> str:
        """The source text of a node, as written."""
        line: int = getattr(node, "lineno", 1)
        end_byte = getattr(node, "end_col_offset", None)
        if self._ascii and end_byte is not None and getattr(node, "end_lineno", None) == line:
            return self.line_text(line)[getattr(node, "col_offset", 0) : end_byte]
        span = self.span(node)
        if span.line == span.end_line:
            return self.line_text(span.line)[span.column : span.end_column]
        parts = [self.line_text(span.line)[span.column :]]
        parts.extend(self.line_text(n) for n in range(span.line + 1, span.end_line))
        parts.append(self.line_text(span.end_line)[: span.end_column])
        return "\n".join(parts)


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split where Python's tokenizer splits them."""
    return io.StringIO(text, newline="").readlines()


def repair_syntax(text: str) -> tuple[str, tuple[SyntaxProblem, ...]]:
    """The text with the lines behind its syntax errors neutralised (positions kept), and the
    errors; the text comes back unchanged when it parses or cannot be repaired."""
    tree, problems, lines = _repair_tolerantly(text)
    return ("".join(lines) if tree is not None and lines is not None else text), problems


def _parse_tolerantly(text: str) -> tuple[ast.Module | None, tuple[SyntaxProblem, ...]]:
    tree, problems, _ = _repair_tolerantly(text)
    return tree, problems


def _repair_tolerantly(
    text: str,
) -> tuple[ast.Module | None, tuple[SyntaxProblem, ...], list[str] | None]:
    """The tree, the syntax errors, and the repaired lines (None when nothing was repaired)."""
    error: SyntaxError | None = None
    if "\x00" not in text:
        try:
            return _parse(text), (), None  # the common case: the text is valid as it is
        except SyntaxError as caught:
            # Without its traceback: kept in this frame, it would make a reference cycle (the
            # traceback holds the frame), and the analysis makes none (lsp/collector.py).
            error = caught.with_traceback(None)
        except (ValueError, RecursionError, MemoryError) as fatal:
            return None, (SyntaxProblem(_describe(fatal), Span(1, 0, 1, 0)),), None
    lines = split_lines(text)
    problems: list[SyntaxProblem] = []
    repaired: set[int] = set()
    if "\x00" in text:
        problems.extend(_replace_nul_bytes(lines))
    limit = _MAX_REPAIRS_LARGE if len(text) > _LARGE_TEXT else _MAX_REPAIRS
    for _ in range(limit + 1):
        if error is None:
            try:
                return _parse("".join(lines)), tuple(problems), lines
            except SyntaxError as caught:
                error = caught.with_traceback(None)
            except (ValueError, RecursionError, MemoryError) as fatal:
                # NUL bytes, or nesting too deep for the compiler: nothing to analyse.
                problems.append(SyntaxProblem(_describe(fatal), Span(1, 0, 1, 0)))
                return None, tuple(problems), None
        if not _repair(error, lines, problems, repaired):
            break
        error = None
    return None, tuple(problems), None


def _repair(
    error: SyntaxError, lines: list[str], problems: list[SyntaxProblem], repaired: set[int]
) -> bool:
    """Record the error (unless a repair caused it) and neutralise the line behind it; False
    when there is nothing left to repair."""
    line = error.lineno or 0
    if not 0 < line <= len(lines):
        # An error past the end (unexpected EOF): drop the last non-blank line.
        line = _last_code_line(lines)
        if line == 0:
            return False
    if _is_original_error(error, line, repaired):
        problems.append(_problem_from(error, line, lines))
    if _missing_block(error):
        header = _previous_code_line(lines, line + 1 if line == error.lineno else line, set())
        if header and header not in repaired and _close_header(lines, header):
            repaired.add(header)
            return True
    if "unterminated triple-quoted" in (error.msg or ""):
        # Everything after the opening quotes was inside the string: no code.
        lines[line - 1] = _repair_line(lines[line - 1], error)
        for number in range(line, len(lines) + 1):
            if number > line:
                lines[number - 1] = lines[number - 1][len(lines[number - 1].rstrip("\r\n")) :]
            repaired.add(number)
        return True
    if line in repaired or not lines[line - 1].strip():
        # The same place fails again: the cause is above (an unclosed bracket).
        line = _previous_code_line(lines, line, repaired)
        if line == 0:
            return False
    lines[line - 1] = _repair_line(lines[line - 1], error)
    repaired.add(line)
    return True


def _parse(text: str) -> ast.Module:
    with warnings.catch_warnings():
        # Invalid escape sequences in snippets are not our business.
        warnings.simplefilter("ignore")
        return ast.parse(text, type_comments=False)


def _describe(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "The code is nested too deeply to be parsed"
    if isinstance(error, MemoryError):
        return "The code is too large to be parsed"
    return f"The file cannot be parsed as Python: {error}"


def _last_code_line(lines: list[str]) -> int:
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip():
            return index + 1
    return 0


def _replace_nul_bytes(lines: list[str]) -> list[SyntaxProblem]:
    problems: list[SyntaxProblem] = []
    for index, line in enumerate(lines):
        if "\x00" in line:
            column = line.index("\x00")
            problems.append(
                SyntaxProblem(
                    "Syntax error: the line contains a NUL byte (is this a binary file?). "
                    "The rest of the file is still checked.",
                    Span(index + 1, column, index + 1, column + 1),
                )
            )
            lines[index] = line.replace("\x00", " ")
    return problems


def _missing_block(error: SyntaxError) -> bool:
    return (error.msg or "").startswith("expected an indented block")


_TRAILING_COMMENT = re.compile(r"\s*#[^'\"]*$")


def _close_header(lines: list[str], header: int) -> bool:
    """Give a block header with no body (``for epoch in range(10):`` at the end) a ``pass``."""
    text = lines[header - 1]
    newline = text[len(text.rstrip("\r\n")) :]
    code = _TRAILING_COMMENT.sub("", text.rstrip("\r\n"))
    if not code.rstrip().endswith(":"):
        return False
    lines[header - 1] = code.rstrip() + " pass" + newline
    return True


def _previous_code_line(lines: list[str], line: int, repaired: set[int]) -> int:
    for number in range(line - 1, 0, -1):
        if number not in repaired and lines[number - 1].strip():
            return number
    return 0


def _is_original_error(error: SyntaxError, line: int, repaired: set[int]) -> bool:
    """Errors caused by our own repairs (a body left without its header) are not reported."""
    if not repaired:
        return True
    if isinstance(error, IndentationError) or "indent" in (error.msg or "") or line in repaired:
        return False
    # A closing bracket left behind by a repaired line is part of the same error.
    return not ("unmatched" in (error.msg or "") and (line - 1) in repaired)


def _problem_from(error: SyntaxError, line: int, lines: list[str]) -> SyntaxProblem:
    text = lines[line - 1].rstrip("\r\n")
    start = max((error.offset or 1) - 1, 0) if error.lineno == line else 0
    start = min(start, len(text))
    end_line = error.end_lineno if error.end_lineno == line else line
    end = (error.end_offset or 0) - 1 if error.end_lineno == line else len(text)
    if end <= start:
        # Underline the token (or the rest of the line) rather than an empty range.
        match = re.match(r"\S+", text[start:])
        end = start + (len(match.group(0)) if match else 0)
        if end == start:
            start, end = len(text) - len(text.lstrip()), len(text)
    message = (error.msg or "invalid syntax").strip()
    if not message.endswith((".", "?", "!")):
        message += "."
    return SyntaxProblem(
        f"Syntax error: {message} The rest of the file is still checked; fix this line "
        "so the snippet runs (edit action: Compiler Error Resolution)",
        Span(line, start, end_line or line, end),
    )


def _repair_line(line: str, error: SyntaxError) -> str:
    """Neutralise one line while keeping every other position in the file unchanged."""
    newline = line[len(line.rstrip("\r\n")) :]
    body = line.rstrip("\r\n")
    stray = _STRAY_BRACKET.search(error.msg or "")
    if stray and error.offset:
        index = error.offset - 1
        if 0 <= index < len(body) and body[index] == stray.group(1):
            return body[:index] + " " + body[index + 1 :] + newline
    if (error.msg or "").startswith(("unexpected indent", "unindent does not match")):
        return newline  # a blank line is never indented wrongly (``pass`` there would be)
    indent = body[: len(body) - len(body.lstrip())]
    if body.rstrip().endswith(":"):
        # Keep the block structure so the indented body still parses.
        return indent + "if True:" + newline
    return indent + "pass" + newline if body.strip() else newline


def read_pragmas(text: str) -> Pragmas:
    """Collect ``# dl-lsp: ...`` comments (ignore, ignore-file, problem=, input=)."""
    ignore_file = False
    ignored: dict[int, frozenset[str]] = {}
    problem: str | None = None
    input_type: str | None = None
    for number, line in enumerate(split_lines(text), start=1):
        if "dl-lsp" not in line:
            continue
        for match in _PRAGMA.finditer(line):
            body = match.group("body").strip()
            if body.startswith("ignore-file"):
                ignore_file = True
                continue
            for setting in _SETTING.finditer(body):
                if setting.group("key") == "problem":
                    problem = setting.group("value").lower()
                else:
                    input_type = setting.group("value").lower()
            ignore = _IGNORE.match(body)
            if ignore:
                codes = ignore.group("codes")
                parsed = frozenset(c.strip().upper() for c in (codes or "").split(",") if c.strip())
                ignored[number] = parsed
    return Pragmas(ignore_file, ignored, problem, input_type)
